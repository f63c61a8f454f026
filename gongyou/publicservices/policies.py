"""Who may see and change public-service data.

- The catalogue is public reference data for every signed-in staff member; it is edited by the
  same people who edit the city's settlement policies (system admins anywhere, organisation
  admins for cities inside their region: `gongyou.settlement.policies.policy_can_edit`).
- Family members and the "what can this worker use" answer follow the worker gate.
- Referrals are visible to staff who cover the city or the worker's region; users of a partner
  department see only the referrals to their organisation (their queue). The receiving department records the outcome; when the
  department is not in the system, the referring organisation records what it was told. The
  referring organisation (or a system admin) may withdraw an open referral.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound, PermissionDenied
from gongyou.settlement.policies import policy_can_edit
from gongyou.workers.models import Worker
from gongyou.workers.policies import worker_is_visible, worker_require_can_edit

from .enums import DEPARTMENT_OUTCOMES, ReferralStatus
from .models import Referral

VIEW_ROLES = frozenset(Role.values)
REFER_ROLES = frozenset(Role.values) - {Role.ANALYST}
# Who may edit some city's catalogue (which city: catalogue_can_edit).
CATALOGUE_EDIT_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.ORG_ADMIN})
INDICATOR_ROLES = frozenset(
    {Role.ANALYST, Role.PROGRAMME_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
)


def catalogue_require_visible(actor: Actor) -> None:
    if not actor.roles & VIEW_ROLES:
        raise NotFound()


def catalogue_can_edit(actor: Actor, city_code: str) -> bool:
    return policy_can_edit(actor, city_code)


def catalogue_require_can_edit(actor: Actor, city_code: str) -> None:
    catalogue_require_visible(actor)
    if not catalogue_can_edit(actor, city_code):
        raise PermissionDenied()


def family_require_visible(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()


def family_require_can_edit(actor: Actor, worker: Worker) -> None:
    worker_require_can_edit(actor, worker)


def family_can_edit(actor: Actor) -> bool:
    return actor.can(Capability.EDIT_WORKERS)


def referral_can_create(actor: Actor) -> bool:
    return bool(actor.roles & REFER_ROLES)


def referral_require_can_create(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()
    if not referral_can_create(actor):
        raise PermissionDenied()


def actor_is_department(actor: Actor) -> bool:
    """Users of a partner department work from their queue: they see referrals to their
    organisation only, not every referral in their region."""
    if not actor.organisation_id:
        return False
    return Organisation.objects.filter(
        pk=actor.organisation_id, kind=OrganisationKind.PARTNER_DEPARTMENT
    ).exists()


def referrals_visible_to(actor: Actor) -> QuerySet[Referral]:
    if not actor.roles & VIEW_ROLES:
        return Referral.objects.none()
    if actor_is_department(actor) and Role.SYSTEM_ADMIN not in actor.roles:
        return Referral.objects.filter(department_id=actor.organisation_id)
    q = actor.region_q("city", "worker__current_region")
    if actor.organisation_id:
        q |= Q(department_id=actor.organisation_id)
    return Referral.objects.filter(q)


def referral_is_department(actor: Actor, referral: Referral) -> bool:
    return bool(actor.organisation_id and referral.department_id == actor.organisation_id)


def referral_can_transition(actor: Actor, referral: Referral, to_status: str) -> bool:
    if Role.SYSTEM_ADMIN in actor.roles:
        return True
    if to_status in DEPARTMENT_OUTCOMES:
        if referral.department_id:
            return referral_is_department(actor, referral)
        return bool(
            actor.roles & REFER_ROLES
            and actor.organisation_id
            and actor.organisation_id == referral.referred_by_org_id
        )
    if to_status == ReferralStatus.WITHDRAWN:
        return bool(
            actor.roles & REFER_ROLES
            and actor.organisation_id
            and actor.organisation_id == referral.referred_by_org_id
        )
    return False


def referral_require_can_transition(actor: Actor, referral: Referral, to_status: str) -> None:
    if not referral_can_transition(actor, referral, to_status):
        raise PermissionDenied()


def indicators_require_visible(actor: Actor) -> None:
    if not actor.roles & INDICATOR_ROLES:
        raise PermissionDenied()
