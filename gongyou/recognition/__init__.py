"""Awards: types, rounds with quotas, nominations, review, public notice, outcomes."""
