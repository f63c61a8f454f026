"""Access to cases: the one gate. Out of scope is 404, never 403.

- Federation staff see cases whose region lies in their subtree, plus cases owned by (transferred
  to) or referred to their organisation.
- Users of a partner department (labour inspection, arbitration, legal aid, courts, police) see
  only the cases referred or transferred to their organisation, not every case in their region.
  They work on their part of a referred case (notes, evidence, their procedure's deadlines: met,
  extended) but the handling union organisation keeps the case: only its staff move the status,
  assign, transfer, refer, add claimants and record outcomes.
- Station-bound front-desk staff see the cases taken in at their station.
- Programme and employment officers do not see cases (need to know); analysts read them.
- Construction projects (respondents' sites) are seen by the case roles in their region subtree,
  like employers; handlers and admins flag and clear their wage-arrears warning.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound, PermissionDenied

from .models import Case, Notification, Project

VIEW_ROLES = frozenset(
    {Role.STATION_STAFF, Role.CASE_HANDLER, Role.ANALYST, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
)
INTAKE_ROLES = frozenset({Role.STATION_STAFF, Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
HANDLE_ROLES = frozenset({Role.CASE_HANDLER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
CALENDAR_ROLES = frozenset({Role.SYSTEM_ADMIN})


def actor_is_partner(actor: Actor) -> bool:
    """A user of a partner department (labour inspection, arbitration, legal aid, court, police)."""
    org = getattr(actor.user, "organisation", None)
    return getattr(org, "kind", None) == OrganisationKind.PARTNER_DEPARTMENT


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    if not actor.roles & VIEW_ROLES:
        return Case.objects.none()
    if actor.is_station_bound:
        return Case.objects.filter(intake_station_id=actor.station_id or 0)
    own = Q(organisation_id=actor.organisation_id) | Q(referred_to_id=actor.organisation_id)
    if actor_is_partner(actor):
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
    return not actor_is_partner(actor) and actor.covers_region(case.region_id)


def case_require_visible(actor: Actor, case: Case) -> None:
    if not case_is_visible(actor, case):
        raise NotFound()


def case_require_can_intake(actor: Actor) -> None:
    if not actor.roles & INTAKE_ROLES:
        raise PermissionDenied()


def case_require_can_handle(actor: Actor, case: Case) -> None:
    """Deadlines (met, extended): handlers and admins, a referred partner department's too."""
    case_require_visible(actor, case)
    if not actor.roles & HANDLE_ROLES:
        raise PermissionDenied()


def case_can_manage(actor: Actor) -> bool:
    """Whether the actor's roles and organisation let them change the case itself."""
    return bool(actor.roles & HANDLE_ROLES) and not actor_is_partner(actor)


def case_require_can_manage(actor: Actor, case: Case) -> None:
    """Status, assignment, transfer, referral, claimants, outcomes: the handling side only."""
    case_require_visible(actor, case)
    if not actor.roles & HANDLE_ROLES:
        raise PermissionDenied()
    if actor_is_partner(actor):
        raise PermissionDenied(
            _("A partner department reads the case; its handling organisation changes it.")
        )


def case_require_can_note(actor: Actor, case: Case) -> None:
    case_require_visible(actor, case)
    if not actor.roles & (HANDLE_ROLES | INTAKE_ROLES):
        raise PermissionDenied()


def projects_visible_to(actor: Actor) -> QuerySet[Project]:
    if not actor.roles & VIEW_ROLES:
        return Project.objects.none()
    return Project.objects.filter(actor.region_q("region_id"))


def project_is_visible(actor: Actor, project: Project) -> bool:
    return bool(actor.roles & VIEW_ROLES) and actor.covers_region(project.region_id)


def project_require_can_flag(actor: Actor, project: Project) -> None:
    if not project_is_visible(actor, project):
        raise NotFound()
    if not actor.roles & HANDLE_ROLES:
        raise PermissionDenied()


def notifications_visible_to(actor: Actor) -> QuerySet[Notification]:
    if actor.user is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor.user)


def calendar_require_can_edit(actor: Actor) -> None:
    if not actor.roles & CALENDAR_ROLES:
        raise PermissionDenied()
