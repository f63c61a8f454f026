"""Public-service pages: the catalogue (list, service with versions, draft/edit/publish), a
worker's services page (printable, plain text to send), family members, referrals and the
department queue, and integration activities (list, form, the activity with its registrations,
attendance and feedback).

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
become the 404 and 403 pages in core's middleware.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import actor_for
from gongyou.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from gongyou.core.htmx import is_htmx, template_for
from gongyou.regions.selectors import region_label
from gongyou.stations.policies import stations_visible_to

from . import selectors, services
from .enums import REFERRAL_TRANSITIONS, REGISTRATION_TRANSITIONS, VERSION_TRANSITIONS
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    CatalogueFilterForm,
    FamilyMemberForm,
    FeedbackForm,
    ReferralFilterForm,
    ReferralForm,
    RegistrationForm,
    ServiceForm,
    TransitionForm,
    VersionForm,
)
from .policies import (
    CATALOGUE_EDIT_ROLES,
    activity_can_create,
    activity_can_manage,
    activity_can_register,
    catalogue_can_edit,
    family_can_edit,
    referral_can_create,
)

# -- catalogue ---------------------------------------------------------------------------------


@login_required
@require_GET
def catalogue_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = CatalogueFilterForm(request.GET or None)
    filters = selectors.CatalogueFilter()
    if form.is_valid():
        filters = selectors.CatalogueFilter(**form.cleaned_data)
    qs = selectors.service_list(actor=actor, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [{"service": s, "current": selectors.version_in_force(service=s)} for s in page]
    return render(
        request,
        template_for(request, "publicservices/catalogue.html", "rows"),
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_create": bool(actor.roles & CATALOGUE_EDIT_ROLES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Service added; now draft its first version."))
            return redirect("publicservices:version_new", service_id=service.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "publicservices/service_form.html", {"form": form}, status=status)


@login_required
@require_GET
def service_page(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    service = selectors.service_get(actor=actor, service_id=service_id)
    versions = list(selectors.service_versions(service=service))
    current = selectors.version_in_force(service=service)
    can_edit = catalogue_can_edit(actor, service.city_id)
    return render(
        request,
        "publicservices/service.html",
        {
            "service": service,
            "versions": [
                {"v": v, "allowed": sorted(VERSION_TRANSITIONS[v.status]) if can_edit else []}
                for v in versions
            ],
            "current": current,
            "can_edit": can_edit,
        },
    )


def _departments(city: str) -> list[tuple[str, str]]:
    qs = Organisation.objects.filter(
        kind=OrganisationKind.PARTNER_DEPARTMENT, is_active=True
    ).order_by("region_id", "name")
    return [(str(o.pk), o.name) for o in qs if not o.region_id or o.region_id[:2] == city[:2]]


def _version_initial(version: Any) -> dict[str, Any]:
    if version is None:
        return {}
    return {
        **{
            f: getattr(version, f)
            for f in (
                "beneficiary",
                "department_name",
                "effective_from",
                "effective_to",
                "open_to_all",
                "needs_points",
                "conditions",
                "documents",
                "how_to_apply",
                "source",
                "trust",
                "summary",
            )
        },
        "department": str(version.department_id or ""),
        "version": version.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def version_new_page(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    service = selectors.service_get(actor=actor, service_id=service_id)
    if not catalogue_can_edit(actor, service.city_id):
        raise PermissionDenied()
    latest = service.versions.order_by("-number").first()
    form = VersionForm(
        request.POST or None,
        initial=_version_initial(latest),
        departments=_departments(service.city_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.service_version_create(
                actor=actor, service=service, data=form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Draft version %(n)s saved.") % {"n": version.number})
            return redirect("publicservices:service", service_id=service.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "publicservices/version_form.html",
        {"form": form, "service": service, "version": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    service = version.service
    form = VersionForm(
        request.POST or None,
        initial=_version_initial(version),
        departments=_departments(service.city_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_version_update(
                actor=actor,
                version=version,
                data=form.cleaned_data,
                expected_version=int(request.POST.get("version") or 0),
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicservices:service", service_id=service.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "publicservices/version_form.html",
        {"form": form, "service": service, "version": version},
        status=status,
    )


@login_required
@require_POST
def version_transition_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.service_version_transition(
                actor=actor,
                version=version,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            messages.error(request, _field_messages(exc))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("The request was incomplete; reload and try again."))
    return redirect("publicservices:service", service_id=version.service_id)


def _field_messages(exc: ApplicationError) -> str:
    parts = [exc.message, *(f["message"] for f in exc.fields.values())]
    return " ".join(dict.fromkeys(parts))


# -- a worker's services -----------------------------------------------------------------------


def _worker_context(request: HttpRequest, worker_id: int, **forms: Any) -> dict[str, Any]:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    answer = selectors.services_for_worker(worker=worker)
    family = [
        {"m": m, "age": selectors.age_of(m, selectors.today())}
        for m in selectors.family_list(worker=worker)
    ]
    referrals = list(
        selectors.referral_list(actor=actor, filters=selectors.ReferralFilter(worker_id=worker.pk))
    )
    return {
        "worker": worker,
        "current_label": region_label(worker.current_region_id),
        "answer": answer,
        "family": family,
        "referrals": referrals,
        "activities": list(selectors.worker_activities(actor=actor, worker=worker)[:50]),
        "can_edit": family_can_edit(actor),
        "can_refer": referral_can_create(actor),
        "family_form": forms.get("family_form")
        or FamilyMemberForm(initial={"lives_with_worker": True}),
        "referral_error": forms.get("referral_error"),
    }


@login_required
@require_GET
def worker_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    return render(request, "publicservices/worker.html", _worker_context(request, worker_id))


@login_required
@require_GET
def worker_print_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    return render(request, "publicservices/worker_print.html", _worker_context(request, worker_id))


@login_required
@require_GET
def worker_text_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_for_services(actor=actor_for(request.user), worker_id=worker_id)
    text = selectors.services_for_worker_text(selectors.services_for_worker(worker=worker))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="public-services-{worker.pk}.txt"'
    return response


@login_required
@require_POST
def family_add_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    form = FamilyMemberForm(request.POST)
    if form.is_valid():
        try:
            services.family_member_add(actor=actor, worker=worker, data=form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Family member added."))
            return redirect("publicservices:worker", worker_id=worker.pk)
    context = _worker_context(request, worker_id, family_form=form)
    return render(request, "publicservices/worker.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def family_edit_page(request: HttpRequest, worker_id: int, member_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    member = selectors.family_member_get(worker=worker, member_id=member_id)
    initial = {
        f: getattr(member, f)
        for f in (
            "relation",
            "name",
            "birth_date",
            "school_stage",
            "lives_with_worker",
            "note",
            "version",
        )
    }
    form = FamilyMemberForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.family_member_remove(actor=actor, worker=worker, member_id=member.pk)
                messages.success(request, _("Family member removed."))
                return redirect("publicservices:worker", worker_id=worker.pk)
            if form.is_valid():
                data = dict(form.cleaned_data)
                expected = data.pop("version") or 0
                services.family_member_update(
                    actor=actor,
                    worker=worker,
                    member_id=member.pk,
                    data=data,
                    expected_version=expected,
                )
                messages.success(request, _("Saved."))
                return redirect("publicservices:worker", worker_id=worker.pk)
        except ApplicationError as exc:
            form.add_service_error(exc)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "publicservices/family_form.html",
        {"form": form, "worker": worker, "member": member},
        status=status,
    )


# -- referrals ---------------------------------------------------------------------------------


@login_required
@require_POST
def referral_create_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    form = ReferralForm(request.POST)
    form.is_valid()
    try:
        referral = services.referral_create(
            actor=actor,
            worker=worker,
            service_id=form.cleaned_data.get("service_id"),
            family_member_id=form.cleaned_data.get("family_member_id"),
            note=form.cleaned_data.get("note") or "",
        )
    except ApplicationError as exc:
        context = _worker_context(request, worker_id, referral_error=_field_messages(exc))
        return render(request, "publicservices/worker.html", context, status=422)
    messages.success(
        request, _("Referral sent to %(dept)s.") % {"dept": referral.department_label or "?"}
    )
    return redirect("publicservices:referral", referral_id=referral.pk)


@login_required
@require_GET
def referral_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = ReferralFilterForm(request.GET or None)
    filters = selectors.ReferralFilter()
    if form.is_valid():
        filters = selectors.ReferralFilter(
            status=form.cleaned_data["status"] or None,
            service_kind=form.cleaned_data["kind"] or None,
            queue=form.cleaned_data["queue"],
        )
    qs = selectors.referral_list(actor=actor, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        template_for(request, "publicservices/referrals.html", "rows"),
        {"form": form, "page": page, "queue_count": selectors.queue_count(actor=actor)},
    )


@login_required
@require_GET
def referral_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    return render(
        request,
        "publicservices/referral.html",
        {
            "r": referral,
            "allowed": selectors.referral_allowed(actor=actor, referral=referral),
            "final": not REFERRAL_TRANSITIONS[referral.status],
        },
    )


@login_required
@require_POST
def referral_transition_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.referral_transition(
                actor=actor,
                referral=referral,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            messages.error(request, _field_messages(exc))
        else:
            messages.success(request, _("Outcome recorded."))
    else:
        messages.error(request, _("The request was incomplete; reload and try again."))
    return redirect("publicservices:referral", referral_id=referral.pk)


# -- integration activities --------------------------------------------------------------------

# What a form shows beside its inputs; PermissionDenied and NotFound stay 403 and 404.
REFUSALS = (ValidationFailed, Conflict)


def _stations(actor: Any) -> list[tuple[str, str]]:
    """The stations the actor may hold an activity at (the first 500 of its area)."""
    qs = stations_visible_to(actor).order_by("region_id", "name")[:500]
    return [(str(s.pk), f"{s.name} ({s.region_id})") for s in qs]


@login_required
@require_GET
def activity_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = ActivityFilterForm(request.GET or None)
    filters = selectors.ActivityFilter()
    if form.is_valid():
        filters = selectors.ActivityFilter(**{k: v or None for k, v in form.cleaned_data.items()})
    qs = selectors.activity_list(actor=actor, filters=filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        template_for(request, "publicservices/activities.html", "rows"),
        {"form": form, "page": page, "can_create": activity_can_create(actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not activity_can_create(actor):
        raise PermissionDenied()
    form = ActivityForm(
        request.POST or None,
        initial={"waiting_list": True, "audience": "workers"},
        stations=_stations(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=actor, data=form.data_for_service())
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Activity saved as a draft; open registration when ready."))
            return redirect("publicservices:activity", activity_id=activity.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "publicservices/activity_form.html",
        {"form": form, "activity": None},
        status=status,
    )


def _activity_initial(activity: Any) -> dict[str, Any]:
    values = {
        f: getattr(activity, f)
        for f in (
            "kind",
            "title",
            "description",
            "venue",
            "address",
            "places",
            "waiting_list",
            "registration_opens_on",
            "registration_closes_on",
            "audience",
            "child_age_min",
            "child_age_max",
            "version",
        )
    }
    values["station"] = str(activity.station_id or "")
    values["region"] = activity.region_id
    values["starts_at"] = timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M")
    values["ends_at"] = timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M")
    return values


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    if not activity_can_manage(actor, activity):
        raise PermissionDenied()
    form = ActivityForm(
        request.POST or None, initial=_activity_initial(activity), stations=_stations(actor)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=actor,
                activity=activity,
                data=form.data_for_service(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicservices:activity", activity_id=activity.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "publicservices/activity_form.html",
        {"form": form, "activity": activity},
        status=status,
    )


def _activity_context(request: HttpRequest, activity: Any, **extra: Any) -> dict[str, Any]:
    actor = actor_for(request.user)
    registrations = list(selectors.activity_registrations(activity=activity))
    can_manage = activity_can_manage(actor, activity)
    return {
        "a": activity,
        "read": selectors.activity_read(actor=actor, activity=activity),
        "rows": [_registration_row(actor, activity, r, can_manage) for r in registrations],
        "can_manage": can_manage,
        "can_register": activity_can_register(actor) and activity.status == "open",
        "register_form": extra.get("register_form") or RegistrationForm(),
        "feedback": [r for r in registrations if r.rating is not None],
    }


def _registration_row(actor: Any, activity: Any, reg: Any, can_manage: bool) -> dict[str, Any]:
    allowed = REGISTRATION_TRANSITIONS[reg.status]
    actions = []
    if "cancelled" in allowed and activity.status in ("draft", "open", "closed"):
        actions.append("cancelled")
    if (
        can_manage
        and activity.status in ("closed", "held")
        and timezone.now() >= activity.starts_at
    ):
        actions += [s for s in ("attended", "absent") if s in allowed]
    return {
        "r": reg,
        "actions": actions,
        "can_feedback": reg.status == "attended" and activity_can_register(actor),
    }


@login_required
@require_GET
def activity_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    return render(
        request,
        template_for(request, "publicservices/activity.html", "registrations"),
        _activity_context(request, activity),
    )


@login_required
@require_POST
def activity_transition_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.activity_transition(
                actor=actor,
                activity=activity,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except REFUSALS as exc:
            messages.error(request, _field_messages(exc))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("The request was incomplete; reload and try again."))
    return redirect("publicservices:activity", activity_id=activity.pk)


@login_required
@require_POST
def activity_register_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    form = RegistrationForm(request.POST)
    form.is_valid()
    try:
        registration = services.registration_create(
            actor=actor,
            activity=activity,
            worker_id=form.cleaned_data.get("worker_id"),
            family_member_id=form.cleaned_data.get("family_member_id") or None,
            note=form.cleaned_data.get("note") or "",
        )
    except REFUSALS as exc:
        form.add_service_error(exc)
        activity = selectors.activity_get(actor=actor, activity_id=activity_id)
        context = _activity_context(request, activity, register_form=form)
        return render(request, "publicservices/activity.html", context, status=422)
    if registration.status == "waitlisted":
        messages.warning(request, _("The activity is full: added to the waiting list."))
    else:
        messages.success(request, _("Registered."))
    return redirect("publicservices:activity", activity_id=activity.pk)


@login_required
@require_POST
def registration_transition_page(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Cancel or mark attendance; an HTMX request gets the registrations table back."""
    actor = actor_for(request.user)
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    form = TransitionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.registration_transition(
                actor=actor,
                registration=registration,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except REFUSALS as exc:
            error = _field_messages(exc)
    else:
        error = _("The request was incomplete; reload and try again.")
    activity = selectors.activity_get(actor=actor, activity_id=registration.activity_id)
    if is_htmx(request):
        context = {**_activity_context(request, activity), "row_error": error}
        return render(
            request,
            "publicservices/activity.html#registrations",
            context,
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Registration updated."))
    return redirect("publicservices:activity", activity_id=activity.pk)


@login_required
@require_POST
def registration_feedback_page(request: HttpRequest, registration_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    form = FeedbackForm(request.POST)
    form.is_valid()
    try:
        services.registration_feedback(
            actor=actor,
            registration=registration,
            rating=form.cleaned_data.get("rating"),
            comment=form.cleaned_data.get("comment") or "",
        )
    except REFUSALS as exc:
        messages.error(request, _field_messages(exc))
    else:
        messages.success(request, _("Feedback recorded."))
    return redirect("publicservices:activity", activity_id=registration.activity_id)
