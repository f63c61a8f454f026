"""Case intake: validate the case, its claimants, respondents and project; write them with the
timeline, audit rows and intake deadlines; run the arrears early warning."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import FieldErrors
from gongyou.employers.selectors import employers_by_ids
from gongyou.regions.selectors import region_is_known
from gongyou.stations.policies import stations_visible_to
from gongyou.workers.policies import workers_visible_to

from ..enums import (
    CaseEventKind,
    CaseType,
    Channel,
    PlatformIssue,
    RespondentRole,
)
from ..models import Case, Claimant, Project, Respondent
from ..policies import case_require_can_intake, projects_visible_to
from ..selectors import work_calendar
from .alert import arrears_evaluate
from .common import (
    clean_amount,
    clean_id,
    clean_text,
    record,
)
from .deadline import deadlines_at_intake

MAX_CLAIMANTS = 1000


def clean_claimants(
    actor: Actor, items: Any, errors: FieldErrors, *, required: bool
) -> list[tuple[int, Any]]:
    if not items:
        if required:
            errors.add("claimants", "required", _("Name at least one claimant (worker_id)."))
        return []
    if not isinstance(items, list) or len(items) > MAX_CLAIMANTS:
        errors.add("claimants", "invalid", _("A list of at most 1000 claimants."))
        return []
    out: list[tuple[int, Any]] = []
    for i, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        worker_id = clean_id(f"claimants.{i}.worker_id", item.get("worker_id"), errors)
        amount = clean_amount(f"claimants.{i}.amount_claimed", item.get("amount_claimed"), errors)
        if worker_id is not None:
            out.append((worker_id, amount or 0))
    ids = [w for w, _a in out]
    visible = set(workers_visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    seen: set[int] = set()
    for i, (worker_id, _a) in enumerate(out):
        if worker_id not in visible:
            errors.add(
                f"claimants.{i}.worker_id", "unknown_worker", _("No such worker in your area.")
            )
        elif worker_id in seen:
            errors.add(
                f"claimants.{i}.worker_id", "duplicate", _("This worker is already a claimant.")
            )
        seen.add(worker_id)
    return out


def _clean_respondents(actor: Actor, items: Any, errors: FieldErrors) -> list[tuple[Any, str]]:
    if not items:
        return []
    if not isinstance(items, list):
        errors.add("respondents", "invalid", _("A list of respondents."))
        return []
    parsed = []
    for i, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        employer_id = clean_id(f"respondents.{i}.employer_id", item.get("employer_id"), errors)
        role = str(item.get("role") or RespondentRole.EMPLOYER)
        if role not in RespondentRole.values:
            errors.add(f"respondents.{i}.role", "invalid_choice", _("Choose a respondent role."))
        parsed.append((i, employer_id, role))
    employers = employers_by_ids(actor=actor, ids=[e for _i, e, _r in parsed if e is not None])
    out, seen = [], set()
    for i, employer_id, role in parsed:
        if employer_id is None:
            continue
        if employer_id not in employers:
            errors.add(
                f"respondents.{i}.employer_id",
                "unknown_employer",
                _("No such employer in your area."),
            )
        elif (employer_id, role) in seen:
            errors.add(f"respondents.{i}.employer_id", "duplicate", _("Named twice in this role."))
        else:
            out.append((employers[employer_id], role))
        seen.add((employer_id, role))
    return out


def _clean_project(actor: Actor, data: Any, errors: FieldErrors) -> dict[str, Any] | None:
    if not data:
        return None
    data = data if isinstance(data, dict) else {}
    name = clean_text("project.name", data.get("name"), errors, required=True, limit=200)
    address = clean_text("project.address", data.get("address"), errors, required=False, limit=200)
    region = str(data.get("region") or "").strip()
    if not region_is_known(region):
        errors.add("project.region", "unknown_region", _("Choose a known region (6-digit code)."))
    elif not actor.covers_region(region):
        errors.add("project.region", "out_of_scope", _("The region is outside your area."))
    return {"name": name, "address": address, "region_id": region}


def _clean_project_ref(
    actor: Actor, data: dict[str, Any], respondents: list[tuple[Any, str]], errors: FieldErrors
) -> dict[str, Any] | Project | None:
    """A new project (`project`) or an existing one in the user's area (`project_id`), so
    that repeated cases on one site count against the same project. A project needs at least
    one respondent: the case names the project through its respondents."""
    given_id = data.get("project_id")
    if given_id not in (None, "") and data.get("project"):
        errors.add(
            "project_id", "conflicting", _("Name an existing project or a new one, not both.")
        )
        return None
    if given_id in (None, ""):
        project: dict[str, Any] | Project | None = _clean_project(
            actor, data.get("project"), errors
        )
    else:
        pid = clean_id("project_id", given_id, errors)
        project = projects_visible_to(actor).filter(pk=pid).first() if pid is not None else None
        if project is None and "project_id" not in errors.errors:
            errors.add("project_id", "unknown_project", _("No such project in your area."))
    if project is not None and not data.get("respondents"):
        errors.add(
            "respondents",
            "required",
            _("Name the project's general contractor or subcontractor among the respondents."),
        )
    return project


def _next_reference(region: str, year: int) -> str:
    prefix = f"RP-{region}-{year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:05d}"


def case_intake(*, actor: Actor, data: dict[str, Any]) -> Case:
    """Take in a case with its claimants (worker ids) and respondents (employer ids)."""
    case_require_can_intake(actor)
    errors = FieldErrors()
    kind = str(data.get("type") or "")
    if kind not in CaseType.values:
        errors.add("type", "invalid_choice" if kind else "required", _("Choose the case type."))
    issue = str(data.get("platform_issue") or "")
    if kind == CaseType.PLATFORM_WORK and issue not in PlatformIssue.values:
        errors.add("platform_issue", "required", _("Choose the platform-work issue."))
    elif kind != CaseType.PLATFORM_WORK and issue:
        errors.add("platform_issue", "not_applicable", _("Only platform-work cases have an issue."))
    default_channel = Channel.FRONT_DESK if actor.is_station_bound else Channel.API
    channel = str(data.get("channel") or default_channel)
    if channel not in Channel.values:
        errors.add("channel", "invalid_choice", _("Choose the intake channel."))
    summary = clean_text("summary", data.get("summary"), errors, required=True, limit=300)
    description = clean_text(
        "description", data.get("description"), errors, required=False, limit=5000
    )
    station = None
    station_id = clean_id(
        "intake_station_id",
        data.get("intake_station_id") or (actor.station_id if actor.is_station_bound else None),
        errors,
        required=actor.is_station_bound,
    )
    if station_id is not None:
        station = stations_visible_to(actor).filter(pk=station_id).first()
        if station is None:
            errors.add("intake_station_id", "unknown_station", _("No such station in your area."))
    region = str(data.get("region") or (station.region_id if station else "")).strip()
    if not region:
        errors.add("region", "required", _("Choose the region where the dispute arose."))
    elif not region_is_known(region):
        errors.add("region", "unknown_region", _("Choose a known region (6-digit code)."))
    elif not actor.covers_region(region):
        errors.add("region", "out_of_scope", _("The region is outside your area."))
    incident_on = clean_date("incident_on", data.get("incident_on"), errors)
    if kind == CaseType.WORK_INJURY and incident_on is None and "incident_on" not in errors.errors:
        errors.add("incident_on", "required", _("Enter the date of the accident or the diagnosis."))
    known_on = clean_date("infringement_known_on", data.get("infringement_known_on"), errors)
    claimants = clean_claimants(actor, data.get("claimants"), errors, required=True)
    respondents = _clean_respondents(actor, data.get("respondents"), errors)
    project = _clean_project_ref(actor, data, respondents, errors)
    if actor.organisation_id is None:
        errors.add("organisation", "required", _("Your account belongs to no organisation."))
    errors.raise_if_any()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _intake_write(
                    actor=actor,
                    values={
                        "type": kind,
                        "platform_issue": issue,
                        "channel": channel,
                        "summary": summary,
                        "description": description,
                        "region_id": region,
                        "intake_station": station,
                        "incident_on": incident_on,
                        "infringement_known_on": known_on,
                        "organisation_id": actor.organisation_id,
                        "created_by": actor.user,
                    },
                    claimants=claimants,
                    respondents=respondents,
                    project=project,
                )
        except IntegrityError:
            continue  # two intakes took the same reference number: take the next one
    raise IntegrityError("could not allocate a case reference")


def _intake_write(
    *,
    actor: Actor,
    values: dict[str, Any],
    claimants: list[tuple[int, Any]],
    respondents: list[tuple[Any, str]],
    project: dict[str, Any] | Project | None,
) -> Case:
    now = timezone.now()
    case = Case(received_at=now, **values)
    case.reference = _next_reference(values["region_id"], timezone.localdate(now).year)
    case.is_collective = len(claimants) >= settings.CASES_COLLECTIVE_CLAIMANTS
    case.save()
    Claimant.objects.bulk_create(
        [Claimant(case=case, worker_id=w, amount_claimed=a) for w, a in claimants]
    )
    project_row = None
    general = next((e for e, r in respondents if r == RespondentRole.GENERAL_CONTRACTOR), None)
    subcontractors = [e for e, r in respondents if r == RespondentRole.SUBCONTRACTOR]
    if isinstance(project, Project):
        # An existing project keeps its general contractor; a first one named is recorded,
        # and newly named subcontractors are added (Art. 30: the contractor answers for them).
        project_row = Project.objects.select_for_update().get(pk=project.pk)
        if project_row.general_contractor_id is None and general is not None:
            project_row.general_contractor = general
            project_row.save(update_fields=["general_contractor", "updated_at"])
        project_row.subcontractors.add(*subcontractors)
    elif project is not None:
        project_row = Project.objects.create(general_contractor=general, **project)
        project_row.subcontractors.set(subcontractors)
    Respondent.objects.bulk_create(
        [Respondent(case=case, employer=e, role=r, project=project_row) for e, r in respondents]
    )
    started = deadlines_at_intake(case=case, cal=work_calendar())
    record(
        case=case,
        actor=actor,
        kind=CaseEventKind.INTAKE,
        action="case.intake",
        summary=_("Case taken in: %(type)s, %(n)d claimant(s)")
        % {"type": CaseType(case.type).label, "n": len(claimants)},
        to_status=case.status,
        after={
            "type": case.type,
            "channel": case.channel,
            "claimants": len(claimants),
            "respondents": [e.pk for e, _r in respondents],
            **({"project": project_row.pk} if project_row is not None else {}),
            "deadlines_started": [d.kind for d in started],
        },
    )
    arrears_evaluate(case=case)
    return case
