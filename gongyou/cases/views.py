"""Case pages: my queue, intake, the case page (lifecycle, assignment, transfer, referral,
claimants, deadlines, notes, timeline), notifications, and an employer's case history.

Thin: parse the request, call one selector or service, render. Worker and employer searches
are POSTs so that ID and mobile numbers never appear in URLs. NotFound and PermissionDenied
need no handling here: core's ApplicationErrorMiddleware turns them into the 404 and 403 pages.
Every change sends the case version the user read; a stale one re-renders the page as it is
now, keeping what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import Actor, actor_for
from gongyou.core.errors import Conflict, FieldError, ValidationFailed
from gongyou.core.htmx import is_htmx, list_query, template_for
from gongyou.employers.selectors import EmployerFilter, employer_get, employer_list
from gongyou.employers.uscc import normalise_credit_code
from gongyou.regions.selectors import region_label
from gongyou.stations.selectors import station_list
from gongyou.workers.selectors import worker_get, worker_list

from .deadlines import PACKAGE_YEARS, RULES
from .enums import TRANSITIONS, CaseStatus, DeadlineStatus, DeadlineUnit
from .forms import (
    RESPONDENT_ROLES,
    AssignForm,
    AttachmentForm,
    CalendarDayForm,
    CaseIntakeForm,
    CaseQueueForm,
    ClaimantAddForm,
    ClaimantLine,
    DeadlineExtendForm,
    DeadlineMetForm,
    NoteForm,
    NotificationFilterForm,
    OrganisationForm,
    OutcomeForm,
    ProjectFilterForm,
    ProjectFlagForm,
    TransitionForm,
    VersionForm,
    parse_claimant_lines,
    worker_search_filter,
)
from .models import Case
from .policies import (
    CALENDAR_ROLES,
    HANDLE_ROLES,
    INTAKE_ROLES,
    actor_is_partner,
    calendar_require_can_edit,
    case_can_manage,
    case_require_can_intake,
)
from .selectors import (
    CaseFilter,
    ProjectFilter,
    attachment_list,
    calendar_day_list,
    case_detail,
    case_get,
    case_handler_choices,
    case_organisation_choices,
    case_queue,
    case_queue_counts,
    deadlines_missing_calendar_count,
    employer_cases,
    near_days,
    notification_list,
    project_cases,
    project_get,
    project_list,
)
from .services import (
    CaseChanged,
    attachment_add,
    attachment_open,
    calendar_day_set,
    case_assign,
    case_intake,
    case_note,
    case_refer,
    case_transfer,
    case_transition,
    claimant_add,
    claimant_record_outcome,
    deadline_extend,
    deadline_meet,
    notification_mark_read,
    project_set_arrears_flag,
)

PAGE_SIZE = 50
SEARCH_RESULTS = 8
EMPLOYER_CASES = 50
CHOICES_LIMIT = 500


def _days(due: Any, today: Any) -> dict[str, Any]:
    """Days left to a due date, and whether that is overdue or near."""
    if due is None:
        return {"days_left": None, "days_overdue": 0, "overdue": False, "near": False}
    left = (due - today).days
    return {
        "days_left": left,
        "days_overdue": max(-left, 0),
        "overdue": left < 0,
        "near": 0 <= left <= near_days(),
    }


def _case_rows(cases: Any) -> list[tuple[Any, dict[str, Any]]]:
    today = timezone.localdate()
    return [(c, _days(getattr(c, "next_due", None), today)) for c in cases]


# --- queue ----------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def case_queue_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = CaseQueueForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = CaseFilter(
        status=data.get("status") or None,
        type=data.get("type") or None,
        region=data.get("region") or None,
        assigned_to="me" if data.get("mine") else None,
        referred="me" if data.get("referred") else None,
        overdue=True if data.get("overdue") else None,
        near=True if data.get("near") else None,
    )
    cases = case_queue(actor=actor, filters=filters, text=data.get("q") or None)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": _case_rows(page.object_list),
        "counts": case_queue_counts(actor=actor),
        "can_intake": bool(actor.roles & INTAKE_ROLES),
        "can_calendar": bool(actor.roles & CALENDAR_ROLES),
        "export_query": list_query(request.GET, kind="cases"),
    }
    return render(request, template_for(request, "cases/queue.html", "results"), context)


# --- intake ---------------------------------------------------------------------------------


def _stations(actor: Actor) -> list[tuple[Any, str]]:
    return [(s.pk, f"{s.name} ({s.code})") for s in station_list(actor=actor)[:CHOICES_LIMIT]]


def _posted_rows(post: QueryDict) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The claimant and respondent rows picked on the intake page (parallel lists)."""
    claimants = [
        {"worker_id": w, "label": label, "amount": amount}
        for w, label, amount in zip(
            post.getlist("claimant_worker"),
            post.getlist("claimant_label"),
            post.getlist("claimant_amount"),
            strict=False,
        )
    ]
    respondents = [
        {"employer_id": e, "label": label, "role": role}
        for e, label, role in zip(
            post.getlist("respondent_employer"),
            post.getlist("respondent_label"),
            post.getlist("respondent_role"),
            strict=False,
        )
    ]
    return claimants, respondents


def _resolve_lines(actor: Actor, lines: list[ClaimantLine]) -> list[dict[str, Any]]:
    """Each pasted line's worker (exactly one match by ID number or mobile), or worker_id 0,
    which the service reports as no such worker, with everything else wrong in one pass."""
    out = []
    for line in lines:
        found = []
        if line.filter is not None:
            found = list(
                worker_list(actor=actor, filters=line.filter).values_list(
                    "pk", "name", "national_id_masked"
                )[:2]
            )
        pk, label = (found[0][0], f"{found[0][1]} {found[0][2]}") if len(found) == 1 else (0, "")
        error = "" if line.filter is not None else _("Enter an ID number or a mobile number.")
        out.append({"line": line, "worker_id": pk, "label": label, "error": error})
    return out


def _row_errors(exc: ValidationFailed | Conflict | None, prefix: str, index: int) -> list[str]:
    if exc is None:
        return []
    start = f"{prefix}.{index}."
    return [e["message"] for k, e in exc.fields.items() if k.startswith(start)]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_intake_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    case_require_can_intake(actor)
    fixed = actor.is_station_bound
    form = CaseIntakeForm(
        request.POST or None,
        stations=[] if fixed else _stations(actor),
        station_fixed=fixed,
        initial={"channel": "front_desk" if fixed else "hotline"},
    )
    claimants, respondents = _posted_rows(request.POST)
    lines: list[dict[str, Any]] = []
    error: ValidationFailed | Conflict | None = None
    if request.method == "POST" and form.is_valid():
        lines = _resolve_lines(actor, parse_claimant_lines(form.cleaned_data["claimants_bulk"]))
        data = form.service_data(
            claimants=[
                {"worker_id": c["worker_id"], "amount_claimed": c["amount"]} for c in claimants
            ]
            + [{"worker_id": x["worker_id"], "amount_claimed": x["line"].amount} for x in lines],
            respondents=[{"employer_id": r["employer_id"], "role": r["role"]} for r in respondents],
        )
        try:
            case = case_intake(actor=actor, data=data)
        except (ValidationFailed, Conflict) as exc:
            error = exc
            form.add_service_error(exc)
        else:
            messages.success(request, _("Case %(ref)s taken in.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    for i, row in enumerate(claimants):
        row["errors"] = _row_errors(error, "claimants", i)
    line_errors = []
    for j, x in enumerate(lines):
        found = [x["error"]] if x["error"] else _row_errors(error, "claimants", len(claimants) + j)
        if found:
            line_errors.append((x["line"], " ".join(found)))
    for i, row in enumerate(respondents):
        row["errors"] = _row_errors(error, "respondents", i)
    if line_errors:
        form.add_error(
            "claimants_bulk",
            " ".join(
                _("Line %(n)d (%(text)s): %(error)s") % {"n": ln.number, "text": ln.key, "error": e}
                for ln, e in line_errors
            ),
        )
    picked = None
    if request.method == "POST" and str(request.POST.get("project_id", "")).isdigit():
        picked = project_list(actor=actor).filter(pk=request.POST["project_id"]).first()
    context = {
        "form": form,
        "claimants": claimants,
        "respondents": respondents,
        "picked_project": picked,
        "roles": RESPONDENT_ROLES,
        "claimants_missing": bool(error and "claimants" in error.fields),
        "station_fixed": fixed,
    }
    return render(request, "cases/intake.html", context)


@login_required
@never_cache
@require_POST
def worker_search(request: HttpRequest) -> HttpResponse:
    """Claimant search on the intake page: ID number, mobile or name (like the front desk)."""
    actor = actor_for(request.user)
    q = request.POST.get("worker_q", "").strip()[:50]
    filters = worker_search_filter(q)
    found = list(worker_list(actor=actor, filters=filters)[:SEARCH_RESULTS]) if filters else []
    rows = [(w, region_label(w.current_region_id)) for w in found]
    context = {"q": q, "rows": rows, "incomplete": bool(q) and filters is None}
    return render(request, "cases/intake.html#worker_results", context)


@login_required
@never_cache
@require_POST
def claimant_row(request: HttpRequest) -> HttpResponse:
    worker = worker_get(actor=actor_for(request.user), worker_id=request.POST.get("worker_id"))  # type: ignore[arg-type]
    row = {"worker_id": worker.pk, "label": f"{worker.name} {worker.national_id_masked}"}
    return render(request, "cases/intake.html#claimant_row", {"row": row})


@login_required
@never_cache
@require_POST
def employer_search(request: HttpRequest) -> HttpResponse:
    """Respondent search on the intake page: a credit code, or part of the name."""
    actor = actor_for(request.user)
    q = request.POST.get("employer_q", "").strip()[:100]
    code = normalise_credit_code(q)
    is_code = len(code) == 18 and code.isalnum() and code[2:8].isdigit()
    filters = EmployerFilter(credit_code=code) if is_code else EmployerFilter(name=q)
    found = list(employer_list(actor=actor, filters=filters)[:SEARCH_RESULTS]) if q else []
    return render(request, "cases/intake.html#employer_results", {"q": q, "found": found})


@login_required
@never_cache
@require_POST
def respondent_row(request: HttpRequest) -> HttpResponse:
    employer = employer_get(
        actor=actor_for(request.user),
        employer_id=request.POST.get("employer_id"),  # type: ignore[arg-type]
    )
    row = {"employer_id": employer.pk, "label": employer.name, "role": "employer"}
    return render(
        request, "cases/intake.html#respondent_row", {"row": row, "roles": RESPONDENT_ROLES}
    )


@login_required
@never_cache
@require_POST
def project_search(request: HttpRequest) -> HttpResponse:
    """Existing-project search on the intake page (part of the name), so that repeated cases on
    one site count against one project."""
    actor = actor_for(request.user)
    q = request.POST.get("project_q", "").strip()[:100]
    found = (
        list(project_list(actor=actor, filters=ProjectFilter(name=q))[:SEARCH_RESULTS]) if q else []
    )
    return render(request, "cases/intake.html#project_results", {"q": q, "found": found})


@login_required
@never_cache
@require_POST
def project_pick(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    project = project_get(actor=actor, project_id=request.POST.get("project_id"))  # type: ignore[arg-type]
    return render(request, "cases/intake.html#project_pick", {"picked_project": project})


# --- case page ------------------------------------------------------------------------------


def _deadline_rows(case: Case, can_handle: bool, **forms: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    rows = []
    for d in case.deadlines.all():
        is_open = d.status == DeadlineStatus.OPEN
        rule = RULES.get(d.kind)
        extendable = bool(
            can_handle and is_open and rule is not None and rule.extension and not d.extended_by
        )
        extend = forms.get(f"extend_{d.pk}") or DeadlineExtendForm(
            initial={"version": case.version}, auto_id=f"id_ex{d.pk}_%s"
        )
        met = forms.get(f"met_{d.pk}") or DeadlineMetForm(
            initial={"version": case.version}, auto_id=f"id_mt{d.pk}_%s"
        )
        rows.append(
            {
                "d": d,
                **_days(d.due_date if is_open else None, today),
                "is_open": is_open,
                "extendable": extendable,
                "extension": rule.extension if rule else 0,
                "unit": DeadlineUnit(d.unit).label,
                "extend_form": extend if extendable else None,
                "met_form": met if can_handle and is_open else None,
            }
        )
    return rows


def _detail_context(actor: Actor, case: Case, **forms: Any) -> dict[str, Any]:
    """The case page. `forms` holds the one form that was posted and failed (by name).

    `can_handle`: deadlines (a referred partner department's handlers too); `can_manage`:
    status, assignment, transfer, referral, claimants and outcomes (the handling side)."""
    can_handle = bool(actor.roles & HANDLE_ROLES)
    can_manage = case_can_manage(actor)
    moves = [
        (to, CaseStatus(to).label)
        for to, roles in TRANSITIONS.get(case.status, {}).items()
        if actor.roles & roles and not actor_is_partner(actor)
    ]
    initial = {"initial": {"version": case.version}}
    context: dict[str, Any] = {
        "case": case,
        "region": region_label(case.region_id),
        "moves": moves,
        "can_handle": can_handle,
        "can_manage": can_manage,
        "is_partner": actor_is_partner(actor),
        "can_note": bool(actor.roles & (HANDLE_ROLES | INTAKE_ROLES)),
        "deadlines": _deadline_rows(case, can_handle, **forms),
        "claimants": [],
        "timeline": list(reversed(case.events.all())),
        "projects": list(
            {r.project_id: r.project for r in case.respondents.all() if r.project}.values()
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "attachments": list(attachment_list(actor=actor, case=case)),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "conflict": forms.get("conflict", False),
    }
    if moves:
        context["transition_form"] = forms.get("transition_form") or TransitionForm(**initial)
        context["can_resolve"] = CaseStatus.RESOLVED in dict(moves)
    outcome_for = forms.get("outcome_claimant")
    for c in case.claimants.all():
        form = None
        if can_manage:
            form = (
                forms["outcome_form"]
                if outcome_for == c.pk
                else OutcomeForm(
                    initial={
                        "version": case.version,
                        "claimant_id": c.pk,
                        "outcome": c.outcome,
                        "amount_recovered": c.amount_recovered or "",
                        "satisfaction": c.satisfaction,
                    },
                    auto_id=f"id_oc{c.pk}_%s",
                )
            )
        context["claimants"].append((c, form))
    if can_manage:
        users = [(u.pk, f"{u} · {u.organisation}") for u in case_handler_choices(case=case)]
        context["assign_form"] = forms.get("assign_form") or AssignForm(users=users, **initial)
        context["transfer_form"] = forms.get("transfer_form") or _org_form(actor, "tf", case)
        context["refer_form"] = forms.get("refer_form") or _org_form(actor, "rf", case)
        context["claimant_form"] = forms.get("claimant_form") or ClaimantAddForm(**initial)
    return context


def _org_form(actor: Actor, name: str, case: Case, data: Any = None) -> OrganisationForm:
    orgs = case_organisation_choices(actor=actor, partner=name == "rf")
    return OrganisationForm(
        data,
        organisations=[(o.pk, str(o)) for o in orgs if o.pk != case.organisation_id],
        name=name,
        initial={"version": case.version},
    )


@login_required
@never_cache
@require_GET
def case_detail_page(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    case = case_detail(actor=actor, case_id=case_id)
    return render(request, "cases/detail.html", _detail_context(actor, case))


def _case_change(
    request: HttpRequest,
    case_id: int,
    *,
    name: str,
    build: Callable[[Any, Case], VersionForm],
    save: Callable[[Actor, Case, Any], object],
    done: str,
    extra: Callable[[Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Post one of the case page's forms (`name`): back to the page with `done`, or the page
    with the form's errors. A stale version shows the case as it is now and keeps the user's
    text, with the current version, so that they can check and send it again."""
    actor = actor_for(request.user)
    case = case_get(actor=actor, case_id=case_id)
    form = build(request.POST, case)
    conflict = False
    if form.is_valid():
        try:
            save(actor, case, form.cleaned_data)
        except CaseChanged:
            conflict = True
            case = case_get(actor=actor, case_id=case_id)
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(case.version)
            form = build(data, case)
            form.is_valid()
            form.add_service_error(
                CaseChanged(
                    _(
                        "This case was changed by someone else. It is shown as it is now; "
                        "check your entry and send it again."
                    )
                )
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, done)
            return redirect("cases:detail", case_id=case_id)
    fresh = case_detail(actor=actor, case_id=case_id)
    forms: dict[str, Any] = {name: form, "conflict": conflict}
    if extra is not None:
        forms.update(extra(fresh))
    return render(request, "cases/detail.html", _detail_context(actor, fresh, **forms))


def _version(data: dict[str, Any]) -> Any:
    return data.get("version")


@login_required
@require_POST
def case_transition_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_change(
        request,
        case_id,
        name="transition_form",
        build=lambda data, case: TransitionForm(data),
        save=lambda actor, case, d: case_transition(
            actor=actor,
            case=case,
            to_status=d["to_status"],
            reason=d["reason"],
            resolution=d.get("resolution") or "",
            version=_version(d),
        ),
        done=_("Status changed."),
    )


@login_required
@require_POST
def case_assign_page(request: HttpRequest, case_id: int) -> HttpResponse:
    def build(data: Any, case: Case) -> AssignForm:
        users = [(u.pk, f"{u} · {u.organisation}") for u in case_handler_choices(case=case)]
        return AssignForm(data, users=users)

    return _case_change(
        request,
        case_id,
        name="assign_form",
        build=build,
        save=lambda actor, case, d: case_assign(
            actor=actor, case=case, user_id=d["user_id"], reason=d["reason"], version=_version(d)
        ),
        done=_("Case assigned."),
    )


def _org_change(request: HttpRequest, case_id: int, *, name: str) -> HttpResponse:
    service = case_refer if name == "rf" else case_transfer
    return _case_change(
        request,
        case_id,
        name="refer_form" if name == "rf" else "transfer_form",
        build=lambda data, case: _org_form(actor_for(request.user), name, case, data),
        save=lambda actor, case, d: service(
            actor=actor,
            case=case,
            organisation_id=d["organisation_id"],
            reason=d["reason"],
            version=_version(d),
        ),
        done=_("Case referred.") if name == "rf" else _("Case transferred."),
    )


@login_required
@require_POST
def case_transfer_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _org_change(request, case_id, name="tf")


@login_required
@require_POST
def case_refer_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _org_change(request, case_id, name="rf")


def _add_claimants(actor: Actor, case: Case, d: dict[str, Any]) -> None:
    """Add each pasted line in turn (each add bumps the version); the first bad line stops
    the run and names its line, the lines before it stay added."""
    lines = parse_claimant_lines(d.get("lines") or "")
    if not lines:
        raise ValidationFailed(
            fields={"lines": FieldError("required", _("Name at least one claimant."))}
        )
    version = _version(d)
    for i, x in enumerate(_resolve_lines(actor, lines)):
        line = x["line"]
        try:
            if x["error"]:
                raise ValidationFailed(fields={"worker_id": FieldError("invalid", x["error"])})
            added = claimant_add(
                actor=actor,
                case=case,
                worker_id=x["worker_id"],
                amount_claimed=line.amount,
                version=version,
            )
        except ValidationFailed as exc:
            message = " ".join(e["message"] for e in exc.fields.values()) or exc.message
            text = _("Line %(n)d (%(text)s): %(error)s") % {
                "n": line.number,
                "text": line.key,
                "error": message,
            }
            if i:
                text = _("%(n)d added; not added from here on. %(error)s") % {
                    "n": i,
                    "error": text,
                }
            raise ValidationFailed(fields={"lines": FieldError("invalid", text)}) from exc
        version = added.case.version


@login_required
@require_POST
def claimant_add_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_change(
        request,
        case_id,
        name="claimant_form",
        build=lambda data, case: ClaimantAddForm(data),
        save=_add_claimants,
        done=_("Claimants added."),
    )


@login_required
@require_POST
def claimant_outcome_page(request: HttpRequest, case_id: int, claimant_id: int) -> HttpResponse:
    return _case_change(
        request,
        case_id,
        name="outcome_form",
        build=lambda data, case: OutcomeForm(data, auto_id=f"id_oc{claimant_id}_%s"),
        save=lambda actor, case, d: claimant_record_outcome(
            actor=actor,
            case=case,
            claimant_id=claimant_id,
            data=OutcomeForm.service_data_of(d),
            version=_version(d),
        ),
        done=_("Outcome recorded."),
        extra=lambda case: {"outcome_claimant": claimant_id},
    )


@login_required
@require_POST
def deadline_extend_page(request: HttpRequest, case_id: int, deadline_id: int) -> HttpResponse:
    return _case_change(
        request,
        case_id,
        name=f"extend_{deadline_id}",
        build=lambda data, case: DeadlineExtendForm(data, auto_id=f"id_ex{deadline_id}_%s"),
        save=lambda actor, case, d: deadline_extend(
            actor=actor,
            case=case,
            deadline_id=deadline_id,
            days=d["days"],
            reason=d["reason"],
            version=_version(d),
        ),
        done=_("Deadline extended."),
    )


@login_required
@require_POST
def deadline_met_page(request: HttpRequest, case_id: int, deadline_id: int) -> HttpResponse:
    return _case_change(
        request,
        case_id,
        name=f"met_{deadline_id}",
        build=lambda data, case: DeadlineMetForm(data, auto_id=f"id_mt{deadline_id}_%s"),
        save=lambda actor, case, d: deadline_meet(
            actor=actor,
            case=case,
            deadline_id=deadline_id,
            met_on=d["met_on"] or None,
            version=_version(d),
        ),
        done=_("Deadline recorded as met."),
    )


@login_required
@require_POST
def case_note_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """Notes change nothing and carry no version; with htmx only the notes section is swapped."""
    actor = actor_for(request.user)
    case = case_get(actor=actor, case_id=case_id)
    form = NoteForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            case_note(actor=actor, case=case, text=form.cleaned_data["text"])
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            saved = True
    if saved and not is_htmx(request):
        messages.success(request, _("Note added."))
        return redirect("cases:detail", case_id=case_id)
    fresh = case_detail(actor=actor, case_id=case_id)
    context = _detail_context(actor, fresh, note_form=None if saved else form)
    context["note_saved"] = saved
    return render(request, template_for(request, "cases/detail.html", "notes"), context)


# --- evidence ---------------------------------------------------------------------------------


@login_required
@require_POST
def case_attachment_add_page(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    case = case_get(actor=actor, case_id=case_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            attachment_add(
                actor=actor,
                case=case,
                upload=d["file"],
                kind=d["kind"],
                description=d["description"],
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("cases:detail", case_id=case_id)
    fresh = case_detail(actor=actor, case_id=case_id)
    return render(request, "cases/detail.html", _detail_context(actor, fresh, attachment_form=form))


@login_required
@never_cache
@require_GET
def case_attachment_download_page(
    request: HttpRequest, case_id: int, attachment_id: int
) -> FileResponse:
    """Always a download, never shown inline; each download is audited by the service."""
    actor = actor_for(request.user)
    case = case_get(actor=actor, case_id=case_id)
    attachment, handle = attachment_open(actor=actor, case=case, attachment_id=attachment_id)
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=True)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- notifications and employer history -----------------------------------------------------


@login_required
@never_cache
@require_GET
def notification_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = NotificationFilterForm(request.GET)
    form.is_valid()
    unread = True if form.cleaned_data.get("unread") else None
    page = Paginator(notification_list(actor=actor, unread=unread), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/notifications.html", {"form": form, "page": page})


@login_required
@require_POST
def notification_read_page(request: HttpRequest, notification_id: int) -> HttpResponse:
    note = notification_mark_read(actor=actor_for(request.user), notification_id=notification_id)
    if request.POST.get("open"):
        return redirect("cases:detail", case_id=note.case_id)
    return redirect("cases:notifications")


@login_required
@require_GET
def employer_cases_page(request: HttpRequest, employer_id: int) -> HttpResponse:
    """An employer's case history, loaded into the employer's page (employers may not import
    cases)."""
    actor = actor_for(request.user)
    employer = employer_get(actor=actor, employer_id=employer_id)
    cases = employer_cases(actor=actor, employer=employer)
    context = {
        "employer": employer,
        "rows": _case_rows(cases[:EMPLOYER_CASES]),
        "total": cases.count(),
        "limit": EMPLOYER_CASES,
        "projects": list(
            project_list(actor=actor, filters=ProjectFilter(employer_id=employer.pk))[
                :EMPLOYER_CASES
            ]
        ),
    }
    return render(request, template_for(request, "cases/employer_cases.html", "history"), context)


# --- construction projects ------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def project_list_page(request: HttpRequest) -> HttpResponse:
    """Construction projects named in cases; `flagged` is the early-warning list."""
    actor = actor_for(request.user)
    form = ProjectFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = ProjectFilter(
        name=data.get("name") or None,
        region=data.get("region") or None,
        flagged=True if data.get("flagged") else None,
    )
    page = Paginator(project_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "rows": [(p, region_label(p.region_id)) for p in page.object_list],
    }
    return render(request, template_for(request, "cases/projects.html", "results"), context)


def _project_context(actor: Actor, project: Any, **extra: Any) -> dict[str, Any]:
    cases = project_cases(actor=actor, project=project)
    return {
        "project": project,
        "region": region_label(project.region_id),
        "subcontractors": list(project.subcontractors.all()),
        "rows": _case_rows(cases[:EMPLOYER_CASES]),
        "total": cases.count(),
        "limit": EMPLOYER_CASES,
        "can_flag": bool(actor.roles & HANDLE_ROLES),
        "flag_form": extra.get("flag_form") or ProjectFlagForm(),
    }


@login_required
@never_cache
@require_GET
def project_detail_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project: its general contractor and subcontractors, the warning, and its cases."""
    actor = actor_for(request.user)
    project = project_get(actor=actor, project_id=project_id)
    return render(request, "cases/project_detail.html", _project_context(actor, project))


@login_required
@require_POST
def project_flag_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Flag or clear a project's wage-arrears warning, with a reason (handlers and admins)."""
    actor = actor_for(request.user)
    project = project_get(actor=actor, project_id=project_id)
    form = ProjectFlagForm(request.POST)
    flagged = request.POST.get("flagged") == "1"
    if form.is_valid():
        try:
            project_set_arrears_flag(
                actor=actor, project=project, flagged=flagged, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Flagged for wage arrears.") if flagged else _("Flag cleared.")
            )
            return redirect("cases:project", project_id=project.pk)
    return render(
        request, "cases/project_detail.html", _project_context(actor, project, flag_form=form)
    )


# --- the holiday calendar -------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """System admins enter the State Council's annual holiday notice, one day at a time, for
    years the chinesecalendar package does not cover (or to correct it)."""
    actor = actor_for(request.user)
    calendar_require_can_edit(actor)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = calendar_day_set(actor=actor, **form.service_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("%(d)s saved.") % {"d": day.date.isoformat()})
            return redirect("cases:calendar")
    context = {
        "form": form,
        "days": list(calendar_day_list()[:1000]),
        "package_first": PACKAGE_YEARS.start,
        "package_last": PACKAGE_YEARS.stop - 1,
        "missing_deadlines": deadlines_missing_calendar_count(),
    }
    return render(request, "cases/calendar.html", context)
