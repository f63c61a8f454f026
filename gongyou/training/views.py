"""Training pages for programme officers and training providers.

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
need no handling here: core's ApplicationErrorMiddleware turns them into the 404 and 403 pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import Actor, actor_for
from gongyou.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from gongyou.core.htmx import template_for
from gongyou.regions.selectors import region_label

from . import selectors, services
from .eligibility import describe
from .enums import APPLY, TARGET_MEASURES, ClaimStatus, EnrolmentStatus, StudyStatus
from .forms import (
    ApplyForm,
    AttendanceForm,
    CampaignForm,
    ClaimDecisionForm,
    ClaimFilterForm,
    CourseFilterForm,
    CourseForm,
    CreditForm,
    EligibilityForm,
    EnrolmentTransitionForm,
    InstitutionForm,
    ProgrammeForm,
    RuleForm,
    StudyApplyForm,
    StudyTransitionForm,
)
from .policies import (
    can_manage,
    can_officiate,
    course_is_visible,
    is_provider,
    rules_require_can_edit,
)

PAGE_SIZE = 50


def _attempt(form: Any, call: Callable[[], Any]) -> Any:
    """Run a service; on a domain error show it on the form and return None."""
    try:
        return call()
    except (ValidationFailed, Conflict, PermissionDenied) as exc:
        form.add_service_error(exc)
        return None


def _campaign_choices(actor: Actor, kind: str | None = None) -> list[tuple[str, str]]:
    return [(str(c.pk), c.name) for c in selectors.campaign_list(actor=actor, kind=kind)]


# --- Home --------------------------------------------------------------------------------------


@login_required
@require_GET
def home_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    provider = is_provider(actor)
    courses = selectors.course_list(actor=actor, filters=selectors.CourseFilter(open_only=True))
    context = {
        "provider": provider,
        "can_manage": can_manage(actor),
        "can_officiate": can_officiate(actor),
        "open_courses": courses[:10],
        "campaigns": [] if provider else selectors.campaign_list(actor=actor)[:10],
        "pending_claims": selectors.claim_list(
            actor=actor, filters=selectors.ClaimFilter(status=ClaimStatus.SUBMITTED)
        ).count(),
    }
    return render(request, "training/home.html", context)


# --- Campaigns ---------------------------------------------------------------------------------


def _organisation_choices(actor: Actor) -> list[tuple[str, str]]:
    return [(str(o.pk), str(o)) for o in selectors.organisation_options(actor=actor)]


@login_required
@require_GET
def campaign_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    kind = request.GET.get("kind") or None
    page = Paginator(selectors.campaign_list(actor=actor, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/campaigns.html",
        {"page": page, "kind": kind, "can_create": can_officiate(actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not can_officiate(actor):
        raise PermissionDenied()
    form = CampaignForm(request.POST or None, organisations=_organisation_choices(actor))
    if request.method == "POST" and form.is_valid():
        campaign = _attempt(
            form, lambda: services.campaign_create(actor=actor, data=form.cleaned_data)
        )
        if campaign is not None:
            messages.success(request, _("Campaign created. Now set its targets."))
            return redirect("training:campaign", campaign_id=campaign.pk)
    return render(request, "training/campaign_form.html", {"form": form})


def _target_rows(post: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(int(post.get("rows") or 0)):
        row = {m: post.get(f"{m}_{i}", "") for m in ("region", *TARGET_MEASURES)}
        if any(str(v).strip() for v in row.values()):
            rows.append(row)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    target_error: ApplicationError | None = None
    if request.method == "POST":
        try:
            services.campaign_set_targets(
                actor=actor,
                campaign=campaign,
                targets=_target_rows(request.POST),
                version=request.POST.get("version"),
            )
        except (ValidationFailed, Conflict, PermissionDenied) as exc:
            target_error = exc
        else:
            messages.success(request, _("Targets saved."))
            return redirect("training:campaign", campaign_id=campaign.pk)
        campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    targets = [
        {"region": t.region_id, **{m: getattr(t, m) for m in TARGET_MEASURES}}
        for t in selectors.campaign_targets(campaign=campaign)
    ]
    if target_error is not None:
        targets = _target_rows(request.POST)
    editable = can_officiate(actor) and actor.covers_region(campaign.region_id)
    context = {
        "campaign": campaign,
        "region": region_label(campaign.region_id) if campaign.region_id else _("National"),
        "progress": selectors.campaign_progress(actor=actor, campaign=campaign),
        "editable": editable,
        "target_rows": [*targets, *([{}] * 3)] if editable else targets,
        "target_error": target_error,
        "courses": selectors.course_list(
            actor=actor, filters=selectors.CourseFilter(campaign=campaign.pk)
        )[:100],
        "programmes": campaign.programmes.select_related("institution"),
        "claim_totals": selectors.claim_totals(
            actor=actor, by="provider", filters=selectors.ClaimFilter(campaign=campaign.pk)
        ),
    }
    return render(request, "training/campaign_detail.html", context)


# --- Courses -----------------------------------------------------------------------------------


@login_required
@require_GET
def course_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = CourseFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.CourseFilter(
        q=data.get("q") or None,
        occupation=data.get("occupation") or None,
        level=int(data["level"]) if data.get("level") else None,
        region=data.get("region") or None,
        starts_from=data.get("starts_from"),
        starts_to=data.get("starts_to"),
        open_only=bool(data.get("open_only")),
    )
    page = Paginator(selectors.course_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "rows": [(c, region_label(c.region_id)) for c in page.object_list],
        "can_create": can_manage(actor),
    }
    return render(request, template_for(request, "training/courses.html", "results"), context)


def _course_form(actor: Actor, data: Any = None, initial: Any = None) -> CourseForm:
    providers = (
        None
        if is_provider(actor)
        else [(str(o.pk), o.name) for o in selectors.provider_options(actor=actor)]
    )
    return CourseForm(
        data,
        initial=initial,
        providers=providers,
        campaigns=_campaign_choices(actor, "vocational_training"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not can_manage(actor):
        raise PermissionDenied()
    form = _course_form(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = _attempt(form, lambda: services.course_create(actor=actor, data=form.cleaned_data))
        if course is not None:
            messages.success(request, _("Course published."))
            return redirect("training:course", course_id=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": None})


@login_required
@require_http_methods(["GET", "POST"])
def course_edit_page(request: HttpRequest, course_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    course = selectors.course_get(actor=actor, course_id=course_id)
    if not can_manage(actor):
        raise PermissionDenied()
    initial = {
        "provider": course.provider_id,
        "campaign": course.campaign_id or "",
        "occupation": course.occupation_id,
        "region": course.region_id,
        **{
            f: getattr(course, f)
            for f in (
                "title",
                "target_level",
                "hours",
                "min_attendance_percent",
                "seats",
                "starts_on",
                "ends_on",
                "schedule",
                "address",
                "subsidy_per_trainee",
                "enrol_opens_on",
                "enrol_closes_on",
                "version",
            )
        },
    }
    form = _course_form(actor, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = _attempt(
            form,
            lambda: services.course_update(actor=actor, course=course, data=data, version=version),
        )
        if saved is not None:
            messages.success(request, _("Course saved."))
            return redirect("training:course", course_id=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


def _course_context(actor: Actor, course: Any, **extra: Any) -> dict[str, Any]:
    enrolments = selectors.enrolment_list(
        actor=actor, filters=selectors.EnrolmentFilter(course=course.pk)
    )
    return {
        "course": course,
        "region": region_label(course.region_id),
        "enrolments": enrolments,
        "counts": [
            (EnrolmentStatus(s).label, n)
            for s, n in selectors.course_status_counts(course=course).items()
        ],
        "can_manage": can_manage(actor),
        "can_apply": bool(actor.roles & APPLY),
        "apply_form": extra.get("apply_form") or ApplyForm(),
        "claim_error": extra.get("claim_error"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def course_detail_page(request: HttpRequest, course_id: int) -> HttpResponse:
    """The course, its enrolments, and applying a worker (POST)."""
    actor = actor_for(request.user)
    course = selectors.course_get(actor=actor, course_id=course_id)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrolment = _attempt(
            form,
            lambda: services.enrolment_apply(
                actor=actor,
                course=course,
                worker_id=data["worker_id"],
                enrol=bool(data.get("enrol")),
                note=data.get("note"),
            ),
        )
        if enrolment is not None:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": enrolment.worker.name, "status": enrolment.get_status_display()},
            )
            return redirect("training:course", course_id=course.pk)
        course = selectors.course_get(actor=actor, course_id=course_id)
    return render(
        request, "training/course_detail.html", _course_context(actor, course, apply_form=form)
    )


@login_required
@require_POST
def course_claims_page(request: HttpRequest, course_id: int) -> HttpResponse:
    """Claim the subsidy for every completed trainee of the course without a claim."""
    actor = actor_for(request.user)
    course = selectors.course_get(actor=actor, course_id=course_id)
    try:
        claims = services.claim_submit_for_course(actor=actor, course=course)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)d subsidy claims submitted.") % {"n": len(claims)})
    return redirect("training:course", course_id=course.pk)


# --- Enrolments --------------------------------------------------------------------------------


def _enrolment_context(actor: Actor, enrolment: Any, **extra: Any) -> dict[str, Any]:
    statuses = selectors.enrolment_next_statuses(actor=actor, enrolment=enrolment)
    course = enrolment.course
    return {
        "enrolment": enrolment,
        "course": course,
        "attendance": enrolment.attendance.all(),
        "attended": services.attended_hours(enrolment),
        "required": services.required_hours(course),
        "can_manage": can_manage(actor) and course_is_visible(actor, course),
        "transition_form": extra.get("transition_form")
        or EnrolmentTransitionForm(initial={"version": enrolment.version}, statuses=statuses),
        "attendance_form": extra.get("attendance_form") or AttendanceForm(),
        "claims": enrolment.claims.all(),
        "claimable": enrolment.status in _COMPLETED and course.subsidy_per_trainee > 0,
    }


_COMPLETED = (
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.ASSESSED_PASS,
    EnrolmentStatus.ASSESSED_FAIL,
    EnrolmentStatus.CERTIFIED,
)


@login_required
@require_GET
def enrolment_detail_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    return render(request, "training/enrolment_detail.html", _enrolment_context(actor, enrolment))


@login_required
@require_POST
def enrolment_transition_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    statuses = selectors.enrolment_next_statuses(actor=actor, enrolment=enrolment)
    form = EnrolmentTransitionForm(request.POST, statuses=statuses)
    if form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.enrolment_transition(
                actor=actor,
                enrolment=enrolment,
                to_status=data.get("to_status"),
                version=data.get("version"),
                **{
                    k: v
                    for k, v in data.items()
                    if k not in ("to_status", "version") and v not in (None, "")
                },
            ),
        )
        if done is not None:
            messages.success(request, _("Now: %(s)s.") % {"s": done.get_status_display()})
            return redirect("training:enrolment", enrolment_id=enrolment.pk)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    return render(
        request,
        "training/enrolment_detail.html",
        _enrolment_context(actor, enrolment, transition_form=form),
    )


@login_required
@require_POST
def attendance_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        record = _attempt(
            form,
            lambda: services.attendance_record(
                actor=actor, enrolment=enrolment, date=data["date"], hours=data["hours"]
            ),
        )
        if record is not None:
            messages.success(request, _("Attendance recorded."))
            return redirect("training:enrolment", enrolment_id=enrolment.pk)
    return render(
        request,
        "training/enrolment_detail.html",
        _enrolment_context(actor, enrolment, attendance_form=form),
    )


@login_required
@require_POST
def enrolment_claim_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    try:
        services.claim_submit(actor=actor, enrolment=enrolment)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Subsidy claim submitted."))
    return redirect("training:enrolment", enrolment_id=enrolment.pk)


# --- Claims ------------------------------------------------------------------------------------


@login_required
@require_GET
def claim_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    providers = [(str(o.pk), o.name) for o in selectors.provider_options(actor=actor)]
    form = ClaimFilterForm(request.GET, providers=providers, campaigns=_campaign_choices(actor))
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.ClaimFilter(
        status=data.get("status") or None,
        provider=int(data["provider"]) if data.get("provider") else None,
        campaign=int(data["campaign"]) if data.get("campaign") else None,
    )
    page = Paginator(selectors.claim_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "rows": [
            (c, selectors.claim_next_statuses(actor=actor, claim=c) if can_officiate(actor) else [])
            for c in page.object_list
        ],
        "by_provider": selectors.claim_totals(actor=actor, by="provider", filters=filters),
        "by_campaign": selectors.claim_totals(actor=actor, by="campaign", filters=filters),
        "statuses": ClaimStatus,
        "decision_form": ClaimDecisionForm(),
    }
    return render(request, template_for(request, "training/claims.html", "results"), context)


@login_required
@require_POST
def claim_transition_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    try:
        services.claim_transition(
            actor=actor,
            claim=claim,
            to_status=request.POST.get("to_status"),
            version=request.POST.get("version"),
            reason=request.POST.get("reason"),
            paid_on=request.POST.get("paid_on") or None,
        )
    except (ValidationFailed, Conflict, PermissionDenied) as exc:
        detail = " ".join(f["message"] for f in exc.fields.values())
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(request, _("Claim updated."))
    back = str(request.POST.get("next") or "")
    # Only back to a training page (never an address from outside).
    return redirect(back if back.startswith("/training/") else "training:claims")


# --- Eligibility -------------------------------------------------------------------------------


@login_required
@require_GET
def eligibility_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = EligibilityForm(request.GET or None)
    answer = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        answer = _attempt(
            form,
            lambda: selectors.eligibility_check(
                actor=actor,
                worker_id=data["worker_id"],
                occupation=data["occupation"],
                level=data["level"],
                years_in_occupation=data.get("years_in_occupation"),
                apprenticeship=bool(data.get("apprenticeship")),
                diplomas=data.get("diplomas") or [],
            ),
        )
    return render(request, "training/eligibility.html", {"form": form, "answer": answer})


@login_required
@require_http_methods(["GET", "POST"])
def rule_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    try:
        rules_require_can_edit(actor)
        can_edit = True
    except PermissionDenied:
        can_edit = False
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = _attempt(form, lambda: services.rule_create(actor=actor, data=form.cleaned_data))
        if rule is not None:
            messages.success(request, _("Rule added."))
            return redirect("training:rules")
    rules = [(r, [describe(c) for c in r.conditions]) for r in selectors.rule_list(actor=actor)]
    return render(
        request, "training/rules.html", {"rules": rules, "form": form, "can_edit": can_edit}
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit_page(request: HttpRequest, rule_id: int) -> HttpResponse:
    import json

    actor = actor_for(request.user)
    rules_require_can_edit(actor)
    rule = selectors.rule_get(actor=actor, rule_id=rule_id)
    initial = {
        "occupation": rule.occupation_id or "",
        "level": rule.level,
        "route": rule.route,
        "conditions": json.dumps(rule.conditions, ensure_ascii=False),
        "trust": rule.trust,
        "source": rule.source,
        "active": rule.active,
        "version": rule.version,
    }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved = _attempt(
            form, lambda: services.rule_update(actor=actor, rule=rule, data=data, version=version)
        )
        if saved is not None:
            messages.success(request, _("Rule saved."))
            return redirect("training:rules")
    return render(request, "training/rule_form.html", {"form": form, "rule": rule})


# --- Education upgrade -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def education_page(request: HttpRequest) -> HttpResponse:
    """Institutions and programmes; officers add them (POST with `form=institution|programme`)."""
    actor = actor_for(request.user)
    institutions = list(selectors.institution_list(actor=actor))
    campaigns = _campaign_choices(actor, "education_upgrade")
    choices = [(str(i.pk), i.name) for i in institutions]
    which = request.POST.get("form")
    inst_form = InstitutionForm(request.POST if which == "institution" else None)
    prog_form = ProgrammeForm(
        request.POST if which == "programme" else None, institutions=choices, campaigns=campaigns
    )
    if (
        which == "institution"
        and inst_form.is_valid()
        and _attempt(
            inst_form, lambda: services.institution_create(actor=actor, data=inst_form.cleaned_data)
        )
    ):
        messages.success(request, _("Institution added."))
        return redirect("training:education")
    if (
        which == "programme"
        and prog_form.is_valid()
        and _attempt(
            prog_form, lambda: services.programme_create(actor=actor, data=prog_form.cleaned_data)
        )
    ):
        messages.success(request, _("Programme added."))
        return redirect("training:education")
    context = {
        "institutions": institutions,
        "programmes": selectors.programme_list(actor=actor),
        "inst_form": inst_form,
        "prog_form": prog_form,
        "can_manage": can_officiate(actor),
    }
    return render(request, "training/education.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    programme = selectors.programme_get(actor=actor, programme_id=programme_id)
    form = StudyApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        study = _attempt(
            form,
            lambda: services.study_apply(
                actor=actor,
                programme=programme,
                worker_id=form.cleaned_data["worker_id"],
                subsidy=form.cleaned_data.get("subsidy"),
            ),
        )
        if study is not None:
            messages.success(request, _("Application recorded."))
            return redirect("training:study", study_id=study.pk)
    context = {
        "programme": programme,
        "studies": selectors.study_list(actor=actor, programme=programme.pk),
        "form": form,
        "can_manage": can_officiate(actor),
    }
    return render(request, "training/programme.html", context)


def _study_context(actor: Actor, study: Any, **extra: Any) -> dict[str, Any]:
    statuses = [
        (s, StudyStatus(s).label) for s in selectors.study_next_statuses(actor=actor, study=study)
    ]
    return {
        "study": study,
        "programme": study.programme,
        "credits": study.credits.all(),
        "earned": services.credits_earned(study),
        "can_manage": can_officiate(actor),
        "credit_form": extra.get("credit_form") or CreditForm(),
        "transition_form": extra.get("transition_form")
        or StudyTransitionForm(initial={"version": study.version}, statuses=statuses),
    }


@login_required
@require_http_methods(["GET", "POST"])
def study_page(request: HttpRequest, study_id: int) -> HttpResponse:
    """A study enrolment: bank credits (`form=credit`) or change the status (`form=status`)."""
    actor = actor_for(request.user)
    study = selectors.study_get(actor=actor, study_id=study_id)
    which = request.POST.get("form")
    extra: dict[str, Any] = {}
    if which == "credit":
        credit_form = CreditForm(request.POST)
        extra["credit_form"] = credit_form
        if credit_form.is_valid() and _attempt(
            credit_form,
            lambda: services.credit_record(actor=actor, study=study, **credit_form.cleaned_data),
        ):
            messages.success(request, _("Credits recorded."))
            return redirect("training:study", study_id=study.pk)
    elif which == "status":
        statuses = [
            (s, StudyStatus(s).label)
            for s in selectors.study_next_statuses(actor=actor, study=study)
        ]
        status_form = StudyTransitionForm(request.POST, statuses=statuses)
        extra["transition_form"] = status_form
        if status_form.is_valid():
            data = {k: v for k, v in status_form.cleaned_data.items() if v not in (None, "")}
            if _attempt(
                status_form,
                lambda: services.study_transition(actor=actor, study=study, **data),
            ):
                messages.success(request, _("Status changed."))
                return redirect("training:study", study_id=study.pk)
        study = selectors.study_get(actor=actor, study_id=study_id)
    return render(request, "training/study.html", _study_context(actor, study, **extra))


# --- Pathway -----------------------------------------------------------------------------------


@login_required
@require_GET
def pathway_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    pathway = selectors.worker_pathway(actor=actor, worker_id=worker_id)
    return render(request, "training/pathway.html", {"pathway": pathway, "worker": pathway.worker})
