"""Bearer-token authentication for the API (tokens are owned by accounts)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import api_token_authenticate


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user
