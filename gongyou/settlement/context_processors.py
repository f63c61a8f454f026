"""What the navigation needs from settlement."""

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for

from .policies import VIEW_ROLES


def settlement(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"settlement_caps": {"view": bool(actor_for(user).roles & VIEW_ROLES)}}
