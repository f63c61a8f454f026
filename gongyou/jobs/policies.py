"""Access to jobs: the one gate per entity. Out of scope is 404, never 403.

- Staff: published vacancies are public labour-market information, visible to every staff user
  nationwide (cross-province placement needs it); drafts only inside the posting region.
  Employment officers and administrators post and manage vacancies in their region, refer
  workers they can see, record placements and answer follow-ups; station staff register
  job seekers, refer and register workers for fairs; analysts read.
- Employer users (an organisation of kind `employer` linked to an employer by EmployerAccount)
  act only for that employer: its vacancies (any status), the referrals to them (names and
  masked phones of the workers referred, never the candidate ranking), and its job fairs.
  Their account roles are ignored in jobs.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound, PermissionDenied
from gongyou.workers.policies import worker_is_visible

from .enums import EMPLOYER_USER, FRONT, OFFICERS, VacancyStatus
from .models import (
    EmployerAccount,
    FollowUp,
    JobFair,
    Placement,
    Referral,
    SeekerProfile,
    Vacancy,
)

VIEW_ROLES = frozenset(Role.values) - {Role.CASE_HANDLER}
OFFICER_ROLES = OFFICERS
FRONT_ROLES = FRONT
LINK_ROLES = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})


def employer_id_for(actor: Actor) -> int | None:
    """The employer an employer user speaks for, or None for staff (cached per actor)."""
    if actor.organisation_id is None:
        return None
    cached = getattr(actor.user, "_jobs_employer_id", False)
    if cached is not False:
        return cached
    org = getattr(actor.user, "organisation", None)
    employer_id = None
    if getattr(org, "kind", None) == OrganisationKind.EMPLOYER:
        employer_id = _linked_employer(actor.organisation_id)
    if actor.user is not None:
        actor.user._jobs_employer_id = employer_id
    return employer_id


def _linked_employer(organisation_id: int) -> int | None:
    return (
        EmployerAccount.objects.filter(organisation_id=organisation_id)
        .values_list("employer_id", flat=True)
        .first()
    )


def is_employer_org(actor: Actor) -> bool:
    org = getattr(actor.user, "organisation", None)
    return getattr(org, "kind", None) == OrganisationKind.EMPLOYER


def jobs_roles(actor: Actor) -> frozenset[str]:
    """The roles jobs acts on: the account's roles for staff, only EMPLOYER_USER for employers."""
    if is_employer_org(actor):
        return frozenset({EMPLOYER_USER}) if employer_id_for(actor) else frozenset()
    return actor.roles


def can_view(actor: Actor) -> bool:
    return bool(jobs_roles(actor) & (VIEW_ROLES | {EMPLOYER_USER}))


def is_officer(actor: Actor) -> bool:
    return bool(jobs_roles(actor) & OFFICER_ROLES)


def is_front(actor: Actor) -> bool:
    return bool(jobs_roles(actor) & FRONT_ROLES)


# --- Vacancies ------------------------------------------------------------------------------


def vacancies_visible_to(actor: Actor) -> QuerySet[Vacancy]:
    roles = jobs_roles(actor)
    if EMPLOYER_USER in roles:
        return Vacancy.objects.filter(employer_id=employer_id_for(actor) or 0)
    if not roles & VIEW_ROLES:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(~Q(status=VacancyStatus.DRAFT) | actor.region_q("region_id"))


def vacancy_is_visible(actor: Actor, vacancy: Vacancy) -> bool:
    roles = jobs_roles(actor)
    if EMPLOYER_USER in roles:
        return vacancy.employer_id == employer_id_for(actor)
    if not roles & VIEW_ROLES:
        return False
    return vacancy.status != VacancyStatus.DRAFT or actor.covers_region(vacancy.region_id)


def vacancy_require_can_post(actor: Actor) -> None:
    if not jobs_roles(actor) & (OFFICER_ROLES | {EMPLOYER_USER}):
        raise PermissionDenied()


def vacancy_require_can_edit(actor: Actor, vacancy: Vacancy) -> None:
    if not vacancy_is_visible(actor, vacancy):
        raise NotFound()
    roles = jobs_roles(actor)
    if EMPLOYER_USER in roles:
        return
    if not roles & OFFICER_ROLES or not actor.covers_region(vacancy.region_id):
        raise PermissionDenied()


def vacancy_can_see_candidates(actor: Actor) -> bool:
    """The ranked candidates carry workers' details: staff who may view workers, not employers."""
    return bool(jobs_roles(actor) & VIEW_ROLES) and actor.can(Capability.VIEW_WORKERS)


# --- Seekers ----------------------------------------------------------------------------------


def seeker_require_can_edit(actor: Actor, worker: object) -> None:
    if not worker_is_visible(actor, worker) or not can_view(actor):  # type: ignore[arg-type]
        raise NotFound()
    if not jobs_roles(actor) & FRONT_ROLES:
        raise PermissionDenied()


def seekers_visible_to(actor: Actor) -> QuerySet[SeekerProfile]:
    if not jobs_roles(actor) & VIEW_ROLES or not actor.can(Capability.VIEW_WORKERS):
        return SeekerProfile.objects.none()
    return SeekerProfile.objects.filter(
        actor.region_q("worker__current_region_id", "worker__hukou_region_id"),
        worker__merged_into__isnull=True,
    )


# --- Referrals, placements, follow-ups --------------------------------------------------------


def referrals_visible_to(actor: Actor) -> QuerySet[Referral]:
    roles = jobs_roles(actor)
    if EMPLOYER_USER in roles:
        return Referral.objects.filter(vacancy__employer_id=employer_id_for(actor) or 0)
    if not roles & VIEW_ROLES:
        return Referral.objects.none()
    return Referral.objects.filter(
        actor.region_q("vacancy__region_id", "worker__current_region_id", "worker__hukou_region_id")
        | Q(organisation_id=actor.organisation_id or 0)
    )


def referral_is_visible(actor: Actor, referral: Referral) -> bool:
    roles = jobs_roles(actor)
    if EMPLOYER_USER in roles:
        return referral.vacancy.employer_id == employer_id_for(actor)
    if not roles & VIEW_ROLES:
        return False
    worker = referral.worker
    return (
        referral.organisation_id == actor.organisation_id
        or actor.covers_region(referral.vacancy.region_id)
        or actor.covers_region(worker.current_region_id)
        or actor.covers_region(worker.hukou_region_id)
    )


def referral_require_can_create(actor: Actor) -> None:
    if not jobs_roles(actor) & FRONT_ROLES:
        raise PermissionDenied()


def placements_visible_to(actor: Actor) -> QuerySet[Placement]:
    if not jobs_roles(actor) & VIEW_ROLES:
        return Placement.objects.none()
    return Placement.objects.filter(
        actor.region_q("region_id", "worker__current_region_id", "worker__hukou_region_id")
        | Q(organisation_id=actor.organisation_id or 0)
    )


def placement_require_can_record(actor: Actor) -> None:
    if not jobs_roles(actor) & OFFICER_ROLES:
        raise PermissionDenied()


def followups_visible_to(actor: Actor) -> QuerySet[FollowUp]:
    if not jobs_roles(actor) & VIEW_ROLES:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(placement__in=placements_visible_to(actor).values("pk"))


def followup_require_can_answer(actor: Actor, followup: FollowUp) -> None:
    if not followups_visible_to(actor).filter(pk=followup.pk).exists():
        raise NotFound()
    if not jobs_roles(actor) & OFFICER_ROLES:
        raise PermissionDenied()


# --- Job fairs and employer accounts ------------------------------------------------------------


def fairs_visible_to(actor: Actor) -> QuerySet[JobFair]:
    """Fairs are public events: every staff user sees them; employer users those they attend."""
    roles = jobs_roles(actor)
    if EMPLOYER_USER in roles:
        return JobFair.objects.filter(employers__employer_id=employer_id_for(actor) or 0).distinct()
    if not roles & VIEW_ROLES:
        return JobFair.objects.none()
    return JobFair.objects.all()


def fair_require_can_manage(actor: Actor, fair: JobFair | None = None) -> None:
    if not jobs_roles(actor) & OFFICER_ROLES:
        raise PermissionDenied()
    if fair is not None and not actor.covers_region(fair.region_id):
        raise PermissionDenied()


def fair_require_can_register(actor: Actor) -> None:
    if not jobs_roles(actor) & FRONT_ROLES:
        raise PermissionDenied()


def employer_account_require_can_link(actor: Actor) -> None:
    if is_employer_org(actor) or not actor.roles & LINK_ROLES:
        raise PermissionDenied()
