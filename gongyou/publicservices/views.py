"""Public-service pages: the catalogue (list, service with versions, draft/edit/publish), a
worker's services page (printable, plain text to send), family members, referrals and the
department queue.

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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import actor_for
from gongyou.core.errors import ApplicationError, PermissionDenied
from gongyou.core.htmx import template_for
from gongyou.regions.selectors import region_label

from . import selectors, services
from .enums import REFERRAL_TRANSITIONS, VERSION_TRANSITIONS
from .forms import (
    CatalogueFilterForm,
    FamilyMemberForm,
    ReferralFilterForm,
    ReferralForm,
    ServiceForm,
    TransitionForm,
    VersionForm,
)
from .policies import (
    CATALOGUE_EDIT_ROLES,
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
