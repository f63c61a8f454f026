"""Jobs pages: vacancy search, detail with ranked candidates, posting; the worker's job page with
ranked vacancies; the referrals queue; follow-up to-dos; job fairs.

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
need no handling here: core's ApplicationErrorMiddleware turns them into the 404 and 403 pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import Actor, actor_for
from gongyou.core.errors import ApplicationError, NotFound, PermissionDenied
from gongyou.core.htmx import template_for
from gongyou.employers.selectors import EmployerFilter, employer_list
from gongyou.regions.selectors import region_label

from . import selectors, services
from .enums import (
    EMPLOYER_USER,
    REFERRAL_OPEN,
    REFERRAL_TRANSITIONS,
    VACANCY_TRANSITIONS,
    FairStatus,
    ReferralStatus,
    VacancyStatus,
)
from .forms import (
    FAIR_TARGETS,
    FairEmployerForm,
    FairForm,
    FairRegistrationForm,
    FairVacancyForm,
    FollowUpAnswerForm,
    FollowUpFilterForm,
    PlacementForm,
    ReferForm,
    ReferralFilterForm,
    ReferralTransitionForm,
    SeekerForm,
    TransitionForm,
    VacancyFilterForm,
    VacancyForm,
)
from .models import FairRegistration
from .policies import (
    OFFICER_ROLES,
    can_view,
    is_front,
    is_officer,
    jobs_roles,
    vacancy_can_see_candidates,
    vacancy_require_can_edit,
    vacancy_require_can_post,
)

PAGE_SIZE = 50
EMPLOYER_CHOICES = 2000


def _require_view(actor: Actor) -> None:
    if not can_view(actor):
        raise NotFound()


def _paginate(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Vacancies ------------------------------------------------------------------------------


@login_required
@require_GET
def vacancy_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    _require_view(actor)
    form = VacancyFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.VacancyFilter(
        q=data.get("q") or None,
        status=data.get("status") or None,
        region=data.get("region") or None,
        occupation=data.get("occupation") or None,
        wage_at_least=data.get("wage_at_least") or None,
        open_only=bool(data.get("open_only")),
    )
    page = _paginate(request, selectors.vacancy_list(actor=actor, filters=filters))
    context = {
        "form": form,
        "page": page,
        "rows": [(v, region_label(v.region_id)) for v in page.object_list],
        "can_post": bool(jobs_roles(actor) & (OFFICER_ROLES | {EMPLOYER_USER})),
    }
    return render(request, template_for(request, "jobs/vacancy_list.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    vacancy_require_can_post(actor)
    initial = {"employer_id": request.GET.get("employer", "")}
    form = VacancyForm(request.POST or None, initial=initial)
    if EMPLOYER_USER in jobs_roles(actor):
        del form.fields["employer_id"]  # employer users post for their own employer
    else:
        form.fields["employer_id"] = forms.ChoiceField(
            label=_("Employer"),
            required=False,
            choices=[("", "—")]
            + [
                (str(e.pk), f"{e.name} ({e.credit_code or e.region_id})")
                for e in employer_list(actor=actor, filters=EmployerFilter(flagged=False))[
                    :EMPLOYER_CHOICES
                ]
            ],
            help_text=_("Employers flagged for wage arrears cannot post vacancies."),
        )
        form.fields["employer_id"].show_required = True  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        publish = bool(data.pop("publish", False))
        try:
            vacancy = services.vacancy_create(actor=actor, data=data, publish=publish)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Posted “%(t)s”.") % {"t": vacancy.title})
            return redirect("jobs:vacancy", vacancy_id=vacancy.pk)
    return render(request, "jobs/vacancy_form.html", {"form": form, "vacancy": None})


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_edit_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    vacancy_require_can_edit(actor, vacancy)  # the form only for those who may save it
    initial = {
        "employer_id": vacancy.employer_id,
        "title": vacancy.title,
        "occupation": vacancy.occupation_id,
        "skill_level": vacancy.skill_level or "",
        "headcount": vacancy.headcount,
        "wage_min": vacancy.wage_min,
        "wage_max": vacancy.wage_max,
        "region": vacancy.region_id,
        "address": vacancy.address,
        "contract_type": vacancy.contract_type,
        "social_insurance": vacancy.social_insurance,
        "housing_meals": vacancy.housing_meals,
        "shift_pattern": vacancy.shift_pattern,
        "closing_date": vacancy.closing_date.isoformat(),
        "description": vacancy.description,
    }
    form = VacancyForm(request.POST or None, initial=initial)
    del form.fields["publish"]
    form.fields["employer_id"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "employer_id"}
        data["version"] = request.POST.get("version")
        try:
            services.vacancy_update(actor=actor, vacancy=vacancy, data=data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("jobs:vacancy", vacancy_id=vacancy.pk)
    return render(request, "jobs/vacancy_form.html", {"form": form, "vacancy": vacancy})


def _vacancy_context(actor: Actor, vacancy: Any, **extra: Any) -> dict[str, Any]:
    roles = jobs_roles(actor)
    targets = [
        (status, VacancyStatus(status).label)
        for status, allowed in VACANCY_TRANSITIONS.get(vacancy.status, {}).items()
        if roles & allowed
    ]
    can_edit = bool(targets)
    return {
        "vacancy": vacancy,
        "region": region_label(vacancy.region_id),
        "counts": [
            (ReferralStatus(status).label, n)
            for status, n in selectors.referral_status_counts(actor=actor, vacancy=vacancy).items()
            if n
        ],
        "targets": targets if can_edit else [],
        "can_edit": can_edit,
        "can_rank": vacancy_can_see_candidates(actor),
        "can_refer": is_front(actor),
        "transition_form": extra.get("transition_form") or TransitionForm(),
        "refer_error": extra.get("refer_error"),
        "referrals": selectors.referral_list(
            actor=actor, filters=selectors.ReferralFilter(vacancy_id=vacancy.pk)
        )[:100],
    }


@login_required
@require_GET
def vacancy_detail_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    return render(request, "jobs/vacancy_detail.html", _vacancy_context(actor, vacancy))


@login_required
@require_GET
def vacancy_candidates_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """The ranked candidates (loaded into the detail page by HTMX, or on their own)."""
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    if not vacancy_can_see_candidates(actor):
        raise NotFound()
    ranking = selectors.vacancy_candidates(actor=actor, vacancy=vacancy, limit=50)
    context = {
        "vacancy": vacancy,
        "ranking": ranking,
        "can_refer": is_front(actor) and vacancy.status == VacancyStatus.OPEN,
        "rows": [(c, region_label(c.worker.current_region_id)) for c in ranking.candidates],
    }
    return render(request, template_for(request, "jobs/candidates.html", "candidates"), context)


@login_required
@require_POST
def vacancy_transition_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.vacancy_transition(actor=actor, vacancy=vacancy, **form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("jobs:vacancy", vacancy_id=vacancy.pk)
    return render(
        request, "jobs/vacancy_detail.html", _vacancy_context(actor, vacancy, transition_form=form)
    )


@login_required
@require_POST
def vacancy_refer_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """Refer one worker (from the ranked candidates) to the vacancy."""
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=_int(request.POST.get("worker_id")))
    try:
        services.referral_create(
            actor=actor, vacancy=vacancy, worker=worker, note=request.POST.get("note", "")
        )
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Referred %(name)s.") % {"name": worker.name})
    return redirect(request.POST.get("next") or f"/jobs/vacancies/{vacancy.pk}/")


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise NotFound() from None


# --- The worker's job page ----------------------------------------------------------------------


def _worker_context(actor: Actor, worker: Any, **extra: Any) -> dict[str, Any]:
    profile = selectors.seeker_profile_of(worker=worker)
    initial: dict[str, Any] = {"status": "seeking"}
    if profile is not None:
        initial = {
            "status": profile.status,
            "desired_occupations": ", ".join(profile.desired_occupations),
            "wage_expectation": profile.wage_expectation or "",
            "previous_wage": profile.previous_wage or "",
            "available_from": profile.available_from.isoformat() if profile.available_from else "",
            "preferred_regions": ", ".join(profile.preferred_regions),
            "max_distance_km": profile.max_distance_km or "",
            "note": profile.note,
            "version": profile.version,
        }
    return {
        "worker": worker,
        "region": region_label(worker.current_region_id),
        "profile": profile,
        "seeker_form": extra.get("seeker_form") or SeekerForm(initial=initial),
        "placement_form": extra.get("placement_form") or PlacementForm(),
        "matches": selectors.worker_vacancies(actor=actor, worker=worker, limit=30),
        "referrals": selectors.referral_list(
            actor=actor, filters=selectors.ReferralFilter(worker_id=worker.pk)
        )[:50],
        "placements": selectors.placement_list(actor=actor, worker_id=worker.pk)[:20],
        "can_edit": is_front(actor),
        "can_place": is_officer(actor),
    }


@login_required
@require_GET
def worker_jobs_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    _require_view(actor)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    return render(request, "jobs/worker.html", _worker_context(actor, worker))


@login_required
@require_POST
def worker_profile_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    form = SeekerForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("version"):
            data.pop("version", None)
        try:
            services.seeker_profile_save(actor=actor, worker=worker, data=data)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Job-seeker profile saved."))
            return redirect("jobs:worker", worker_id=worker.pk)
    return render(request, "jobs/worker.html", _worker_context(actor, worker, seeker_form=form))


@login_required
@require_POST
def worker_refer_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=_int(request.POST.get("vacancy_id")))
    form = ReferForm(request.POST)
    form.is_valid()
    try:
        services.referral_create(
            actor=actor,
            vacancy=vacancy,
            worker=worker,
            source=form.cleaned_data.get("source") or "officer",
            note=form.cleaned_data.get("note", ""),
        )
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Referred to “%(t)s”.") % {"t": vacancy.title})
    return redirect("jobs:worker", worker_id=worker.pk)


@login_required
@require_POST
def worker_placement_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    form = PlacementForm(request.POST)
    if form.is_valid():
        try:
            services.placement_record(actor=actor, worker=worker, data=form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Placement recorded."))
            return redirect("jobs:worker", worker_id=worker.pk)
    return render(request, "jobs/worker.html", _worker_context(actor, worker, placement_form=form))


# --- Referrals --------------------------------------------------------------------------------


@login_required
@require_GET
def referral_queue_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    _require_view(actor)
    form = ReferralFilterForm(request.GET or {"open_only": True})
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.ReferralFilter(
        status=data.get("status") or None,
        open_only=bool(data.get("open_only")),
        mine=bool(data.get("mine")),
    )
    page = _paginate(request, selectors.referral_list(actor=actor, filters=filters))
    return render(
        request,
        template_for(request, "jobs/referrals.html", "results"),
        {"form": form, "page": page},
    )


def _referral_context(actor: Actor, referral: Any, **extra: Any) -> dict[str, Any]:
    roles = jobs_roles(actor)
    targets = [
        (status, ReferralStatus(status).label)
        for status, allowed in REFERRAL_TRANSITIONS.get(referral.status, {}).items()
        if roles & allowed
    ]
    return {
        "referral": referral,
        "targets": targets,
        "is_open": referral.status in REFERRAL_OPEN,
        "form": extra.get("form") or ReferralTransitionForm(),
        "placement": getattr(referral, "placement", None)
        if referral.status == ReferralStatus.HIRED
        else None,
    }


@login_required
@require_GET
def referral_detail_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    return render(request, "jobs/referral.html", _referral_context(actor, referral))


@login_required
@require_POST
def referral_transition_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    form = ReferralTransitionForm(request.POST)
    if form.is_valid():
        try:
            services.referral_transition(actor=actor, referral=referral, **form.cleaned_data)
        except NotFound:
            raise
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("jobs:referral", referral_id=referral.pk)
    return render(request, "jobs/referral.html", _referral_context(actor, referral, form=form))


# --- Follow-ups -------------------------------------------------------------------------------


@login_required
@require_GET
def followup_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    _require_view(actor)
    form = FollowUpFilterForm(request.GET or {"status": "due"})
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.FollowUpFilter(
        status=data.get("status") or None, mine=bool(data.get("mine"))
    )
    page = _paginate(request, selectors.followup_list(actor=actor, filters=filters))
    return render(
        request,
        template_for(request, "jobs/followups.html", "results"),
        {
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "can_answer": is_officer(actor),
            "answer_form": FollowUpAnswerForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_answer_page(request: HttpRequest, followup_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    followup = selectors.followup_get(actor=actor, followup_id=followup_id)
    form = FollowUpAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_answer(actor=actor, followup=followup, **form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("jobs:followups")
    return render(request, "jobs/followup_answer.html", {"followup": followup, "form": form})


# --- Job fairs --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def fair_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    _require_view(actor)
    form = FairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fair = services.fair_create(actor=actor, data=form.cleaned_data)
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_service_error(exc)
        else:
            messages.success(request, _("Job fair created."))
            return redirect("jobs:fair", fair_id=fair.pk)
    page = _paginate(request, selectors.fair_list(actor=actor))
    return render(
        request,
        "jobs/fairs.html",
        {"page": page, "form": form, "can_manage": is_officer(actor)},
    )


def _fair_context(actor: Actor, fair: Any, **forms_: Any) -> dict[str, Any]:
    return {
        "fair": fair,
        "region": region_label(fair.region_id),
        **selectors.fair_detail(actor=actor, fair=fair),
        "can_manage": is_officer(actor) and actor.covers_region(fair.region_id),
        "can_register": is_front(actor),
        "planned": fair.status == FairStatus.PLANNED,
        "targets": FAIR_TARGETS,
        "employer_form": forms_.get("employer_form") or FairEmployerForm(),
        "vacancy_form": forms_.get("vacancy_form") or FairVacancyForm(),
        "registration_form": forms_.get("registration_form") or FairRegistrationForm(),
        "transition_form": forms_.get("transition_form") or TransitionForm(),
    }


@login_required
@require_GET
def fair_detail_page(request: HttpRequest, fair_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    return render(request, "jobs/fair.html", _fair_context(actor, fair))


@login_required
@require_POST
def fair_action_page(request: HttpRequest, fair_id: int, action: str) -> HttpResponse:
    """Add an employer or a vacancy, register a worker, or change the fair's status."""
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    forms_map: dict[str, Any] = {
        "employers": ("employer_form", FairEmployerForm),
        "vacancies": ("vacancy_form", FairVacancyForm),
        "registrations": ("registration_form", FairRegistrationForm),
        "transition": ("transition_form", TransitionForm),
    }
    if action not in forms_map:
        raise NotFound()
    name, form_class = forms_map[action]
    form = form_class(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if action == "employers":
            services.fair_add_employer(
                actor=actor, fair=fair, employer_id=data.get("employer_id"), booth=data.get("booth")
            )
        elif action == "vacancies":
            vacancy = selectors.vacancy_get(actor=actor, vacancy_id=_int(data.get("vacancy_id")))
            services.fair_add_vacancy(actor=actor, fair=fair, vacancy=vacancy)
        elif action == "registrations":
            worker = selectors.worker_for_jobs(actor=actor, worker_id=_int(data.get("worker_id")))
            services.fair_register_worker(actor=actor, fair=fair, worker=worker)
        else:
            services.fair_transition(
                actor=actor, fair=fair, to_status=data.get("to_status"), reason=data.get("reason")
            )
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        form.add_service_error(exc)
        return render(request, "jobs/fair.html", _fair_context(actor, fair, **{name: form}))
    messages.success(request, _("Saved."))
    return redirect("jobs:fair", fair_id=fair.pk)


@login_required
@require_POST
def fair_attended_page(request: HttpRequest, fair_id: int, registration_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    registration = (
        FairRegistration.objects.select_related("worker", "fair")
        .filter(fair=fair, pk=registration_id)
        .first()
    )
    if registration is None:
        raise NotFound()
    services.fair_mark_attended(
        actor=actor, registration=registration, attended=request.POST.get("attended") == "1"
    )
    return redirect("jobs:fair", fair_id=fair.pk)
