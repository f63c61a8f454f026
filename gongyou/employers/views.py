"""Employer pages: search (with the wage-arrears early-warning filter), register, detail with
the arrears flag. The employer's case history is served by the cases app (a higher tier) and
loaded into the detail page.

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
need no handling here: core's ApplicationErrorMiddleware turns them into the 404 and 403 pages.
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

from gongyou.accounts.policies import Actor, actor_for
from gongyou.core.errors import Conflict, ValidationFailed
from gongyou.core.htmx import template_for
from gongyou.regions.selectors import region_label

from .forms import ArrearsFlagForm, EmployerFilterForm, EmployerForm
from .models import Employer
from .policies import EDIT_ROLES, FLAG_ROLES, employer_require_can_create
from .selectors import EmployerFilter, employer_get, employer_list
from .services import employer_register, employer_set_arrears_flag

PAGE_SIZE = 50


@login_required
@require_GET
def employer_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = EmployerFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = EmployerFilter(
        name=data.get("name") or None,
        credit_code=data.get("credit_code") or None,
        region=data.get("region") or None,
        industry=data.get("industry") or None,
        flagged=True if data.get("flagged") else None,
    )
    page = Paginator(employer_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "rows": [(e, region_label(e.region_id)) for e in page.object_list],
        "can_create": bool(actor.roles & EDIT_ROLES),
    }
    return render(request, template_for(request, "employers/list.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def employer_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    employer_require_can_create(actor)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = employer_register(actor=actor, data=form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Registered %(name)s.") % {"name": employer.name})
            return redirect("employers:detail", employer_id=employer.pk)
    return render(request, "employers/form.html", {"form": form})


def _detail_context(actor: Actor, employer: Employer, **extra: Any) -> dict[str, Any]:
    return {
        "employer": employer,
        "region": region_label(employer.region_id),
        "can_flag": bool(actor.roles & FLAG_ROLES),
        "flag_form": extra.get("flag_form") or ArrearsFlagForm(),
    }


@login_required
@require_GET
def employer_detail_page(request: HttpRequest, employer_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    employer = employer_get(actor=actor, employer_id=employer_id)
    return render(request, "employers/detail.html", _detail_context(actor, employer))


@login_required
@require_POST
def employer_flag_page(request: HttpRequest, employer_id: int) -> HttpResponse:
    """Flag or clear the wage-arrears early warning, with a reason (handlers and admins)."""
    actor = actor_for(request.user)
    employer = employer_get(actor=actor, employer_id=employer_id)
    form = ArrearsFlagForm(request.POST)
    flagged = request.POST.get("flagged") == "1"
    if form.is_valid():
        try:
            employer_set_arrears_flag(
                actor=actor, employer=employer, flagged=flagged, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("Flagged for wage arrears.") if flagged else _("Flag cleared.")
            )
            return redirect("employers:detail", employer_id=employer.pk)
    return render(
        request, "employers/detail.html", _detail_context(actor, employer, flag_form=form)
    )
