"""What the navigation needs from publicservices."""

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for

from .policies import VIEW_ROLES


def publicservices(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = actor_for(user)
    return {"publicservices_caps": {"view": bool(actor.roles & VIEW_ROLES)}}
