"""Import pages: upload, the job page (live progress while running, then the summary), the
list of jobs, error reports and blank templates. Thin: parse, call one service or selector."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import ValidationFailed
from gongyou.core.htmx import template_for

from .enums import FINISHED, ImportKind
from .files import error_report_csv, error_report_xlsx, template_csv, template_xlsx
from .forms import ImportForm
from .selectors import import_errors, import_get, import_list
from .services import import_cancel, import_create

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def import_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    page = Paginator(import_list(actor=actor), 25).get_page(request.GET.get("page"))
    return render(request, "imports/list.html", {"page": page, "kinds": ImportKind.choices})


@login_required
@require_http_methods(["GET", "POST"])
def import_new_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_create(
                actor=actor_for(request.user),
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            return redirect("imports:detail", job_id=job.pk)
    return render(request, "imports/new.html", {"form": form, "kinds": ImportKind.choices})


@login_required
@never_cache
@require_GET
def import_detail_page(request: HttpRequest, job_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    job = import_get(actor=actor, job_id=job_id)
    errors = list(import_errors(actor=actor, job_id=job_id)[:50])
    return render(
        request,
        template_for(request, "imports/detail.html", "progress"),
        {"job": job, "errors": errors, "finished": job.status in FINISHED},
    )


@login_required
@require_POST
def import_cancel_page(request: HttpRequest, job_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    import_cancel(actor=actor, job=import_get(actor=actor, job_id=job_id))
    return redirect("imports:detail", job_id=job_id)


def _download(response: HttpResponse | StreamingHttpResponse | FileResponse, name: str) -> None:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"


@login_required
@never_cache
@require_GET
def import_errors_csv(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    rows = import_errors(actor=actor_for(request.user), job_id=job_id).iterator(chunk_size=2000)
    response = StreamingHttpResponse(error_report_csv(rows), content_type="text/csv; charset=utf-8")
    _download(response, f"import-{job_id}-errors.csv")
    return response


@login_required
@never_cache
@require_GET
def import_errors_xlsx(request: HttpRequest, job_id: int) -> FileResponse:
    rows = import_errors(actor=actor_for(request.user), job_id=job_id).iterator(chunk_size=2000)
    response = FileResponse(error_report_xlsx(rows), content_type=XLSX)
    _download(response, f"import-{job_id}-errors.xlsx")
    return response


@login_required
@require_GET
def import_template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in ImportKind.values or fmt not in ("csv", "xlsx"):
        raise Http404()
    if fmt == "csv":
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    _download(response, f"gongyou-{kind}-template.{fmt}")
    return response
