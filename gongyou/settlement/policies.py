"""Who may see and change settlement data.

- A worker's histories, declared facts and answers follow the worker gate: visible to staff who
  see the worker; editable by staff who may edit workers (everyone but analysts).
- Policies are public reference data for every signed-in staff member.
- System admins edit any city's policies and city groups. Organisation admins edit the policies
  of cities inside their organisation's region (a city federation knows its own city's rules
  first); a national organisation admin is not a system admin and edits none (ADR 0008).
"""

from __future__ import annotations

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound, PermissionDenied
from gongyou.workers.models import Worker
from gongyou.workers.policies import worker_is_visible, worker_require_can_edit

VIEW_ROLES = frozenset(Role.values)
POLICY_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN})
REGIONAL_POLICY_ROLES = frozenset({Role.ORG_ADMIN})


def history_require_visible(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()


def history_require_can_edit(actor: Actor, worker: Worker) -> None:
    worker_require_can_edit(actor, worker)


def history_can_edit(actor: Actor) -> bool:
    return actor.can(Capability.EDIT_WORKERS)


def policies_require_visible(actor: Actor) -> None:
    if not actor.roles & VIEW_ROLES:
        raise NotFound()


def policy_can_edit(actor: Actor, city_code: str) -> bool:
    if actor.roles & POLICY_ADMIN_ROLES:
        return True
    return bool(
        actor.roles & REGIONAL_POLICY_ROLES
        and actor.region_prefix not in ("", "-")
        and actor.covers_region(city_code)
    )


def policy_require_can_edit(actor: Actor, city_code: str) -> None:
    policies_require_visible(actor)
    if not policy_can_edit(actor, city_code):
        raise PermissionDenied()


def policy_require_can_create(actor: Actor) -> None:
    """A new policy series: policy admins, and regional admins (for cities of their area)."""
    policies_require_visible(actor)
    if not actor.roles & (POLICY_ADMIN_ROLES | REGIONAL_POLICY_ROLES):
        raise PermissionDenied()


def groups_require_can_edit(actor: Actor) -> None:
    if not actor.roles & POLICY_ADMIN_ROLES:
        raise PermissionDenied()


BATCH_ROLES = frozenset({Role.SYSTEM_ADMIN})
RESULT_ROLES = frozenset({Role.ANALYST, Role.PROGRAMME_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})


def batch_require_can_run(actor: Actor) -> None:
    if not actor.roles & BATCH_ROLES:
        raise PermissionDenied()


def results_require_visible(actor: Actor) -> None:
    if not actor.roles & RESULT_ROLES:
        raise PermissionDenied()
