"""Who may run privacy administration: system administrators with national scope (retention
and anonymisation are irreversible and span every region)."""

from __future__ import annotations

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import PermissionDenied


def privacy_can_admin(actor: Actor) -> bool:
    return Role.SYSTEM_ADMIN in actor.roles and actor.region_prefix == ""


def privacy_require_admin(actor: Actor) -> None:
    if not privacy_can_admin(actor):
        raise PermissionDenied()
