"""Export pages: start an export of a list (from the list's query string), follow the job
(HTMX polling every second while it runs), list my exports, download the file.

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
become the 404 and 403 pages through core's ApplicationErrorMiddleware.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import NotFound, PermissionDenied, ValidationFailed
from gongyou.core.htmx import template_for

from .api import file_response
from .enums import ExportKind
from .forms import ExportForm, filters_from_query
from .policies import export_can_reveal, export_require_can_create
from .selectors import export_filters_parse, export_get, export_list, export_rows_queryset
from .services import export_create, export_open, export_retry

PAGE_SIZE = 50
LIST_URLS: dict[str, str] = {
    ExportKind.WORKERS: "workers:list",
    ExportKind.STATIONS: "stations:list",
    ExportKind.CASES: "cases:queue",
}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export_new_page(request: HttpRequest) -> HttpResponse:
    """GET ?kind=<list>&<the list's query string>; POST starts the job and redirects to it."""
    actor = actor_for(request.user)
    export_require_can_create(actor)
    kind = request.GET.get("kind", "")
    if kind not in ExportKind.values:
        raise NotFound()
    query = request.GET.copy()
    query.pop("kind", None)
    filters, search = filters_from_query(kind, query)
    can_reveal = export_can_reveal(actor, kind)
    form = ExportForm(request.POST or None, can_reveal=can_reveal)
    problem: ValidationFailed | None = None
    count: int | None = None
    try:
        parsed = export_filters_parse(kind=kind, data=filters, strict=False)
        count = export_rows_queryset(actor=actor, kind=kind, filters=parsed, search=search).count()
    except ValidationFailed as exc:
        problem = exc
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            job = export_create(
                actor=actor,
                kind=kind,
                format=data["format"],
                headers=data["headers"],
                filters=filters,
                search=search,
                reveal=bool(data.get("reveal")),
                purpose=data.get("purpose", ""),
                language=get_language(),
                strict_filters=False,
            )
        except (ValidationFailed, PermissionDenied) as exc:
            form.add_service_error(exc)
        else:
            return redirect("exports:detail", job_id=job.pk)
    context: dict[str, Any] = {
        "form": form,
        "kind": ExportKind(kind),
        "applied": filters,
        "search": search,
        "count": count,
        "problem": problem,
        "query": query.urlencode(),
        "back": LIST_URLS.get(kind),
    }
    return render(request, "exports/new.html", context)


@login_required
@never_cache
@require_GET
def export_detail_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = export_get(actor=actor_for(request.user), job_id=job_id)
    return render(request, template_for(request, "exports/detail.html", "status"), {"job": job})


@login_required
@never_cache
@require_GET
def export_list_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(export_list(actor=actor_for(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "exports/list.html", {"page": page})


@login_required
@never_cache
@require_GET
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    actor = actor_for(request.user)
    job = export_get(actor=actor, job_id=job_id)
    return file_response(job, export_open(actor=actor, job=job))


@login_required
@require_POST
def export_retry_page(request: HttpRequest, job_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    job = export_retry(actor=actor, job=export_get(actor=actor, job_id=job_id))
    return redirect("exports:detail", job_id=job.pk)


def export_query(kind: str, params: QueryDict) -> str:
    """The `exports:new` query string for a list page's current query (for the Export buttons
    other pages add: `{% url 'exports:new' %}?{{ export_query }}`)."""
    query = params.copy()
    query.pop("page", None)
    query["kind"] = kind
    return query.urlencode()
