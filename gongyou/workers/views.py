"""Registry pages: search, register, detail (certificates, consent, timeline), edit, reveal.

Thin: parse the request, call one selector or service, render. Searches and ID checks are
POSTs so that ID and mobile numbers never appear in URLs, access logs or browser history.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Capability, actor_for
from gongyou.classifications.selectors import occupation_list, occupation_names
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.regions.selectors import province_codes, region_is_known, region_label, region_list

from .enums import ConsentPurpose
from .forms import (
    CertificateForm,
    ConsentForm,
    RevealForm,
    WorkerEditForm,
    WorkerRegisterForm,
    WorkerSearchForm,
    worker_initial,
)
from .identity import IdentityError, parse_national_id
from .models import Worker
from .policies import worker_require_can_edit
from .selectors import (
    WorkerFilter,
    worker_certificates,
    worker_current_consent,
    worker_get,
    worker_list,
    worker_timeline,
)
from .services import certificate_add, consent_record, worker_register, worker_reveal, worker_update

PAGE_SIZE = 50
TIMELINE_SIZE = 100
LOOKUP_SIZE = 20


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NotFound -> 404 and PermissionDenied -> 403, so views need no try/except for access."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _partial(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if _is_htmx(request) else template


# --- search ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@domain_errors
def worker_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    params = request.POST if request.method == "POST" else request.GET
    form = WorkerSearchForm(params)
    form.is_valid()
    values: dict[str, Any] = {k: (str(v).strip() or None) for k, v in form.cleaned_data.items()}
    filters = WorkerFilter(**values)
    page = Paginator(worker_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        params.get("page")
    )
    rows = [(w, region_label(w.current_region_id)) for w in page.object_list]
    exact = rows[0][0] if filters.national_id and page.paginator.count == 1 else None
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "exact": exact,
        "searched": any(form.cleaned_data.values()),
    }
    return render(request, _partial(request, "workers/list.html", "results"), context)


# --- register -------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@domain_errors
def worker_register_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.EDIT_WORKERS)
    form = WorkerRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            worker = worker_register(actor=actor, data=form.service_data())
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Registered %(name)s.") % {"name": worker.name})
            return redirect("workers:detail", worker_id=worker.pk)
    return render(request, "workers/register.html", {"form": form})


@login_required
@never_cache
@require_POST
def worker_id_check(request: HttpRequest) -> HttpResponse:
    """What the typed ID number says (sex, birth date, place of issue), or why it is invalid."""
    raw = request.POST.get("national_id", "")
    context: dict[str, Any] = {"empty": not raw.strip()}
    if raw.strip():
        try:
            national = parse_national_id(raw, provinces=province_codes())
        except IdentityError as exc:
            context["error"] = exc.message
        else:
            context.update(national=national, issued_in=region_label(national.region_code))
    return render(request, "workers/register.html#id_check", context)


def _query(request: HttpRequest) -> str:
    """The typed text: the value of whichever input sent the lookup (its name varies)."""
    values = (request.GET.get(key, "").strip() for key in request.GET if key != "field")
    return next((v for v in values if v), "")


@login_required
@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for a region-code input (a datalist) and the name of a complete code."""
    field = request.GET.get("field", "")
    q = _query(request)[:20]
    regions = list(region_list(q=q)[:LOOKUP_SIZE]) if q else []
    options = [(r.code, region_label(r.code)) for r in regions]
    context = {
        "options": options,
        "field": field if field.replace("_", "").isalnum() else "",
        "label": region_label(q) if region_is_known(q) else "",
    }
    return render(request, "workers/lookup.html", context)


@login_required
@require_GET
def occupation_options(request: HttpRequest) -> HttpResponse:
    q = _query(request)[:40]
    options = list(occupation_list(q=q).values_list("code", "name")[:LOOKUP_SIZE]) if q else []
    context = {"options": options, "field": "occupation", "label": occupation_names().get(q, "")}
    return render(request, "workers/lookup.html", context)


# --- detail ---------------------------------------------------------------------------------


def _display(field: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if field in ("hukou_region", "current_region"):
        return region_label(str(value))
    if field == "occupation":
        return f"{value} {occupation_names().get(str(value), '')}".strip()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _field_label(field: str) -> str:
    try:
        model_field: Any = Worker._meta.get_field(field)
        return str(model_field.verbose_name)
    except Exception:
        return field


def _timeline(worker: Worker) -> list[tuple[Any, list[tuple[str, str, str]]]]:
    rows = []
    for event in worker_timeline(worker=worker)[:TIMELINE_SIZE]:
        changes = []
        if isinstance(event.before, dict) and isinstance(event.after, dict):
            for key in event.after:
                changes.append(
                    (
                        _field_label(key),
                        _display(key, event.before.get(key)),
                        _display(key, event.after[key]),
                    )
                )
        rows.append((event, changes))
    return rows


def _detail_context(worker: Worker, **forms: Any) -> dict[str, Any]:
    current = worker_current_consent(worker=worker)
    return {
        "worker": worker,
        "hukou_label": region_label(worker.hukou_region_id),
        "current_label": region_label(worker.current_region_id),
        "certificates": worker_certificates(worker=worker),
        "cert_form": forms.get("cert_form") or CertificateForm(),
        "consents": [(label, current.get(value)) for value, label in ConsentPurpose.choices],
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "timeline": _timeline(worker),
        "reveal_form": RevealForm(),
    }


@login_required
@require_GET
@domain_errors
def worker_detail_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = worker_get(actor=actor_for(request.user), worker_id=worker_id)
    return render(request, "workers/detail.html", _detail_context(worker))


@login_required
@never_cache
@require_POST
@domain_errors
def worker_reveal_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    form = RevealForm(request.POST)
    context: dict[str, Any] = {"worker": worker, "form": form}
    if form.is_valid():
        field = form.cleaned_data["field"]
        context["field"] = field
        try:
            values = worker_reveal(
                actor=actor, worker=worker, fields=[field], purpose=form.purpose_text()
            )
        except ValidationFailed as exc:
            context["error"] = exc.message
        else:
            context["value"] = values.get(field, "")
    else:
        context["error"] = _("Choose what to reveal.")
    return render(request, _partial(request, "workers/reveal.html", "value"), context)


@login_required
@require_POST
@domain_errors
def certificate_add_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    form = CertificateForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            certificate_add(actor=actor, worker=worker, **form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            saved = True
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("Certificate added."))
            return redirect("workers:detail", worker_id=worker.pk)
        return render(request, "workers/detail.html", _detail_context(worker, cert_form=form))
    context = _detail_context(worker, cert_form=None if saved else form)
    context["cert_saved"] = saved
    return render(request, "workers/detail.html#certificates", context)


@login_required
@require_POST
@domain_errors
def consent_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    form = ConsentForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            consent_record(actor=actor, worker=worker, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            saved = True
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("Consent recorded."))
            return redirect("workers:detail", worker_id=worker.pk)
        return render(request, "workers/detail.html", _detail_context(worker, consent_form=form))
    context = _detail_context(worker, consent_form=None if saved else form)
    context["consent_saved"] = saved
    return render(request, "workers/detail.html#consent", context)


# --- edit -----------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@domain_errors
def worker_edit_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    worker_require_can_edit(actor, worker)
    form = WorkerEditForm(
        request.POST or None,
        initial=worker_initial(worker),
        phone_masked=worker.phone_masked,
        can_correct_id=bool(actor.roles & {Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if not data:
            messages.info(request, _("Nothing was changed."))
            return redirect("workers:detail", worker_id=worker.pk)
        try:
            worker_update(actor=actor, worker=worker, data=data)
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("workers:detail", worker_id=worker.pk)
    return render(request, "workers/edit.html", {"form": form, "worker": worker})
