"""Where a worker's personal data lives outside the registry row, and what forbids anonymising
them: the privacy app's inventory (PIPL record of processing), registered into workers.anonymise.

Kept on purpose (no personal data, or needed for statistics and the programme's own records):
visits' service and time, cases' type, amounts and outcome (free text is redacted by the
closed-cases rule), enrolments, placements and wages, consent history, award records
(recognition: public honours, published in the 公示 notice).
An app may declare its own tables from its AppConfig.ready() with the same calls; a later
registration of the same model replaces the one here.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from gongyou.cases.enums import CaseStatus
from gongyou.cases.models import Claimant
from gongyou.workers.services import (
    Redact,
    register_anonymisation_blocker,
    register_worker_pii,
)

from .models import LegalHold

CASE_ENDED = (CaseStatus.CLOSED, CaseStatus.REJECTED)

register_worker_pii("stations.Visit", fields={"note": Redact.BLANK})
register_worker_pii("jobs.SeekerProfile", fields={"note": Redact.BLANK})
register_worker_pii("jobs.Referral", fields={"note": Redact.BLANK, "last_reason": Redact.BLANK})
register_worker_pii(
    "jobs.FollowUp", worker_field="placement__worker", fields={"note": Redact.BLANK}
)
register_worker_pii("training.Enrolment", fields={"note": Redact.BLANK})
# The worker's sign-in identity goes (its self-registrations with it); sessions end.
register_worker_pii("portal.PortalAccount", delete=True)
register_worker_pii(
    "portal.SelfRegistration",
    fields={
        "name": Redact.NAME,
        "national_id_enc": Redact.BLANK,
        "national_id_hash": Redact.BLANK,
        "national_id_masked": Redact.MASK,
    },
)
register_worker_pii(
    "portal.CorrectionRequest",
    fields={"requested_value": Redact.BLANK, "explanation": Redact.BLANK},
)
# publicservices may move these two lines into its own AppConfig.ready().
register_worker_pii(
    "publicservices.FamilyMember",
    fields={"name": Redact.ROW, "birth_date": Redact.YEAR, "note": Redact.BLANK},
)
register_worker_pii(
    "publicservices.Referral",
    fields={"note": Redact.BLANK, "reason": Redact.BLANK, "outcome_note": Redact.BLANK},
)


def _open_cases(worker_ids: list[int]) -> Mapping[int, str]:
    out: dict[int, str] = {}
    rows = (
        Claimant.objects.filter(worker_id__in=worker_ids)
        .exclude(case__status__in=CASE_ENDED)
        .values_list("worker_id", "case__reference")
        .order_by("case__reference")
    )
    for worker_id, reference in rows:
        out.setdefault(worker_id, _("open case %(ref)s") % {"ref": reference})
    return out


def _legal_holds(worker_ids: list[int]) -> Mapping[int, str]:
    rows = LegalHold.objects.filter(worker_id__in=worker_ids, released_at__isnull=True)
    return {
        worker_id: _("legal hold: %(reason)s") % {"reason": reason}
        for worker_id, reason in rows.values_list("worker_id", "reason").order_by("id")
    }


register_anonymisation_blocker("cases.open_case", _open_cases)
register_anonymisation_blocker("privacy.legal_hold", _legal_holds)
