"""What the navigation needs from jobs: whether to show the jobs menu and its entries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for

from .policies import can_view, is_officer


def jobs(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = actor_for(user)
    return {"jobs_caps": {"view": can_view(actor), "officer": is_officer(actor)}}
