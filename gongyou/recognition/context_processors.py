"""What the navigation needs from recognition."""

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for

from .policies import VIEW_ROLES


def recognition(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"recognition_caps": {}}
    return {"recognition_caps": {"view": bool(actor_for(user).roles & VIEW_ROLES)}}
