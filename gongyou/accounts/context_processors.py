from typing import Any

from django.http import HttpRequest

from .policies import Capability, actor_for


def actor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    a = actor_for(user)
    return {"actor": a, "caps": {c.value: a.can(c) for c in Capability}}
