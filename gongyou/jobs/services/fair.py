"""Job fairs: events, participating employers and their vacancies, worker registrations."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.errors import Conflict, FieldErrors, NotFound
from gongyou.employers.selectors import employers_by_ids
from gongyou.workers.models import Worker
from gongyou.workers.policies import worker_is_visible

from ..enums import FAIR_TRANSITIONS, FairStatus
from ..models import FairEmployer, FairRegistration, FairVacancy, JobFair, Vacancy
from ..policies import (
    fair_require_can_manage,
    fair_require_can_register,
    jobs_roles,
    vacancy_is_visible,
)
from .common import (
    TransitionNotAllowed,
    clean_choice,
    clean_day,
    clean_region,
    clean_text,
    organisation_of,
    user_of,
)

FAIR_FIELDS = ["name", "region", "venue", "starts_on", "ends_on", "description", "status"]


class AlreadyAdded(Conflict):
    code = "already_added"
    default_message = gettext_lazy("Already part of this job fair.")


class FairClosed(Conflict):
    code = "fair_closed"
    default_message = gettext_lazy("The job fair is over or cancelled.")


@transaction.atomic
def fair_create(*, actor: Actor, data: dict[str, Any]) -> JobFair:
    fair_require_can_manage(actor)
    errors = FieldErrors()
    name = clean_text("name", data.get("name"), errors, required=True, limit=200)
    region = clean_region("region", data.get("region"), errors)
    if region and not actor.covers_region(region):
        errors.add("region", "out_of_scope", _("The region is outside your area."))
    venue = clean_text("venue", data.get("venue"), errors, required=True, limit=200)
    starts = clean_day("starts_on", data.get("starts_on"), errors, required=True)
    ends = clean_day("ends_on", data.get("ends_on") or data.get("starts_on"), errors, required=True)
    if starts and ends and ends < starts:
        errors.add("ends_on", "before_start", _("The fair cannot end before it starts."))
    description = clean_text(
        "description", data.get("description"), errors, required=False, limit=4000
    )
    errors.raise_if_any()
    assert starts is not None and ends is not None
    fair = JobFair.objects.create(
        name=name,
        region_id=region,
        venue=venue,
        starts_on=starts,
        ends_on=ends,
        description=description,
        organisation_id=organisation_of(actor),
        created_by=user_of(actor),
    )
    audit_record(
        actor=user_of(actor),
        action="fair.create",
        entity=fair,
        after=snapshot(fair, FAIR_FIELDS),
        region_code=region,
        summary=name,
    )
    return fair


@transaction.atomic
def fair_transition(*, actor: Actor, fair: JobFair, to_status: Any, reason: Any = "") -> JobFair:
    fair_require_can_manage(actor, fair)
    errors = FieldErrors()
    target = clean_choice("to_status", to_status, FairStatus.values, errors, required=True)
    text = clean_text("reason", reason, errors, required=target == FairStatus.CANCELLED, limit=500)
    errors.raise_if_any()
    fair = JobFair.objects.select_for_update().get(pk=fair.pk)
    allowed = FAIR_TRANSITIONS.get(fair.status, {})
    if target not in allowed or not jobs_roles(actor) & allowed[target]:
        raise TransitionNotAllowed(
            _("A job fair cannot go from “%(a)s” to “%(b)s”.")
            % {"a": FairStatus(fair.status).label, "b": FairStatus(target).label}
        )
    before = fair.status
    fair.status = target
    fair.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=user_of(actor),
        action="fair.transition",
        entity=fair,
        before={"status": before},
        after={"status": target, **({"reason": text} if text else {})},
        region_code=fair.region_id,
        summary=f"{fair.name}: {FairStatus(before).label} → {FairStatus(target).label}",
    )
    return fair


def _require_planned(fair: JobFair) -> None:
    if fair.status != FairStatus.PLANNED:
        raise FairClosed()


@transaction.atomic
def fair_add_employer(
    *, actor: Actor, fair: JobFair, employer_id: Any, booth: Any = ""
) -> FairEmployer:
    fair_require_can_manage(actor, fair)
    _require_planned(fair)
    errors = FieldErrors()
    employer = None
    if not str(employer_id or "").isdigit():
        errors.add("employer_id", "required", _("Choose the employer."))
    else:
        employer = employers_by_ids(actor=actor, ids=[int(employer_id)]).get(int(employer_id))
        if employer is None:
            errors.add("employer_id", "not_found", _("No such employer in your area."))
        elif employer.arrears_flagged:
            errors.add("employer_id", "flagged", _("The employer is flagged for wage arrears."))
    booth_text = clean_text("booth", booth, errors, required=False, limit=40)
    errors.raise_if_any()
    assert employer is not None
    try:
        with transaction.atomic():
            row = FairEmployer.objects.create(fair=fair, employer=employer, booth=booth_text)
    except IntegrityError:
        raise AlreadyAdded() from None
    audit_record(
        actor=user_of(actor),
        action="fair.add_employer",
        entity=fair,
        after={"employer": employer.pk, "booth": booth_text},
        region_code=fair.region_id,
        summary=_("%(e)s takes part in %(f)s") % {"e": employer.name, "f": fair.name},
    )
    return row


@transaction.atomic
def fair_add_vacancy(*, actor: Actor, fair: JobFair, vacancy: Vacancy) -> FairVacancy:
    """Show an open vacancy at the fair; its employer joins the fair if not yet there."""
    fair_require_can_manage(actor, fair)
    if not vacancy_is_visible(actor, vacancy):
        raise NotFound()
    _require_planned(fair)
    errors = FieldErrors()
    if vacancy.status != "open":
        errors.add("vacancy_id", "not_open", _("Only an open vacancy can be shown at a fair."))
    errors.raise_if_any()
    if not FairEmployer.objects.filter(fair=fair, employer_id=vacancy.employer_id).exists():
        fair_add_employer(actor=actor, fair=fair, employer_id=vacancy.employer_id)
    try:
        with transaction.atomic():
            row = FairVacancy.objects.create(fair=fair, vacancy=vacancy)
    except IntegrityError:
        raise AlreadyAdded() from None
    audit_record(
        actor=user_of(actor),
        action="fair.add_vacancy",
        entity=fair,
        after={"vacancy": vacancy.pk},
        region_code=fair.region_id,
        summary=_("%(v)s shown at %(f)s") % {"v": vacancy.title, "f": fair.name},
    )
    return row


@transaction.atomic
def fair_register_worker(*, actor: Actor, fair: JobFair, worker: Worker) -> FairRegistration:
    fair_require_can_register(actor)
    if not worker_is_visible(actor, worker):
        raise NotFound()
    _require_planned(fair)
    try:
        with transaction.atomic():
            row = FairRegistration.objects.create(
                fair=fair, worker=worker, registered_by=user_of(actor)
            )
    except IntegrityError:
        raise AlreadyAdded(_("The worker is already registered for this fair.")) from None
    audit_record(
        actor=user_of(actor),
        action="fair.register",
        entity=fair,
        after={"worker": worker.pk},
        worker_id=worker.pk,
        region_code=fair.region_id,
        summary=_("Registered for the job fair %(f)s") % {"f": fair.name},
    )
    return row


@transaction.atomic
def fair_mark_attended(
    *, actor: Actor, registration: FairRegistration, attended: bool
) -> FairRegistration:
    fair_require_can_register(actor)
    if not worker_is_visible(actor, registration.worker):
        raise NotFound()
    if registration.attended == attended:
        return registration
    registration.attended = attended
    registration.save(update_fields=["attended"])
    audit_record(
        actor=user_of(actor),
        action="fair.attend",
        entity=registration.fair,
        after={"worker": registration.worker_id, "attended": attended},
        worker_id=registration.worker_id,
        region_code=registration.fair.region_id,
        summary=(_("Attended %(f)s") if attended else _("Did not attend %(f)s"))
        % {"f": registration.fair.name},
    )
    return registration
