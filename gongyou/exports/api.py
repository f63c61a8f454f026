from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import never_cache
from ninja import Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors, services
from .models import ExportJob
from .schemas import ExportCreate, ExportRead

router = Router(tags=["exports"])


@router.post("/exports", response={202: ExportRead, **ERRORS})
def create_export(request: HttpRequest, payload: ExportCreate) -> tuple[int, object]:
    """Start an export of a list; poll the job, then download it when `status` is completed."""
    job = services.export_create(actor=actor_for(request.user), **payload.model_dump())
    return 202, job


@router.get("/exports", response={200: list[ExportRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_exports(request: HttpRequest):
    return selectors.export_list(actor=actor_for(request.user))


@router.get("/exports/{export_id}", response={200: ExportRead, **ERRORS})
def get_export(request: HttpRequest, export_id: int) -> object:
    return selectors.export_get(actor=actor_for(request.user), job_id=export_id)


@router.post("/exports/{export_id}/retry", response={202: ExportRead, **ERRORS})
def retry_export(request: HttpRequest, export_id: int) -> tuple[int, object]:
    actor = actor_for(request.user)
    job = selectors.export_get(actor=actor, job_id=export_id)
    return 202, services.export_retry(actor=actor, job=job)


@router.get("/exports/{export_id}/download", response={200: None, **ERRORS})
@never_cache
def download_export(request: HttpRequest, export_id: int) -> FileResponse:
    """The file as an attachment (never cached); each download is audited."""
    actor = actor_for(request.user)
    job = selectors.export_get(actor=actor, job_id=export_id)
    return file_response(job, services.export_open(actor=actor, job=job))


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def file_response(job: ExportJob, handle: IO[bytes]) -> FileResponse:
    """Shared with the download page: an attachment, never rendered inline."""
    response = FileResponse(handle, as_attachment=True, content_type=CONTENT_TYPES[job.format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.download_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
