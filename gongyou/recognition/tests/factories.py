"""Records for recognition tests, made through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongyou.recognition.models import AwardRound, Nomination
from gongyou.recognition.services import nomination_create, round_create, round_set_quota

CLOSE = dt.date(2026, 3, 31)
NOTICE_START = dt.date(2026, 4, 10)
NOTICE_END = dt.date(2026, 4, 16)
BEFORE_CLOSE = dt.date(2026, 3, 1)
AFTER_NOTICE = dt.date(2026, 4, 17)


def make_round(*, actor: Any, **overrides: Any) -> AwardRound:
    data: dict[str, Any] = {
        "award_type": "provincial_may_day_medal",
        "year": 2026,
        "title": "2026年广东省五一劳动奖章",
        "nominations_close_on": CLOSE,
        "notice_starts_on": NOTICE_START,
        "notice_ends_on": NOTICE_END,
    }
    data.update(overrides)
    return round_create(actor=actor, data=data)


def give_quota(*, actor: Any, award_round: AwardRound, organisation: Any, quota: int = 5) -> None:
    round_set_quota(
        actor=actor, award_round=award_round, organisation_id=organisation.pk, quota=quota
    )


def make_nomination(
    *, actor: Any, award_round: AwardRound, worker: Any = None, **overrides: Any
) -> Nomination:
    data: dict[str, Any] = {
        "nominee_unit": "中建三局深圳分公司",
        "nominee_position": "钢筋工",
        "justification": "扎根一线十二年，带徒二十余人，获市技能大赛一等奖。",
    }
    if worker is not None:
        data["worker_id"] = worker.pk
    else:
        data.setdefault("nominee_name", "李娜")
        data.setdefault("region", "440305")
    data.update(overrides)
    return nomination_create(actor=actor, award_round=award_round, data=data, today=BEFORE_CLOSE)


def force_status(nomination: Nomination, status: str) -> Nomination:
    """Put a nomination into a status directly (tests of the table only)."""
    Nomination.objects.filter(pk=nomination.pk).update(status=status)
    nomination.refresh_from_db()
    return nomination
