"""Vacancies and seekers made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongyou.jobs import services


def vacancy_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "钢筋工",
        "occupation": "6-29-01-04",
        "skill_level": None,
        "headcount": 2,
        "wage_min": 7000,
        "wage_max": 9000,
        "region": "440305",
        "address": "深圳市南山区工地",
        "contract_type": "fixed_term",
        "social_insurance": "five",
        "housing_meals": "both",
        "shift_pattern": "day",
        "closing_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def make_vacancy(*, actor: Any, employer: Any, publish: bool = True, **overrides: Any) -> Any:
    data = vacancy_data(employer_id=employer.pk, **overrides)
    return services.vacancy_create(actor=actor, data=data, publish=publish)


def make_seeker(*, actor: Any, worker: Any, **data: Any) -> Any:
    return services.seeker_profile_save(actor=actor, worker=worker, data=data)
