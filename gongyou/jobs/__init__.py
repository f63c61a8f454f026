"""Stable employment: vacancies, matching, referrals, placements, retention, job fairs."""
