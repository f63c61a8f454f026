from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors, services
from .schemas import ArrearsFlagIn, EmployerCreate, EmployerFilterIn, EmployerRead

router = Router(tags=["employers"])


@router.post("/employers", response={201: EmployerRead, **ERRORS})
def create_employer(request: HttpRequest, payload: EmployerCreate) -> tuple[int, object]:
    return 201, services.employer_register(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/employers", response={200: list[EmployerRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_employers(request: HttpRequest, filters: Query[EmployerFilterIn]):
    return selectors.employer_list(
        actor=actor_for(request.user), filters=selectors.EmployerFilter(**filters.model_dump())
    )


@router.get("/employers/{employer_id}", response={200: EmployerRead, **ERRORS})
def get_employer(request: HttpRequest, employer_id: int) -> object:
    return selectors.employer_get(actor=actor_for(request.user), employer_id=employer_id)


@router.post("/employers/{employer_id}/arrears-flag", response={200: EmployerRead, **ERRORS})
def set_employer_arrears_flag(
    request: HttpRequest, employer_id: int, payload: ArrearsFlagIn
) -> object:
    actor = actor_for(request.user)
    employer = selectors.employer_get(actor=actor, employer_id=employer_id)
    return services.employer_set_arrears_flag(
        actor=actor, employer=employer, flagged=payload.flagged, reason=payload.reason
    )
