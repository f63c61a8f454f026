"""Equal public services where workers live: a catalogue per city, eligibility, referrals."""
