"""Case writes after intake: the lifecycle, assignment, transfer, referral, claimants, notes.

Each service validates every field first (422 names all bad ones), then locks the case and
checks the version the caller read (409 `case_changed` if someone else changed it), then
writes the change, a timeline event and the audit rows in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, actor_for
from gongyou.accounts.selectors import organisation_admins, organisation_list, user_get_active
from gongyou.core.errors import FieldErrors, PermissionDenied

from ..enums import (
    TRANSITIONS,
    CaseEventKind,
    CaseStatus,
    ClaimantOutcome,
    NotificationKind,
    Resolution,
)
from ..models import Case, Claimant
from ..policies import (
    HANDLE_ROLES,
    actor_is_partner,
    case_is_visible,
    case_require_can_manage,
    case_require_can_note,
    case_require_visible,
)
from .alert import arrears_evaluate, notify
from .common import (
    CaseTransitionNotAllowed,
    bump,
    clean_amount,
    clean_id,
    clean_text,
    clean_version,
    lock,
    record,
)
from .deadline import deadlines_on_transition
from .intake import clean_claimants

FEDERATION_KINDS = frozenset(
    {
        OrganisationKind.NATIONAL_FEDERATION,
        OrganisationKind.PROVINCIAL_FEDERATION,
        OrganisationKind.CITY_FEDERATION,
        OrganisationKind.DISTRICT_FEDERATION,
        OrganisationKind.PARK_FEDERATION,
    }
)


@transaction.atomic
def case_transition(
    *,
    actor: Actor,
    case: Case,
    to_status: Any,
    reason: Any,
    version: Any,
    resolution: Any = "",
    today: dt.date | None = None,
) -> Case:
    """Move the case along TRANSITIONS; reason required; deadlines follow the stage."""
    case_require_visible(actor, case)
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in CaseStatus.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    text = clean_text("reason", reason, errors, required=True, limit=1000)
    version_n = clean_version(version, errors)
    resolution = str(resolution or "")
    if target == CaseStatus.RESOLVED and resolution not in Resolution.values:
        errors.add("resolution", "required", _("Say how the case was resolved."))
    elif target != CaseStatus.RESOLVED and resolution:
        errors.add("resolution", "not_applicable", _("Only a resolved case has a resolution."))
    errors.raise_if_any()
    case = lock(case, version_n)
    allowed = TRANSITIONS.get(case.status, {})
    if target not in allowed:
        raise CaseTransitionNotAllowed(
            _("A case cannot go from “%(a)s” to “%(b)s”.")
            % {"a": CaseStatus(case.status).label, "b": CaseStatus(target).label},
            extra={
                "allowed": sorted(k for k, roles in allowed.items() if actor.roles & roles)
                if not actor_is_partner(actor)
                else []
            },
        )
    if not actor.roles & allowed[target]:
        raise PermissionDenied(_("Your role cannot make this change."))
    if actor_is_partner(actor):  # a referred partner department reads the case, never moves it
        raise PermissionDenied(_("Your role cannot make this change."))
    before = case.status
    case.status = target
    if target == CaseStatus.RESOLVED:
        case.resolution = resolution
    elif target == CaseStatus.REOPENED:
        case.resolution = ""
    bump(case, "status", "resolution")
    changes = deadlines_on_transition(
        case=case, to_status=target, today=today or timezone.localdate()
    )
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.TRANSITION,
        action="case.transition",
        summary=f"{CaseStatus(before).label} → {CaseStatus(target).label}",
        reason=text,
        from_status=before,
        to_status=target,
        before={"status": before},
        after={"status": target, **({"resolution": resolution} if resolution else {}), **changes},
    )
    return case


@transaction.atomic
def case_assign(*, actor: Actor, case: Case, user_id: Any, version: Any, reason: Any = "") -> Case:
    """Give the case to a handler who can see it (a case handler or an admin)."""
    case_require_can_manage(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    text = clean_text("reason", reason, errors, required=False, limit=1000)
    uid = clean_id("user_id", user_id, errors)
    user = user_get_active(user_id=uid) if uid is not None else None
    if uid is not None:
        handler = actor_for(user) if user is not None else None
        if (
            handler is None
            or not handler.roles & HANDLE_ROLES
            or actor_is_partner(handler)
            or not case_is_visible(handler, case)
        ):
            errors.add(
                "user_id", "unknown_handler", _("Choose a case handler who can see the case.")
            )
    errors.raise_if_any()
    assert user is not None
    case = lock(case, version_n)
    before = case.assigned_to_id
    case.assigned_to = user
    bump(case, "assigned_to")
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.ASSIGNMENT,
        action="case.assign",
        summary=_("Assigned to %(user)s") % {"user": user},
        reason=text,
        before={"assigned_to": before},
        after={"assigned_to": user.pk},
    )
    if user.pk != getattr(actor.user, "pk", None):
        notify(
            recipients=[user],
            case=case,
            kind=NotificationKind.ASSIGNED,
            text=_("%(ref)s was assigned to you.") % {"ref": case.reference},
            key=f"assigned:{case.pk}:{case.version}",
        )
    return case


def _target_org(actor: Actor, organisation_id: Any, errors: FieldErrors, *, partner: bool) -> Any:
    oid = clean_id("organisation_id", organisation_id, errors)
    if oid is None:
        return None
    org: Organisation | None = organisation_list(actor=actor).filter(pk=oid, is_active=True).first()
    ok = org is not None and (
        org.kind == OrganisationKind.PARTNER_DEPARTMENT if partner else org.kind in FEDERATION_KINDS
    )
    if not ok:
        errors.add(
            "organisation_id",
            "unknown_organisation",
            _("Choose a partner department in your area.")
            if partner
            else _("Choose a trade-union organisation in your area."),
        )
        return None
    return org


@transaction.atomic
def case_transfer(
    *, actor: Actor, case: Case, organisation_id: Any, reason: Any, version: Any
) -> Case:
    """Hand the case to another union organisation in scope; it becomes theirs, unassigned."""
    case_require_can_manage(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    text = clean_text("reason", reason, errors, required=True, limit=1000)
    org = _target_org(actor, organisation_id, errors, partner=False)
    if org is not None and org.pk == case.organisation_id:
        errors.add("organisation_id", "unchanged", _("The case is already with this organisation."))
    errors.raise_if_any()
    case = lock(case, version_n)
    before = {"organisation": case.organisation_id, "assigned_to": case.assigned_to_id}
    case.organisation, case.assigned_to = org, None
    bump(case, "organisation", "assigned_to")
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.TRANSFER,
        action="case.transfer",
        summary=_("Transferred to %(org)s") % {"org": org},
        reason=text,
        before=before,
        after={"organisation": org.pk, "assigned_to": None},
    )
    return case


@transaction.atomic
def case_refer(
    *, actor: Actor, case: Case, organisation_id: Any, reason: Any, version: Any
) -> Case:
    """Refer to a partner department: its staff then see the case in their own queue."""
    case_require_can_manage(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    text = clean_text("reason", reason, errors, required=True, limit=1000)
    org = _target_org(actor, organisation_id, errors, partner=True)
    errors.raise_if_any()
    case = lock(case, version_n)
    before = case.referred_to_id
    case.referred_to = org
    bump(case, "referred_to")
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.REFERRAL,
        action="case.refer",
        summary=_("Referred to %(org)s") % {"org": org},
        reason=text,
        before={"referred_to": before},
        after={"referred_to": org.pk},
    )
    notify(
        recipients=organisation_admins(organisation_ids=[org.pk]),
        case=case,
        kind=NotificationKind.REFERRED,
        text=_("%(ref)s was referred to your organisation.") % {"ref": case.reference},
        key=f"referred:{case.pk}:{case.version}",
    )
    return case


@transaction.atomic
def claimant_add(
    *, actor: Actor, case: Case, worker_id: Any, amount_claimed: Any, version: Any
) -> Claimant:
    case_require_can_manage(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    parsed = clean_claimants(
        actor, [{"worker_id": worker_id, "amount_claimed": amount_claimed}], errors, required=True
    )
    errors.errors = {k.replace("claimants.0.", ""): v for k, v in errors.errors.items()}
    if parsed and case.claimants.filter(worker_id=parsed[0][0]).exists():
        errors.add("worker_id", "duplicate", _("This worker is already a claimant."))
    errors.raise_if_any()
    case = lock(case, version_n)
    claimant = Claimant.objects.create(
        case=case, worker_id=parsed[0][0], amount_claimed=parsed[0][1]
    )
    case.is_collective = case.claimants.count() >= settings.CASES_COLLECTIVE_CLAIMANTS
    bump(case, "is_collective")
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.CLAIMANT,
        action="case.claimant_add",
        summary=_("Claimant added"),
        after={"worker": claimant.worker_id, "amount_claimed": claimant.amount_claimed},
    )
    arrears_evaluate(case=case)
    return claimant


@transaction.atomic
def claimant_record_outcome(
    *, actor: Actor, case: Case, claimant_id: Any, data: dict[str, Any], version: Any
) -> Claimant:
    """Outcome, amount recovered and the worker's satisfaction (1–5) at follow-up."""
    case_require_can_manage(actor, case)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    claimant = case.claimants.filter(pk=clean_id("claimant_id", claimant_id, errors) or 0).first()
    if claimant is None and "claimant_id" not in errors.errors:
        errors.add("claimant_id", "unknown_claimant", _("No such claimant on this case."))
    values: dict[str, Any] = {}
    if "outcome" in data:
        if data["outcome"] not in ClaimantOutcome.values:
            errors.add("outcome", "invalid_choice", _("Choose an outcome."))
        values["outcome"] = data["outcome"]
    if "amount_recovered" in data:
        values["amount_recovered"] = clean_amount(
            "amount_recovered", data["amount_recovered"], errors
        )
    if "satisfaction" in data:
        score = data["satisfaction"]
        if isinstance(score, str) and score.strip().isdigit():
            score = int(score.strip())  # form and CSV clients send text
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5
        ):
            errors.add(
                "satisfaction", "out_of_range", _("Satisfaction is 1 (poor) to 5 (very good).")
            )
        values["satisfaction"] = score
    for field in sorted(set(data) - {"outcome", "amount_recovered", "satisfaction"}):
        errors.add(field, "not_editable", _("This field cannot be changed here."))
    if not values and not errors:
        errors.add(
            "outcome",
            "required",
            _("Send an outcome, an amount recovered or a satisfaction score."),
        )
    errors.raise_if_any()
    assert claimant is not None
    case = lock(case, version_n)
    before = {k: getattr(claimant, k) for k in values}
    for key, value in values.items():
        setattr(claimant, key, value)
    if "satisfaction" in values:
        claimant.followed_up_at = timezone.now()
    claimant.save()
    bump(case)
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.OUTCOME,
        action="case.outcome",
        summary=_("Outcome recorded for a claimant"),
        before={"claimant": claimant.pk, **before},
        after={"claimant": claimant.pk, "worker": claimant.worker_id, **values},
    )
    return claimant


@transaction.atomic
def case_note(*, actor: Actor, case: Case, text: Any) -> Case:
    """A note on the timeline. Notes change nothing, so they need no version and bump none."""
    case_require_can_note(actor, case)
    errors = FieldErrors()
    body = clean_text("text", text, errors, required=True, limit=5000)
    errors.raise_if_any()
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.NOTE,
        action="case.note",
        summary=_("Note added"),
        reason=body,
        audit_reason=False,  # free text stays on the timeline, out of the audit log
    )
    return case
