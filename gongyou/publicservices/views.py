"""Public-service pages: the catalogue (list, service with versions, draft/edit/publish), a
worker's services page (printable, plain text to send), family members, referrals and the
department queue, and integration activities (list, form, the activity with its registrations,
attendance and feedback).

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
become the 404 and 403 pages in core's middleware. A control is offered when the policy predicate
(the user's role) and the service's state predicate (the record's state) both allow the write; a
form page for a record whose state forbids the edit sends the user back to the record with a
message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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
from .enums import (
    REFERRAL_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    VERSION_TRANSITIONS,
    RegistrationStatus,
)
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
    activity_can_create,
    activity_can_manage,
    activity_can_register,
    catalogue_can_create,
    catalogue_can_edit,
    family_can_edit,
    referral_can_create,
)
from .services.activity import NOT_EDITABLE as ACTIVITY_NOT_EDITABLE
from .services.catalogue import NOT_DRAFT

PAGE_SIZE = 50
# What a page shows back to the user (a form with its errors, or a message); PermissionDenied and
# NotFound stay the 403 and 404 pages.
REFUSALS = (ValidationFailed, Conflict)

# -- shared by the pages -----------------------------------------------------------------------


def _require(allowed: bool) -> None:
    """A page whose only purpose is a write answers 403, before the form is filled in, to a user
    the service would refuse (the same policy predicate decides)."""
    if not allowed:
        raise PermissionDenied()


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _fields(record: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, conflict: bool = False
) -> HttpResponse:
    """A form page: the form to fill in (200), or a POST sent back with its errors: 422, or 409
    when `conflict` says the form's service error is a Conflict (the data's state refused it)."""
    if request.method != "POST":
        return render(request, template, context)
    return render(request, template, context, status=409 if conflict else 422)


def _is_conflict(form: Any) -> bool:
    return isinstance(getattr(form, "service_error", None), Conflict)


def _field_messages(exc: ApplicationError) -> str:
    parts = [exc.message, *(f["message"] for f in exc.fields.values())]
    return " ".join(dict.fromkeys(parts))


def _transition(
    request: HttpRequest,
    change: Callable[..., Any],
    *,
    refusals: type[ApplicationError] | tuple[type[ApplicationError], ...],
    with_note: bool = False,
    **record: Any,
) -> str:
    """Run the status change posted by a TransitionForm through `change` (the actor and the
    record in `record`); "" when done, else the message to show. Errors other than `refusals`
    propagate (core's middleware turns PermissionDenied and NotFound into the 403 and 404 pages)."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _("The request was incomplete; reload and try again.")
    data = form.cleaned_data
    note = {"note": data["note"]} if with_note else {}
    try:
        change(
            to_status=data["to_status"],
            reason=data["reason"],
            expected_version=data["version"],
            **note,
            **record,
        )
    except refusals as exc:
        return _field_messages(exc)
    return ""


def _flash(request: HttpRequest, error: str, done: str) -> None:
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)


# -- catalogue ---------------------------------------------------------------------------------


@login_required
@require_GET
def catalogue_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = CatalogueFilterForm(request.GET or None)
    filters = selectors.CatalogueFilter()
    if form.is_valid():
        filters = selectors.CatalogueFilter(**form.cleaned_data)
    page = _page(request, selectors.service_list(actor=actor, filters=filters))
    rows = [{"service": s, "current": selectors.version_in_force(service=s)} for s in page]
    return render(
        request,
        template_for(request, "publicservices/catalogue.html", "rows"),
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_create": catalogue_can_create(actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    _require(catalogue_can_create(actor))
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(actor=actor, **form.cleaned_data)
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Service added; now draft its first version."))
            return redirect("publicservices:version_new", service_id=service.pk)
    return _form_page(
        request, "publicservices/service_form.html", {"form": form}, conflict=_is_conflict(form)
    )


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
                {
                    "v": v,
                    "allowed": sorted(VERSION_TRANSITIONS[v.status]) if can_edit else [],
                    "editable": can_edit and services.version_can_edit(v),
                }
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


VERSION_FORM_FIELDS = (
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


def _version_form(request: HttpRequest, service: Any, start: Any) -> VersionForm:
    """The version form, filled in from `start` (the version edited, or the latest one)."""
    initial = {}
    if start is not None:
        initial = {
            **_fields(start, VERSION_FORM_FIELDS),
            "department": str(start.department_id or ""),
            "version": start.version,
        }
    return VersionForm(
        request.POST or None, initial=initial, departments=_departments(service.city_id)
    )


def _version_form_page(
    request: HttpRequest, form: VersionForm, service: Any, version: Any
) -> HttpResponse:
    context = {"form": form, "service": service, "version": version}
    return _form_page(
        request, "publicservices/version_form.html", context, conflict=_is_conflict(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_new_page(request: HttpRequest, service_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    service = selectors.service_get(actor=actor, service_id=service_id)
    _require(catalogue_can_edit(actor, service.city_id))
    form = _version_form(request, service, service.versions.order_by("-number").first())
    if request.method == "POST" and form.is_valid():
        try:
            version = services.service_version_create(
                actor=actor, service=service, data=form.cleaned_data
            )
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Draft version %(n)s saved.") % {"n": version.number})
            return redirect("publicservices:service", service_id=service.pk)
    return _version_form_page(request, form, service, None)


@login_required
@require_http_methods(["GET", "POST"])
def version_edit_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    service = version.service
    _require(catalogue_can_edit(actor, service.city_id))
    if not services.version_can_edit(version):
        # A published or withdrawn version is frozen: no form the service would refuse.
        messages.error(request, str(NOT_DRAFT))
        return redirect("publicservices:service", service_id=service.pk)
    form = _version_form(request, service, version)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_version_update(
                actor=actor,
                version=version,
                data=form.cleaned_data,
                expected_version=int(request.POST.get("version") or 0),
            )
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicservices:service", service_id=service.pk)
    return _version_form_page(request, form, service, version)


@login_required
@require_POST
def version_transition_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    error = _transition(
        request,
        services.service_version_transition,
        refusals=REFUSALS,
        actor=actor,
        version=version,
    )
    _flash(request, error, _("Status changed."))
    return redirect("publicservices:service", service_id=version.service_id)


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
        "can_edit": family_can_edit(actor, worker),
        "can_refer": referral_can_create(actor, worker),
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
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Family member added."))
            return redirect("publicservices:worker", worker_id=worker.pk)
    context = _worker_context(request, worker_id, family_form=form)
    status = 409 if _is_conflict(form) else 422
    return render(request, "publicservices/worker.html", context, status=status)


FAMILY_FORM_FIELDS = (
    "relation",
    "name",
    "birth_date",
    "school_stage",
    "lives_with_worker",
    "note",
    "version",
)


@login_required
@require_http_methods(["GET", "POST"])
def family_edit_page(request: HttpRequest, worker_id: int, member_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    _require(family_can_edit(actor, worker))
    member = selectors.family_member_get(worker=worker, member_id=member_id)
    initial = _fields(member, FAMILY_FORM_FIELDS)
    context: dict[str, Any] = {
        "worker": worker,
        "member": member,
        "can_remove": services.family_member_can_remove(member),
    }
    if request.method == "POST" and request.POST.get("remove"):
        try:
            services.family_member_remove(actor=actor, worker=worker, member_id=member.pk)
        except Conflict as exc:
            # Refused because of the member's state (referrals on record): the stored values
            # again, with the reason; nothing was posted to keep.
            form = FamilyMemberForm(initial=initial)
            form.service_error = exc
            return _form_page(
                request, "publicservices/family_form.html", {**context, "form": form}, conflict=True
            )
        messages.success(request, _("Family member removed."))
        return redirect("publicservices:worker", worker_id=worker.pk)
    form = FamilyMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version") or 0
        try:
            services.family_member_update(
                actor=actor,
                worker=worker,
                member_id=member.pk,
                data=data,
                expected_version=expected,
            )
        except REFUSALS as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("publicservices:worker", worker_id=worker.pk)
    return _form_page(
        request,
        "publicservices/family_form.html",
        {**context, "form": form},
        conflict=_is_conflict(form),
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
    except REFUSALS as exc:
        context = _worker_context(request, worker_id, referral_error=_field_messages(exc))
        # 409 for a conflict (an open referral already), 422 for bad input: as the API answers.
        return render(request, "publicservices/worker.html", context, status=exc.status)
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
    page = _page(request, selectors.referral_list(actor=actor, filters=filters))
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
    error = _transition(
        request,
        services.referral_transition,
        refusals=REFUSALS,
        with_note=True,
        actor=actor,
        referral=referral,
    )
    _flash(request, error, _("Outcome recorded."))
    return redirect("publicservices:referral", referral_id=referral.pk)


# -- integration activities --------------------------------------------------------------------


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
    page = _page(request, selectors.activity_list(actor=actor, filters=filters))
    return render(
        request,
        template_for(request, "publicservices/activities.html", "rows"),
        {"form": form, "page": page, "can_create": activity_can_create(actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    _require(activity_can_create(actor))
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
    return _form_page(
        request, "publicservices/activity_form.html", {"form": form, "activity": None}
    )


ACTIVITY_FORM_FIELDS = (
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


def _activity_initial(activity: Any) -> dict[str, Any]:
    values = _fields(activity, ACTIVITY_FORM_FIELDS)
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
    _require(activity_can_manage(actor, activity))
    if not services.activity_can_edit(activity):
        # Held and cancelled activities are a record: no form the service would refuse.
        messages.error(request, str(ACTIVITY_NOT_EDITABLE))
        return redirect("publicservices:activity", activity_id=activity.pk)
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
    context = {"form": form, "activity": activity}
    return _form_page(request, "publicservices/activity_form.html", context)


def _activity_context(request: HttpRequest, activity: Any, **extra: Any) -> dict[str, Any]:
    actor = actor_for(request.user)
    now = timezone.now()
    registrations = list(selectors.activity_registrations(activity=activity))
    can_manage = activity_can_manage(actor, activity)
    can_register = activity_can_register(actor)
    read = selectors.activity_read(actor=actor, activity=activity)
    return {
        "a": activity,
        "read": read,
        "allowed": read["allowed"],  # what the role and the activity's dates allow now
        "rows": [
            _registration_row(
                activity, r, can_manage=can_manage, can_register=can_register, now=now
            )
            for r in registrations
        ],
        "can_edit": can_manage and services.activity_can_edit(activity),
        "can_register": can_register and services.activity_registration_open(activity, now=now),
        # A refused registration comes back with its reasons even when registration has closed.
        "register_refused": "register_form" in extra,
        "register_form": extra.get("register_form") or RegistrationForm(),
        "feedback": [r for r in registrations if r.rating is not None],
    }


def _registration_row(
    activity: Any, reg: Any, *, can_manage: bool, can_register: bool, now: dt.datetime
) -> dict[str, Any]:
    """The buttons of one registration: cancelling is for those who may register workers,
    attendance for those who manage the activity, each when the activity's state allows it
    (registration_transition's rules)."""
    allowed = REGISTRATION_TRANSITIONS[reg.status]
    actions = []
    if (
        can_register
        and RegistrationStatus.CANCELLED in allowed
        and services.activity_registrations_cancellable(activity)
    ):
        actions.append(RegistrationStatus.CANCELLED)
    if can_manage and services.activity_attendance_open(activity, now=now):
        actions += [
            s for s in (RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT) if s in allowed
        ]
    return {
        "r": reg,
        "actions": actions,
        "can_feedback": can_register and services.registration_can_give_feedback(reg),
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
    error = _transition(
        request, services.activity_transition, refusals=REFUSALS, actor=actor, activity=activity
    )
    _flash(request, error, _("Status changed."))
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
    error = _transition(
        request,
        services.registration_transition,
        refusals=REFUSALS,
        actor=actor,
        registration=registration,
    )
    activity = selectors.activity_get(actor=actor, activity_id=registration.activity_id)
    if is_htmx(request):
        context = {**_activity_context(request, activity), "row_error": error}
        return render(
            request,
            "publicservices/activity.html#registrations",
            context,
            status=422 if error else 200,
        )
    _flash(request, error, _("Registration updated."))
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
