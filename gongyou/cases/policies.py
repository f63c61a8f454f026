"""Access to cases: the one gate. Out of scope is 404, never 403.

- Federation staff see cases whose region lies in their subtree, plus cases owned by (transferred
  to) or referred to their organisation.
- Users of a partner department (labour inspection, arbitration, legal aid, courts, police) see
  only the cases referred or transferred to their organisation, not every case in their region.
- Station-bound front-desk staff see the cases taken in at their station.
- Programme and employment officers do not see cases (need to know); analysts read them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound, PermissionDenied

from .models import Case, Notification

VIEW_ROLES = frozenset(
    {Role.STATION_STAFF, Role.CASE_HANDLER, Role.ANALYST, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
)
INTAKE_ROLES = frozenset({Role.STATION_STAFF, Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
HANDLE_ROLES = frozenset({Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
CALENDAR_ROLES = frozenset({Role.SYSTEM_ADMIN})


def _is_partner(actor: Actor) -> bool:
    org = getattr(actor.user, "organisation", None)
    return getattr(org, "kind", None) == OrganisationKind.PARTNER_DEPARTMENT


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    if not actor.roles & VIEW_ROLES:
        return Case.objects.none()
    if actor.is_station_bound:
        return Case.objects.filter(intake_station_id=actor.station_id or 0)
    own = Q(organisation_id=actor.organisation_id) | Q(referred_to_id=actor.organisation_id)
    if _is_partner(actor):
        return Case.objects.filter(own)
    return Case.objects.filter(actor.region_q("region_id") | own)


def case_is_visible(actor: Actor, case: Case) -> bool:
    if not actor.roles & VIEW_ROLES:
        return False
    if actor.is_station_bound:
        return case.intake_station_id == actor.station_id
    if actor.organisation_id is not None and actor.organisation_id in (
        case.organisation_id,
        case.referred_to_id,
    ):
        return True
    return not _is_partner(actor) and actor.covers_region(case.region_id)


def case_require_visible(actor: Actor, case: Case) -> None:
    if not case_is_visible(actor, case):
        raise NotFound()


def case_require_can_intake(actor: Actor) -> None:
    if not actor.roles & INTAKE_ROLES:
        raise PermissionDenied()


def case_require_can_handle(actor: Actor, case: Case) -> None:
    """Assign, transfer, refer, claimants, outcomes, deadlines."""
    case_require_visible(actor, case)
    if not actor.roles & HANDLE_ROLES:
        raise PermissionDenied()


def case_require_can_note(actor: Actor, case: Case) -> None:
    case_require_visible(actor, case)
    if not actor.roles & (HANDLE_ROLES | INTAKE_ROLES):
        raise PermissionDenied()


def notifications_visible_to(actor: Actor) -> QuerySet[Notification]:
    if actor.user is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor.user)


def calendar_require_can_edit(actor: Actor) -> None:
    if not actor.roles & CALENDAR_ROLES:
        raise PermissionDenied()
