"""Who may see and do what. The one place that turns a user into a data scope and capabilities.

Scope: a user sees records inside their organisation's region subtree (an organisation with no
region is national); station staff see their station. Region codes are GB/T 2260, so a subtree
is a code prefix (2 digits province, 4 city, 6 county) and a query is a code range.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from gongyou.core.errors import NotFound, PermissionDenied
from gongyou.regions.selectors import region_range_q

from .enums import Role


class Capability(enum.StrEnum):
    VIEW_WORKERS = "view_workers"
    EDIT_WORKERS = "edit_workers"
    REVEAL_NATIONAL_ID = "reveal_national_id"
    REVEAL_PHONE = "reveal_phone"
    MERGE_WORKERS = "merge_workers"
    VIEW_STATIONS = "view_stations"
    MANAGE_STATIONS = "manage_stations"
    LOG_VISITS = "log_visits"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE = "manage_reference"
    MANAGE_TASKS = "manage_tasks"


ALL_STAFF = frozenset(Role.values)
CAPABILITY_ROLES: dict[Capability, frozenset[str]] = {
    Capability.VIEW_WORKERS: ALL_STAFF,
    Capability.EDIT_WORKERS: ALL_STAFF - {Role.ANALYST},
    Capability.REVEAL_NATIONAL_ID: frozenset(
        {Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
    ),
    Capability.REVEAL_PHONE: frozenset(
        {Role.CASE_HANDLER, Role.EMPLOYMENT_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
    ),
    Capability.MERGE_WORKERS: frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    Capability.VIEW_STATIONS: ALL_STAFF,
    Capability.MANAGE_STATIONS: frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    Capability.LOG_VISITS: frozenset({Role.STATION_STAFF, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    Capability.VIEW_AUDIT: frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    Capability.MANAGE_USERS: frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN}),
    Capability.MANAGE_REFERENCE: frozenset({Role.SYSTEM_ADMIN}),
    Capability.MANAGE_TASKS: frozenset({Role.SYSTEM_ADMIN}),
}


def region_prefix(code: str | None) -> str:
    """'' for national; otherwise the significant digits of a GB/T 2260 code."""
    if not code:
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@dataclass(frozen=True)
class Actor:
    user: Any
    roles: frozenset[str]
    region_prefix: str  # '' = national
    station_id: int | None
    organisation_id: int | None

    @property
    def is_station_bound(self) -> bool:
        return (
            self.station_id is not None
            and Role.STATION_STAFF in self.roles
            and len(self.roles) == 1
        )

    def can(self, capability: Capability) -> bool:
        return bool(self.roles & CAPABILITY_ROLES[capability])

    def require(self, capability: Capability) -> None:
        if not self.can(capability):
            raise PermissionDenied()

    def region_q(self, *fields: str) -> Q:
        """Rows whose region (any of `fields`) lies in the actor's subtree."""
        if not self.region_prefix:
            # Always true, but not an empty Q(): `Q() | q` would collapse to `q` in an OR.
            return Q(pk__isnull=False)
        q = Q(pk__in=[])
        if self.region_prefix == "-":
            return q
        for field in fields:
            q |= region_range_q(field, self.region_prefix)
        return q

    def covers_region(self, code: str | None) -> bool:
        if self.region_prefix == "-":
            return False
        return not self.region_prefix or bool(code and code.startswith(self.region_prefix))


NO_ACCESS = Actor(
    user=None, roles=frozenset(), region_prefix="-", station_id=None, organisation_id=None
)


def actor_for(user: Any) -> Actor:
    """The user's roles and data scope; cached on the user object for the request."""
    cached = getattr(user, "_gongyou_actor", None)
    if cached is not None:
        return cached
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    roles = frozenset(r for r in (user.roles or []) if r in Role.values)
    station_id = user.station_id if Role.STATION_STAFF in roles else None
    if station_id is not None and roles == {Role.STATION_STAFF}:
        prefix = region_prefix(user.station.region_id)
    elif user.organisation_id is not None:
        prefix = region_prefix(user.organisation.region_id)
    else:
        roles, prefix = frozenset(), "-"  # a user without an organisation sees nothing
    actor = Actor(
        user=user,
        roles=roles,
        region_prefix=prefix,
        station_id=station_id,
        organisation_id=user.organisation_id,
    )
    user._gongyou_actor = actor
    return actor


def require_visible(condition: bool) -> None:
    if not condition:
        raise NotFound()
