from typing import cast

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from gongyou.core.api import ERRORS, LimitOffsetPagination

from .models import User
from .policies import actor_for
from .schemas import ApiTokenCreate, ApiTokenRead, MeRead, OrganisationRead, TokenLogin, TokenOut
from .selectors import api_token_get, api_token_list, organisation_list
from .services import api_token_create, api_token_login, api_token_revoke

router = Router(tags=["accounts"])


@router.post("/auth/token", auth=None, response={200: TokenOut, **ERRORS})
def create_auth_token(request: HttpRequest, payload: TokenLogin) -> dict[str, object]:
    token, key = api_token_login(
        username=payload.username, password=payload.password, otp=payload.otp, request=request
    )
    return {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}


@router.get("/me", response={200: MeRead, **ERRORS})
def get_me(request: HttpRequest) -> dict[str, object]:
    actor = actor_for(request.user)
    u = cast(User, request.user)
    return {
        "id": u.pk,
        "username": u.username,
        "display_name": u.display_name,
        "organisation_id": u.organisation_id,
        "station_id": actor.station_id,
        "roles": sorted(actor.roles),
        "region_scope": actor.region_prefix,
    }


@router.get("/tokens", response={200: list[ApiTokenRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_tokens(request: HttpRequest):
    return api_token_list(actor=actor_for(request.user))


@router.post("/tokens", response={201: TokenOut, **ERRORS})
def create_token(request: HttpRequest, payload: ApiTokenCreate) -> tuple[int, dict[str, object]]:
    actor = actor_for(request.user)
    token, key = api_token_create(
        actor=actor, user=cast(User, request.user), name=payload.name, expires_at=payload.expires_at
    )
    return 201, {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}


@router.delete("/tokens/{token_id}", response={200: ApiTokenRead, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> object:
    actor = actor_for(request.user)
    return api_token_revoke(actor=actor, token=api_token_get(actor=actor, token_id=token_id))


@router.get("/organisations", response={200: list[OrganisationRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest):
    return organisation_list(actor=actor_for(request.user))
