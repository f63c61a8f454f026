from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors, services
from .schemas import ImportErrorRead, ImportRead

router = Router(tags=["imports"])


@router.post("/imports", response={202: ImportRead, **ERRORS})
def create_import(
    request: HttpRequest, kind: Form[str], file: File[UploadedFile]
) -> tuple[int, object]:
    """Upload a CSV or .xlsx file; the import runs as a background task (poll the job)."""
    return 202, services.import_create(actor=actor_for(request.user), kind=kind, upload=file)


@router.get("/imports", response={200: list[ImportRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_imports(request: HttpRequest):
    return selectors.import_list(actor=actor_for(request.user))


@router.get("/imports/{job_id}", response={200: ImportRead, **ERRORS})
def get_import(request: HttpRequest, job_id: int) -> object:
    return selectors.import_get(actor=actor_for(request.user), job_id=job_id)


@router.get("/imports/{job_id}/errors", response={200: list[ImportErrorRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_import_errors(request: HttpRequest, job_id: int):
    return selectors.import_errors(actor=actor_for(request.user), job_id=job_id)
