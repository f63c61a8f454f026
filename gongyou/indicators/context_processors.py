"""What the navigation needs from indicators."""

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for


def indicators(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"indicators_caps": {}}
    return {"indicators_caps": {"view": bool(actor_for(user).roles)}}
