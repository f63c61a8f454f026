"""What the navigation needs from training: whether to show the Training entry (no query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for

from .policies import VIEW_ROLES, can_manage, can_officiate, is_provider


def training(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = actor_for(user)
    return {
        "training_caps": {
            "view": bool(actor.roles & VIEW_ROLES),
            "manage": can_manage(actor),
            "officiate": can_officiate(actor),
            "provider": is_provider(actor),
        }
    }
