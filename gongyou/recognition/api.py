from urllib.parse import quote

from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import never_cache
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors, services
from .schemas import (
    EvidenceRead,
    NominationCreate,
    NominationFilterIn,
    NominationRead,
    NominationTransitionIn,
    NominationUpdate,
    ObjectionHandleIn,
    ObjectionIn,
    ObjectionRead,
    QuotaIn,
    RoundCreate,
    RoundDetail,
    RoundFilterIn,
    RoundRead,
    RoundUpdate,
    RoundVersionIn,
)

router = Router(tags=["recognition"])


def _round_detail(request: HttpRequest, round_id: int) -> dict:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    outcome = selectors.round_outcome(award_round=award_round, actor=actor)
    return {
        **RoundRead.from_orm(award_round).dict(),
        "quotas": [
            {**vars(q), "left": q.left}
            for q in selectors.round_quota_usage(award_round=award_round)
        ],
        "awarded": outcome["awarded"],
        "migrant_awarded": outcome["migrant"],
        "migrant_share": outcome["share"],
    }


@router.get("/award-rounds", response={200: list[RoundRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_award_rounds(request: HttpRequest, filters: Query[RoundFilterIn]):
    return selectors.round_list(
        actor=actor_for(request.user), filters=selectors.RoundFilter(**filters.model_dump())
    )


@router.post("/award-rounds", response={201: RoundDetail, **ERRORS})
def create_award_round(request: HttpRequest, payload: RoundCreate) -> tuple[int, object]:
    award_round = services.round_create(actor=actor_for(request.user), data=payload.model_dump())
    return 201, _round_detail(request, award_round.pk)


@router.get("/award-rounds/{round_id}", response={200: RoundDetail, **ERRORS})
def get_award_round(request: HttpRequest, round_id: int) -> object:
    return _round_detail(request, round_id)


@router.patch("/award-rounds/{round_id}", response={200: RoundDetail, **ERRORS})
def update_award_round(request: HttpRequest, round_id: int, payload: RoundUpdate) -> object:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    services.round_update(actor=actor, award_round=award_round, data=data, version=version)
    return _round_detail(request, round_id)


@router.post("/award-rounds/{round_id}/quotas", response={200: RoundDetail, **ERRORS})
def set_award_round_quota(request: HttpRequest, round_id: int, payload: QuotaIn) -> object:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    services.round_set_quota(actor=actor, award_round=award_round, **payload.model_dump())
    return _round_detail(request, round_id)


@router.post("/award-rounds/{round_id}/conclude", response={200: RoundDetail, **ERRORS})
def conclude_award_round(request: HttpRequest, round_id: int, payload: RoundVersionIn) -> object:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    services.round_conclude(actor=actor, award_round=award_round, version=payload.version)
    return _round_detail(request, round_id)


@router.post("/award-rounds/{round_id}/nominations", response={201: NominationRead, **ERRORS})
def create_nomination(
    request: HttpRequest, round_id: int, payload: NominationCreate
) -> tuple[int, object]:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    return 201, services.nomination_create(
        actor=actor, award_round=award_round, data=payload.model_dump()
    )


@router.get("/nominations", response={200: list[NominationRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_nominations(request: HttpRequest, filters: Query[NominationFilterIn]):
    return selectors.nomination_list(
        actor=actor_for(request.user),
        filters=selectors.NominationFilter(**filters.model_dump()),
    )


@router.get("/nominations/{nomination_id}", response={200: NominationRead, **ERRORS})
def get_nomination(request: HttpRequest, nomination_id: int) -> object:
    return selectors.nomination_get(actor=actor_for(request.user), nomination_id=nomination_id)


@router.patch("/nominations/{nomination_id}", response={200: NominationRead, **ERRORS})
def update_nomination(
    request: HttpRequest, nomination_id: int, payload: NominationUpdate
) -> object:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    return services.nomination_update(
        actor=actor, nomination=nomination, data=data, version=version
    )


@router.post("/nominations/{nomination_id}/transition", response={200: NominationRead, **ERRORS})
def transition_nomination(
    request: HttpRequest, nomination_id: int, payload: NominationTransitionIn
) -> object:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return services.nomination_transition(
        actor=actor, nomination=nomination, **payload.model_dump()
    )


@router.post("/nominations/{nomination_id}/evidence", response={201: EvidenceRead, **ERRORS})
def create_nomination_evidence(
    request: HttpRequest,
    nomination_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    description: Form[str] = "",
) -> tuple[int, object]:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return 201, services.evidence_add(
        actor=actor, nomination=nomination, upload=file, kind=kind, description=description
    )


@router.get("/nominations/{nomination_id}/evidence", response={200: list[EvidenceRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_nomination_evidence(request: HttpRequest, nomination_id: int):
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return selectors.nomination_evidence(nomination=nomination)


@router.get("/nominations/{nomination_id}/evidence/{evidence_id}", response={200: None, **ERRORS})
@never_cache
def download_nomination_evidence(
    request: HttpRequest, nomination_id: int, evidence_id: int
) -> FileResponse:
    """The file itself, as a download (never rendered inline); each download is audited."""
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    evidence, handle = services.evidence_open(
        actor=actor, nomination=nomination, evidence_id=evidence_id
    )
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=True)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get(
    "/nominations/{nomination_id}/objections", response={200: list[ObjectionRead], **ERRORS}
)
@paginate(LimitOffsetPagination)
def list_nomination_objections(request: HttpRequest, nomination_id: int):
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return selectors.nomination_objections(nomination=nomination)


@router.post("/nominations/{nomination_id}/objections", response={201: ObjectionRead, **ERRORS})
def create_nomination_objection(
    request: HttpRequest, nomination_id: int, payload: ObjectionIn
) -> tuple[int, object]:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return 201, services.objection_record(
        actor=actor, nomination=nomination, **payload.model_dump()
    )


@router.post(
    "/nominations/{nomination_id}/objections/{objection_id}/handle",
    response={200: ObjectionRead, **ERRORS},
)
def handle_nomination_objection(
    request: HttpRequest, nomination_id: int, objection_id: int, payload: ObjectionHandleIn
) -> object:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return services.objection_handle(
        actor=actor, nomination=nomination, objection_id=objection_id, **payload.model_dump()
    )
