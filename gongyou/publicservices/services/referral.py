"""Referrals to the responsible department, and their one transition service."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed
from gongyou.settlement import selectors as settlement
from gongyou.settlement.enums import Purpose
from gongyou.workers.models import Worker

from .. import selectors
from ..enums import OPEN_REFERRALS, REFERRAL_TRANSITIONS, Beneficiary, ReferralStatus
from ..models import FamilyMember, PublicService, Referral
from ..policies import referral_require_can_create, referral_require_can_transition
from .catalogue import TransitionNotAllowed, VersionChanged, user_of

SNAP = ["status", "reason", "outcome_note", "department", "department_name", "note"]


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    worker: Worker,
    service_id: Any,
    family_member_id: Any = None,
    note: str = "",
) -> Referral:
    """Refer a worker (or a family member) to the department of a service in force in the
    worker's current city. The answer of the day is stored with the referral."""
    referral_require_can_create(actor, worker)
    errors = FieldErrors()
    service = None
    if service_id in (None, ""):
        errors.add("service_id", "required", _("Choose the service."))
    else:
        sid = int(str(service_id)) if str(service_id).isdigit() else 0
        service = PublicService.objects.select_related("city").filter(pk=sid).first()
        if service is None:
            errors.add("service_id", "not_found", _("No such service in the catalogue."))
    member: FamilyMember | None = None
    if family_member_id not in (None, ""):
        member = FamilyMember.objects.filter(
            worker=worker, pk=int(str(family_member_id)) if str(family_member_id).isdigit() else 0
        ).first()
        if member is None:
            errors.add("family_member_id", "not_found", _("No such family member of this worker."))
    note = (note or "").strip()
    if len(note) > 2000:
        errors.add("note", "too_long", _("At most 2000 characters."))
    errors.raise_if_any()
    assert service is not None
    day = settlement.today()
    version = selectors.version_in_force(service=service, day=day)
    if version is None:
        raise ValidationFailed(
            fields={
                "service_id": FieldError(
                    "not_in_force", _("This service has no published version in force today.")
                )
            }
        )
    city = selectors.city_of(worker.current_region_id)
    if city != service.city_id:
        raise ValidationFailed(
            fields={
                "service_id": FieldError(
                    "other_city",
                    _("This service is in %(city)s; the worker lives in %(here)s.")
                    % {
                        "city": service.city.name,
                        "here": selectors.city_name(city) if city else "?",
                    },
                )
            }
        )
    if version.beneficiary == Beneficiary.CHILD and (member is None or member.relation != "child"):
        raise ValidationFailed(
            fields={
                "family_member_id": FieldError(
                    "child_required", _("This service is for a child: choose the child.")
                )
            }
        )
    # Two staff referring the same worker at once: the worker row serialises the duplicate check.
    Worker.objects.select_for_update().filter(pk=worker.pk).first()
    duplicate = Referral.objects.filter(
        worker=worker, service=service, family_member=member, status__in=OPEN_REFERRALS
    ).first()
    if duplicate is not None:
        raise Conflict(
            _("An open referral for this service already exists (no. %(id)s).")
            % {"id": duplicate.pk},
            fields={"service_id": FieldError("duplicate", _("Already referred."))},
        )
    facts = settlement.worker_facts_load(worker=worker)
    # The points level is the worker's (a parent's points open a child's school place).
    points = (
        settlement.answer_for(facts=facts, city=city, day=day, purpose=Purpose.SERVICES)
        if version.needs_points
        else None
    )
    if member is not None and member.birth_date:
        facts = dataclasses.replace(facts, birth_date=member.birth_date)
    answer = selectors.service_answer(
        version=version, facts=facts, day=day, points_answer=points, member=member
    )
    referral = Referral.objects.create(
        worker=worker,
        family_member=member,
        service=service,
        service_version=version,
        city_id=city,
        department=version.department,
        department_name=version.department_label,
        referred_by_org_id=actor.organisation_id,
        created_by=user_of(actor),
        note=note,
        availability=answer["availability"],
    )
    audit_record(
        actor=user_of(actor),
        action="publicservices.referral.create",
        entity=referral,
        after={
            **snapshot(referral, [*SNAP, "service", "family_member"]),
            "availability": answer["availability"],
        },
        worker_id=worker.pk,
        region_code=city or "",
        summary=_("Referred to %(dept)s for %(service)s")
        % {"dept": referral.department_label or "?", "service": service.name},
    )
    return referral


@transaction.atomic
def referral_transition(
    *,
    actor: Actor,
    referral: Referral,
    to_status: str,
    reason: str = "",
    note: str = "",
    expected_version: int,
) -> Referral:
    """The one way a referral changes status (REFERRAL_TRANSITIONS). A refusal needs the
    department's reason; a withdrawal needs the referring side's reason."""
    locked = Referral.objects.select_for_update().filter(pk=referral.pk).first()
    if locked is None:
        raise NotFound()
    if to_status not in ReferralStatus.values:
        raise ValidationFailed(
            fields={"to_status": FieldError("invalid_choice", _("Choose a status from the list."))}
        )
    referral_require_can_transition(actor, locked, to_status)
    if locked.version != expected_version:
        raise VersionChanged(_("Someone else changed this referral; reload and try again."))
    if to_status not in REFERRAL_TRANSITIONS[locked.status]:
        raise TransitionNotAllowed(
            _("A referral that is %(from)s cannot become %(to)s.")
            % {"from": locked.get_status_display(), "to": ReferralStatus(to_status).label},
            fields={"to_status": FieldError("not_allowed", _("Not allowed from this status."))},
        )
    reason, note = (reason or "").strip(), (note or "").strip()
    errors = FieldErrors()
    if to_status in (ReferralStatus.REFUSED, ReferralStatus.WITHDRAWN) and not reason:
        errors.add(
            "reason",
            "required",
            _("Give the department's reason for the refusal.")
            if to_status == ReferralStatus.REFUSED
            else _("Say why the referral is withdrawn."),
        )
    if len(reason) > 2000:
        errors.add("reason", "too_long", _("At most 2000 characters."))
    if len(note) > 2000:
        errors.add("note", "too_long", _("At most 2000 characters."))
    errors.raise_if_any()
    before = snapshot(locked, SNAP)
    locked.status = to_status
    if reason:
        locked.reason = reason
    if note:
        locked.outcome_note = note
    if to_status != ReferralStatus.PENDING:
        locked.outcome_at = timezone.now()
    locked.version += 1
    locked.save()
    audit_record(
        actor=user_of(actor),
        action="publicservices.referral.transition",
        entity=locked,
        before=before,
        after=snapshot(locked, SNAP),
        worker_id=locked.worker_id,
        region_code=locked.city_id,
        summary=f"{locked.service.name}: {ReferralStatus(to_status).label}"
        + (f" ({reason})" if reason else ""),
    )
    return locked
