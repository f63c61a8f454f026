"""Cases made through the real intake service; `force_status` puts a case in any state for the
lifecycle walk (factories may write directly)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gongyou.cases.models import Case


def make_case(
    *, actor: Any, workers: Sequence[Any], employers: Sequence[Any] = (), **overrides: Any
) -> Case:
    from gongyou.cases.services import case_intake

    data: dict[str, Any] = {
        "type": "wage_arrears",
        "channel": "front_desk",
        "summary": "工地拖欠三个月工资",
        "region": "440305",
        "claimants": [{"worker_id": w.pk, "amount_claimed": "12000.00"} for w in workers],
        "respondents": [{"employer_id": e.pk, "role": "employer"} for e in employers],
    }
    data.update(overrides)
    return case_intake(actor=actor, data=data)


def force_status(case: Case, status: str) -> Case:
    Case.objects.filter(pk=case.pk).update(status=status)
    return Case.objects.get(pk=case.pk)
