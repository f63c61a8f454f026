"""Who may see and change public-service data.

- The catalogue is public reference data for every signed-in staff member; it is edited by the
  same people who edit the city's settlement policies (system admins anywhere, organisation
  admins for cities inside their region: `gongyou.settlement.policies.policy_can_edit`).
- Family members and the "what can this worker use" answer follow the worker gate.
- Referrals are visible to staff who cover the city or the worker's region; users of a partner
  department see only the referrals to their organisation (their queue). The receiving department records the outcome; when the
  department is not in the system, the referring organisation records what it was told. The
  referring organisation (or a system admin) may withdraw an open referral.
- Integration activities are visible in the activity's region subtree (station-bound staff: their
  station's activities and the station-less ones of their region); see ACTIVITY_MANAGE_ROLES.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound, PermissionDenied
from gongyou.settlement.policies import policy_can_edit
from gongyou.workers.models import Worker
from gongyou.workers.policies import worker_is_visible, worker_require_can_edit

from .enums import ACTIVITY_TRANSITIONS, DEPARTMENT_OUTCOMES, ActivityStatus, ReferralStatus
from .models import Activity, ActivityRegistration, Referral

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


def catalogue_can_create(actor: Actor) -> bool:
    """Whether some city's catalogue is the actor's to edit, so a new service may be added to
    one: `catalogue_can_edit` asked for a city of the actor's own region (a county's region holds
    no city, and a national organisation admin edits none)."""
    prefix = actor.region_prefix
    city = {2: prefix + "0100", 4: prefix + "00"}.get(len(prefix), "")
    return catalogue_can_edit(actor, city)


def catalogue_require_can_edit(actor: Actor, city_code: str) -> None:
    catalogue_require_visible(actor)
    if not catalogue_can_edit(actor, city_code):
        raise PermissionDenied()


def family_require_visible(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()


def family_can_edit(actor: Actor, worker: Worker) -> bool:
    """Add, change or remove the worker's family members: the registry's rule for editing the
    worker (`worker_require_can_edit`), asked as a question."""
    try:
        worker_require_can_edit(actor, worker)
    except (NotFound, PermissionDenied):
        return False
    return True


def family_require_can_edit(actor: Actor, worker: Worker) -> None:
    family_require_visible(actor, worker)
    if not family_can_edit(actor, worker):
        raise PermissionDenied()


def referral_can_create(actor: Actor, worker: Worker) -> bool:
    return worker_is_visible(actor, worker) and bool(actor.roles & REFER_ROLES)


def referral_require_can_create(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()
    if not referral_can_create(actor, worker):
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


# -- integration activities ------------------------------------------------------------------
# Activities are seen by staff covering the activity's region (and by the organiser's own users).
# Unions and stations organise them: station staff (for their own station only), programme
# officers and admins. Everyone who may refer (all staff but analysts) may register a worker they
# can see, cancel a registration, mark attendance and record an attendee's feedback; those
# write-backs also require the activity to be visible.
ACTIVITY_MANAGE_ROLES = frozenset(
    {Role.STATION_STAFF, Role.PROGRAMME_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN}
)
ACTIVITY_REGISTER_ROLES = REFER_ROLES


def activities_visible_to(actor: Actor) -> QuerySet[Activity]:
    if not actor.roles & VIEW_ROLES:
        return Activity.objects.none()
    if actor.is_station_bound:
        return Activity.objects.filter(
            Q(station_id=actor.station_id or 0) | (actor.region_q("region") & Q(station=None))
        )
    q = actor.region_q("region")
    if actor.organisation_id:
        q |= Q(organiser_id=actor.organisation_id)
    return Activity.objects.filter(q)


def registrations_visible_to(actor: Actor) -> QuerySet[ActivityRegistration]:
    return ActivityRegistration.objects.filter(
        activity__in=activities_visible_to(actor).values("pk")
    )


def activity_require_visible(actor: Actor, activity: Activity) -> None:
    if not activities_visible_to(actor).filter(pk=activity.pk).exists():
        raise NotFound()


def activity_can_create(actor: Actor) -> bool:
    return bool(actor.roles & ACTIVITY_MANAGE_ROLES)


def activity_can_manage(actor: Actor, activity: Activity) -> bool:
    if Role.SYSTEM_ADMIN in actor.roles:
        return True
    if not actor.roles & ACTIVITY_MANAGE_ROLES:
        return False
    if actor.is_station_bound:
        return activity.station_id is not None and activity.station_id == actor.station_id
    return actor.covers_region(activity.region_id) or bool(
        actor.organisation_id and activity.organiser_id == actor.organisation_id
    )


def activity_require_can_manage(actor: Actor, activity: Activity) -> None:
    if not activity_can_manage(actor, activity):
        raise PermissionDenied()


def activity_can_register(actor: Actor) -> bool:
    return bool(actor.roles & ACTIVITY_REGISTER_ROLES)


def activity_require_can_register(actor: Actor, worker: Worker) -> None:
    if not worker_is_visible(actor, worker):
        raise NotFound()
    if not activity_can_register(actor):
        raise PermissionDenied()


# -- what an activity's dates allow (asked by activity_transition, offered by pages and the API) --


def activity_can_open(activity: Activity, *, now: dt.datetime | None = None) -> bool:
    """Whether registration may be opened (or reopened): not once the last day of registration
    or the start has passed (the dates must change first)."""
    moment = now or timezone.now()
    return (
        timezone.localdate(moment) <= activity.registration_closes_on
        and moment < activity.starts_at
    )


def activity_has_started(activity: Activity, *, now: dt.datetime | None = None) -> bool:
    """From the start time on, the activity may be recorded as held."""
    return (now or timezone.now()) >= activity.starts_at


def activity_transitions_now(activity: Activity, *, now: dt.datetime | None = None) -> list[str]:
    """The statuses the activity may move to now: those of its status (ACTIVITY_TRANSITIONS)
    that its dates allow (`activity_transition` refuses the others)."""
    moment = now or timezone.now()
    timely: dict[str, bool] = {
        ActivityStatus.OPEN: activity_can_open(activity, now=moment),
        ActivityStatus.HELD: activity_has_started(activity, now=moment),
    }
    return sorted(s for s in ACTIVITY_TRANSITIONS[activity.status] if timely.get(s, True))
