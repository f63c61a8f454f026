"""Registry pages: search, register, detail (certificates, consent, timeline), edit, reveal,
duplicate review and merge.

Thin: parse the request, call one selector or service, render. Searches and ID checks are
POSTs so that ID and mobile numbers never appear in URLs, access logs or browser history.
NotFound and PermissionDenied need no handling here: core's ApplicationErrorMiddleware turns
them into the 404 and 403 pages.
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
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Capability, actor_for
from gongyou.classifications.selectors import occupation_names
from gongyou.core.errors import ApplicationError, Conflict, FieldError, ValidationFailed
from gongyou.core.htmx import is_htmx, list_query, template_for
from gongyou.regions.selectors import province_codes, region_label

from .enums import ConsentPurpose, DuplicateReason
from .forms import (
    CertificateForm,
    ConsentForm,
    RevealForm,
    WorkerEditForm,
    WorkerMergeForm,
    WorkerMergeUndoForm,
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
    worker_duplicate_candidates,
    worker_get,
    worker_list,
    worker_merges,
    worker_timeline,
)
from .services import (
    WorkerAnonymised,
    certificate_add,
    consent_record,
    worker_merge,
    worker_merge_undo,
    worker_register,
    worker_reveal,
    worker_update,
)

PAGE_SIZE = 50
TIMELINE_SIZE = 100


# --- search ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def worker_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    params = request.POST if request.method == "POST" else request.GET
    form = WorkerSearchForm(params)
    form.is_valid()
    values: dict[str, Any] = {k: (str(v).strip() or None) for k, v in form.cleaned_data.items()}
    filters = WorkerFilter(**values)
    page = Paginator(
        worker_list(actor=actor, filters=filters).select_related("occupation"), PAGE_SIZE
    ).get_page(params.get("page"))
    rows = [(w, region_label(w.current_region_id)) for w in page.object_list]
    exact = rows[0][0] if filters.national_id and page.paginator.count == 1 else None
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "exact": exact,
        "searched": any(form.cleaned_data.values()),
        # ID and phone stay out of the URL (the search is a POST for that reason).
        "export_query": list_query(
            form.cleaned_data, kind="workers", drop=("national_id", "phone")
        ),
    }
    return render(request, template_for(request, "workers/list.html", "results"), context)


# --- register -------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
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
        "merges": worker_merges(worker=worker),
    }


@login_required
@require_GET
def worker_detail_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = worker_get(actor=actor_for(request.user), worker_id=worker_id)
    return render(request, "workers/detail.html", _detail_context(worker))


@login_required
@never_cache
@require_POST
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
                actor=actor,
                worker=worker,
                fields=[field],
                purpose=form.cleaned_data["purpose"],
                detail=form.cleaned_data["detail"],
            )
        except (ValidationFailed, WorkerAnonymised) as exc:
            context["error"] = " ".join(
                [exc.message, *(str(e["message"]) for e in exc.fields.values())]
            )
        else:
            context["value"] = values.get(field, "")
    else:
        context["error"] = _("Choose what to reveal.")
    return render(request, template_for(request, "workers/reveal.html", "value"), context)


def _detail_form_post(
    request: HttpRequest,
    worker: Worker,
    form: CertificateForm | ConsentForm,
    save: Callable[[], object],
    *,
    name: str,
    section: str,
    done: str,
    errors: tuple[type[ApplicationError], ...] = (ValidationFailed, Conflict),
) -> HttpResponse:
    """Save one of the detail page's forms (`<name>_form`): back to the page, or with htmx
    only its `section`, showing `done` or the service's errors beside the inputs."""
    saved = False
    if form.is_valid():
        try:
            save()
        except errors as exc:
            form.add_service_error(exc)
        else:
            saved = True
    if not is_htmx(request):
        if saved:
            messages.success(request, done)
            return redirect("workers:detail", worker_id=worker.pk)
        return render(
            request, "workers/detail.html", _detail_context(worker, **{f"{name}_form": form})
        )
    context = _detail_context(worker, **{f"{name}_form": None if saved else form})
    context[f"{name}_saved"] = saved
    return render(request, f"workers/detail.html#{section}", context)


@login_required
@require_POST
def certificate_add_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    form = CertificateForm(request.POST)
    return _detail_form_post(
        request,
        worker,
        form,
        lambda: certificate_add(actor=actor, worker=worker, **form.cleaned_data),
        name="cert",
        section="certificates",
        done=_("Certificate added."),
    )


@login_required
@require_POST
def consent_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    form = ConsentForm(request.POST)
    return _detail_form_post(
        request,
        worker,
        form,
        lambda: consent_record(actor=actor, worker=worker, **form.cleaned_data),
        name="consent",
        section="consent",
        done=_("Consent recorded."),
        errors=(ValidationFailed,),
    )


# --- edit -----------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
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


# --- duplicates and merge -------------------------------------------------------------------

DUPLICATES_PAGE_SIZE = 100


@login_required
@never_cache
@require_GET
def worker_duplicates_page(request: HttpRequest) -> HttpResponse:
    candidates = worker_duplicate_candidates(
        actor=actor_for(request.user), limit=DUPLICATES_PAGE_SIZE
    )
    rows = [(c, [DuplicateReason(r).label for r in c.reasons]) for c in candidates]
    return render(request, "workers/duplicates.html", {"rows": rows})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def worker_merge_page(request: HttpRequest, first_id: int, second_id: int) -> HttpResponse:
    """Two workers side by side; choose the one to keep, give the reason, confirm."""
    actor = actor_for(request.user)
    actor.require(Capability.MERGE_WORKERS)
    first = worker_get(actor=actor, worker_id=first_id)
    second = worker_get(actor=actor, worker_id=second_id)
    form = WorkerMergeForm(request.POST or None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        keep_id = form.cleaned_data.get("keep")
        keep, merge = (first, second) if keep_id == first.pk else (second, first)
        try:
            if keep_id not in (first.pk, second.pk):
                raise ValidationFailed(
                    _("Choose the worker to keep."),
                    fields={"keep": FieldError("required", _("Choose the worker to keep."))},
                )
            worker_merge(actor=actor, keep=keep, merge=merge, reason=form.cleaned_data["reason"])
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Merged %(name)s into this record.") % {"name": merge.name})
            return redirect("workers:detail", worker_id=keep.pk)
    fields = [
        "national_id_masked",
        "name",
        "sex",
        "birth_date",
        "phone_masked",
        "hukou_region",
        "current_region",
        "current_address",
        "education",
        "employment_form",
        "industry",
        "occupation",
    ]
    attname = {
        f: f"{f}_id" if f in ("hukou_region", "current_region", "occupation") else f for f in fields
    }
    compare = [
        (
            _field_label(f),
            _display(f, getattr(first, attname[f])),
            _display(f, getattr(second, attname[f])),
        )
        for f in fields
    ]
    context = {"first": first, "second": second, "compare": compare, "form": form}
    return render(request, "workers/merge.html", context)


@login_required
@require_POST
def worker_merge_undo_page(request: HttpRequest, merge_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    form = WorkerMergeUndoForm(request.POST)
    form.is_valid()
    try:
        record = worker_merge_undo(
            actor=actor, merge_id=merge_id, reason=form.cleaned_data.get("reason", "")
        )
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
        back = request.POST.get("worker", "")
        return (
            redirect("workers:detail", worker_id=back)
            if back.isdigit()
            else redirect("workers:list")
        )
    messages.success(request, _("The merge was undone."))
    return redirect("workers:detail", worker_id=record.kept_id)
