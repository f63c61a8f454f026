"""Privacy administration page (system administrators): retention rules with a dry run, legal
holds, anonymising a worker on request, key-rotation progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongyou.accounts.policies import actor_for
from gongyou.core import crypto
from gongyou.core.errors import ApplicationError, ValidationFailed
from gongyou.workers.services import worker_anonymise

from . import selectors, services
from .policies import privacy_require_admin
from .tasks import pii_rekey, privacy_retention


def _page(request: HttpRequest, **extra: Any) -> HttpResponse:
    actor = actor_for(request.user)
    privacy_require_admin(actor)
    ring = crypto.keyring()
    context = {
        "rules": selectors.retention_rules(),
        "holds": selectors.legal_holds_active(actor=actor)[:200],
        "run": selectors.rekey_latest(),
        "key_ids": ring.key_ids,
        "primary": ring.primary_id,
        **extra,
    }
    return render(request, "privacy/index.html", context, status=422 if "error" in extra else 200)


@login_required
def privacy_page(request: HttpRequest) -> HttpResponse:
    plan = None
    if request.GET.get("plan"):
        plan = selectors.retention_plan(actor=actor_for(request.user))
    return _page(request, plan=plan)


def _error_text(exc: ApplicationError) -> str:
    return " ".join([exc.message, *(str(f["message"]) for f in exc.fields.values())])


@login_required
@require_POST
def rule_update_page(request: HttpRequest, record_class: str) -> HttpResponse:
    try:
        services.retention_rule_update(
            actor=actor_for(request.user),
            record_class=record_class,
            keep_days=request.POST.get("keep_days"),
            enabled=bool(request.POST.get("enabled")),
        )
    except ValidationFailed as exc:
        return _page(request, error=_error_text(exc), error_rule=record_class)
    messages.success(request, _("Retention rule saved."))
    return redirect("privacy:index")


@login_required
@require_POST
def retention_run_page(request: HttpRequest) -> HttpResponse:
    privacy_require_admin(actor_for(request.user))
    privacy_retention.enqueue()
    messages.success(request, _("The retention rules will be applied by the task worker."))
    return redirect("privacy:index")


@login_required
@require_POST
def hold_place_page(request: HttpRequest) -> HttpResponse:
    try:
        services.legal_hold_place(
            actor=actor_for(request.user),
            worker_id=request.POST.get("worker"),
            reason=request.POST.get("reason"),
        )
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        return _page(request, error=_error_text(exc))
    messages.success(request, _("Legal hold placed."))
    return redirect("privacy:index")


@login_required
@require_POST
def hold_release_page(request: HttpRequest, hold_id: int) -> HttpResponse:
    try:
        services.legal_hold_release(
            actor=actor_for(request.user), hold_id=hold_id, reason=request.POST.get("reason")
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        return _page(request, error=_error_text(exc))
    messages.success(request, _("Legal hold released."))
    return redirect("privacy:index")


@login_required
@require_POST
def anonymise_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    privacy_require_admin(actor)
    try:
        worker_id = int(str(request.POST.get("worker") or "").strip())
    except ValueError:
        return _page(request, error=_("Enter the worker's number."))
    if request.POST.get("confirm") != "yes":
        return _page(request, error=_("Tick the box to confirm: anonymising cannot be undone."))
    try:
        result = worker_anonymise(
            actor=actor, worker_id=worker_id, reason=request.POST.get("reason") or ""
        )
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        return _page(request, error=_error_text(exc))
    if result.status == "blocked":
        return _page(
            request,
            error=_("Worker %(id)s was not anonymised: %(why)s.")
            % {"id": worker_id, "why": "; ".join(result.reasons)},
        )
    if result.status == "already":
        messages.info(request, _("Worker %(id)s was already anonymised.") % {"id": worker_id})
    else:
        messages.success(request, _("Worker %(id)s anonymised.") % {"id": worker_id})
    return redirect("privacy:index")


@login_required
@require_POST
def rekey_start_page(request: HttpRequest) -> HttpResponse:
    try:
        run = services.pii_rekey_start(actor=actor_for(request.user))
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        return _page(request, error=_error_text(exc))
    pii_rekey.enqueue(run.pk)
    messages.success(request, _("Re-encryption handed to the task worker."))
    return redirect("privacy:index")
