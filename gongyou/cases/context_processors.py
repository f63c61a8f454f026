"""What the navigation needs from cases: whether to show the queue, and the unread
notifications badge (one COUNT, run only when a page's navigation renders it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongyou.accounts.policies import actor_for

from .policies import INTAKE_ROLES, VIEW_ROLES
from .selectors import notification_unread_count


class _Unread:
    """Callable, so the template engine counts on first use only, and once."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = notification_unread_count(actor=actor_for(self.request.user))
        return self.value


def cases(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = actor_for(user)
    return {
        "case_caps": {
            "view": bool(actor.roles & VIEW_ROLES),
            "intake": bool(actor.roles & INTAKE_ROLES),
        },
        "unread_notifications": _Unread(request),
    }
