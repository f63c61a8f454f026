from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors, services
from .schemas import (
    CertificateCreate,
    CertificateRead,
    ConsentCreate,
    ConsentRead,
    DuplicateCandidateRead,
    RevealIn,
    RevealOut,
    TimelineEntry,
    WorkerCreate,
    WorkerFilterIn,
    WorkerMergeIn,
    WorkerMergeRead,
    WorkerMergeUndoIn,
    WorkerRead,
    WorkerUpdate,
)

router = Router(tags=["workers"])


@router.post("/workers", response={201: WorkerRead, **ERRORS})
def create_worker(request: HttpRequest, payload: WorkerCreate) -> tuple[int, object]:
    return 201, services.worker_register(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/workers", response={200: list[WorkerRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_workers(request: HttpRequest, filters: Query[WorkerFilterIn]):
    return selectors.worker_list(
        actor=actor_for(request.user), filters=selectors.WorkerFilter(**filters.model_dump())
    )


@router.get("/workers/duplicates", response={200: list[DuplicateCandidateRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_worker_duplicates(request: HttpRequest):
    return selectors.worker_duplicate_candidates(
        actor=actor_for(request.user), limit=selectors.DUPLICATES_MAX
    )


@router.get("/workers/{worker_id}", response={200: WorkerRead, **ERRORS})
def get_worker(request: HttpRequest, worker_id: int) -> object:
    return selectors.worker_get(actor=actor_for(request.user), worker_id=worker_id)


@router.patch("/workers/{worker_id}", response={200: WorkerRead, **ERRORS})
def update_worker(request: HttpRequest, worker_id: int, payload: WorkerUpdate) -> object:
    actor = actor_for(request.user)
    worker = selectors.worker_get(actor=actor, worker_id=worker_id)
    return services.worker_update(
        actor=actor, worker=worker, data=payload.model_dump(exclude_unset=True)
    )


@router.post("/workers/{worker_id}/reveal", response={200: RevealOut, **ERRORS})
def reveal_worker(request: HttpRequest, worker_id: int, payload: RevealIn) -> object:
    actor = actor_for(request.user)
    worker = selectors.worker_get(actor=actor, worker_id=worker_id)
    return services.worker_reveal(
        actor=actor,
        worker=worker,
        fields=payload.fields,
        purpose=payload.purpose,
        detail=payload.detail,
    )


@router.get("/workers/{worker_id}/certificates", response={200: list[CertificateRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_worker_certificates(request: HttpRequest, worker_id: int):
    worker = selectors.worker_get(actor=actor_for(request.user), worker_id=worker_id)
    return selectors.worker_certificates(worker=worker)


@router.post("/workers/{worker_id}/certificates", response={201: CertificateRead, **ERRORS})
def create_worker_certificate(
    request: HttpRequest, worker_id: int, payload: CertificateCreate
) -> tuple[int, object]:
    actor = actor_for(request.user)
    worker = selectors.worker_get(actor=actor, worker_id=worker_id)
    return 201, services.certificate_add(actor=actor, worker=worker, **payload.model_dump())


@router.post("/workers/{worker_id}/consents", response={201: ConsentRead, **ERRORS})
def create_worker_consent(
    request: HttpRequest, worker_id: int, payload: ConsentCreate
) -> tuple[int, object]:
    actor = actor_for(request.user)
    worker = selectors.worker_get(actor=actor, worker_id=worker_id)
    return 201, services.consent_record(actor=actor, worker=worker, **payload.model_dump())


@router.get("/workers/{worker_id}/timeline", response={200: list[TimelineEntry], **ERRORS})
@paginate(LimitOffsetPagination)
def list_worker_timeline(request: HttpRequest, worker_id: int):
    worker = selectors.worker_get(actor=actor_for(request.user), worker_id=worker_id)
    return selectors.worker_timeline(worker=worker)


@router.post("/workers/{keep_id}/merge", response={201: WorkerMergeRead, **ERRORS})
def merge_worker(request: HttpRequest, keep_id: int, payload: WorkerMergeIn) -> tuple[int, object]:
    actor = actor_for(request.user)
    keep = selectors.worker_get(actor=actor, worker_id=keep_id)
    merge = selectors.worker_get(actor=actor, worker_id=payload.merge_id)
    return 201, services.worker_merge(actor=actor, keep=keep, merge=merge, reason=payload.reason)


@router.post("/worker-merges/{merge_id}/undo", response={200: WorkerMergeRead, **ERRORS})
def undo_worker_merge(request: HttpRequest, merge_id: int, payload: WorkerMergeUndoIn) -> object:
    return services.worker_merge_undo(
        actor=actor_for(request.user), merge_id=merge_id, reason=payload.reason
    )
