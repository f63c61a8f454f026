"""Account pages: the signed-in user's API tokens, and the audit log for admins."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongyou.core.errors import ApplicationError, ValidationFailed

from .forms import OrganisationForm, UserForm
from .models import User
from .policies import Capability, actor_for
from .selectors import (
    AuditFilter,
    api_token_get,
    api_token_list,
    audit_list,
    organisation_list,
    stations_for_assignment,
    user_get,
    user_list,
)
from .services import (
    api_token_create,
    api_token_revoke,
    organisation_create,
    user_create,
    user_set_password,
    user_update,
)
from .twofactor import (
    totp_device,
    totp_enrolment_confirm,
    totp_enrolment_start,
    totp_provisioning,
    totp_reset,
    totp_verify_session,
)


@login_required
def token_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    new_key = None
    error = None
    if request.method == "POST":
        try:
            _token, new_key = api_token_create(
                actor=actor, user=cast(User, request.user), name=request.POST.get("name", "")
            )
        except ApplicationError as exc:
            error = exc
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": api_token_list(actor=actor)[:200], "new_key": new_key, "error": error},
    )


@login_required
@require_POST
def token_revoke_page(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    token = api_token_revoke(actor=actor, token=api_token_get(actor=actor, token_id=token_id))
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


AUDIT_ACTIONS = [
    "worker.register",
    "worker.update",
    "worker.reveal",
    "certificate.add",
    "consent.record",
    "visit.log",
    "station.create",
    "station.update",
    "organisation.create",
    "user.create",
    "user.set_password",
    "api_token.create",
    "api_token.revoke",
    "region.size_class",
]


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    g = request.GET
    f = AuditFilter(
        action=g.get("action") or None,
        actor=g.get("actor") or None,
        entity_type=g.get("entity_type") or None,
        entity_id=g.get("entity_id") or None,
        worker_id=int(g["worker_id"]) if g.get("worker_id", "").isdigit() else None,
        since=_date(g.get("since")),
        until=_date(g.get("until")),
    )
    page = Paginator(audit_list(user=request.user, filters=f), 50).get_page(g.get("page"))
    return render(
        request, "accounts/audit.html", {"page": page, "filters": f, "actions": AUDIT_ACTIONS}
    )


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _apply_errors(form: Any, exc: ApplicationError) -> None:
    for field, err in exc.fields.items():
        form.add_error(field if field in form.fields else None, err["message"])
    if not exc.fields:
        form.add_error(None, exc.message)


@login_required
def users_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.MANAGE_USERS)
    page = Paginator(user_list(actor=actor), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page})


@login_required
def user_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.MANAGE_USERS)
    form = UserForm(
        request.POST or None,
        organisations=organisation_list(actor=actor),
        stations=stations_for_assignment(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = user_create(
                actor=actor,
                username=d["username"],
                password=d["password"] or None,
                organisation=d["organisation"],
                roles=d["roles"],
                display_name=d["display_name"],
                email=d["email"],
                station=d["station"],
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_edit_page(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.MANAGE_USERS)
    target = user_get(actor=actor, user_id=user_id)
    initial = {
        "display_name": target.display_name,
        "email": target.email,
        "organisation": target.organisation,
        "roles": target.roles,
        "station": target.station,
        "is_active": target.is_active,
    }
    form = UserForm(
        request.POST or None,
        initial=initial,
        organisations=organisation_list(actor=actor),
        stations=stations_for_assignment(actor=actor),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                user_update(
                    actor=actor,
                    user=target,
                    data={
                        k: d[k]
                        for k in (
                            "display_name",
                            "email",
                            "organisation",
                            "roles",
                            "station",
                            "is_active",
                        )
                    },
                )
                if d["password"]:
                    user_set_password(actor=actor, user=target, password=d["password"])
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s saved.") % {"name": target.username})
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "target": target, "two_factor": totp_device(target) is not None},
    )


@login_required
def organisations_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    orgs = organisation_list(actor=actor)
    form = OrganisationForm(request.POST or None, organisations=orgs)
    if request.method == "POST":
        actor.require(Capability.MANAGE_USERS)
        if form.is_valid():
            d = form.cleaned_data
            try:
                org = organisation_create(
                    actor=actor,
                    name=d["name"],
                    kind=d["kind"],
                    region_code=d["region"] or None,
                    parent=d["parent"],
                    department_type=d["department_type"],
                )
            except ApplicationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Organisation %(name)s created.") % {"name": org.name})
                return redirect("accounts:organisations")
    page = Paginator(orgs, 100).get_page(request.GET.get("page"))
    return render(request, "accounts/organisations.html", {"page": page, "form": form})


# --- Two-factor sign-in (accounts.twofactor) ----------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@login_required
def two_factor_setup_page(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the secret), enter a code."""
    device = totp_device(request.user, confirmed=False)
    error = ""
    if request.method == "POST" and device is not None:
        try:
            totp_enrolment_confirm(request=request, device=device, token=request.POST.get("otp"))
        except ValidationFailed as exc:
            error = str(next(iter(exc.fields.values()))["message"])
        else:
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(_next_url(request))
    if device is None or request.method == "GET":
        device = totp_enrolment_start(user=request.user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "provisioning": totp_provisioning(device),
            "error": error,
            "next": _next_url(request),
            "replacing": totp_device(request.user) is not None,
        },
    )


@login_required
def two_factor_verify_page(request: HttpRequest) -> HttpResponse:
    if totp_device(request.user) is None:
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={_next_url(request)}")
    error = ""
    if request.method == "POST":
        try:
            totp_verify_session(request=request, token=request.POST.get("otp"))
        except (ValidationFailed, ApplicationError) as exc:
            fields = getattr(exc, "fields", None) or {}
            error = str(next(iter(fields.values()))["message"]) if fields else str(exc.message)
        else:
            return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"error": error, "next": _next_url(request)}
    )


@login_required
@require_POST
def two_factor_reset_page(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.MANAGE_USERS)
    target = user_get(actor=actor, user_id=user_id)
    totp_reset(actor=actor, user=target)
    messages.success(
        request,
        _("Two-factor sign-in of %(name)s was reset: they set it up again at their next sign-in.")
        % {"name": target.username},
    )
    return redirect("accounts:user_edit", user_id=target.pk)


def locked_out(request: HttpRequest, *args: Any) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the sign-in page
    explains the pause; the API answers in its own error shape."""
    from django.conf import settings
    from django.http import JsonResponse

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = _(
        "Too many wrong passwords for this account or from this address. Try again in %(n)d minutes."
    ) % {"n": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "account_locked", "message": message, "fields": {}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "accounts/locked.html", {"cooloff_minutes": minutes}, status=429)
