"""Access to training records: the one gate. Out of scope is 404, never 403.

- Every staff role sees campaigns of their area (and the national or provincial campaigns
  above it), courses in their region subtree, institutions and programmes: front-desk and
  employment staff refer workers to them.
- Programme officers and administrators manage campaigns, courses, enrolments, claims and
  study enrolments in their region subtree.
- Staff of a training provider (an organisation of kind training_provider, role programme
  officer) see and manage only their own organisation's courses, enrolments and claims; they
  submit claims but never decide them.
- Eligibility rules are national data: a national programme officer or a system admin edits them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import OrganisationKind, Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound, PermissionDenied

from .enums import MANAGE
from .models import Campaign, Course, Enrolment, StudyEnrolment, SubsidyClaim

VIEW_ROLES = frozenset(Role.values)
MANAGE_ROLES = MANAGE
RULE_ROLES = frozenset({Role.PROGRAMME_OFFICER, Role.SYSTEM_ADMIN})


def is_provider(actor: Actor) -> bool:
    org = getattr(actor.user, "organisation", None)
    return getattr(org, "kind", None) == OrganisationKind.TRAINING_PROVIDER


def can_manage(actor: Actor) -> bool:
    """May create and manage training records (providers: their own only)."""
    return bool(actor.roles & MANAGE_ROLES)


def can_officiate(actor: Actor) -> bool:
    """A programme officer or administrator of a union or department (not a provider)."""
    return can_manage(actor) and not is_provider(actor)


def _ancestors(prefix: str) -> list[str]:
    """The region codes above a subtree prefix (a national campaign has no region)."""
    codes = []
    if len(prefix) >= 2:
        codes.append(prefix[:2] + "0000")
    if len(prefix) >= 4:
        codes.append(prefix[:4] + "00")
    return codes


def campaigns_visible_to(actor: Actor) -> QuerySet[Campaign]:
    if not actor.roles & VIEW_ROLES:
        return Campaign.objects.none()
    if not actor.region_prefix:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        Q(region__isnull=True)
        | Q(region_id__in=_ancestors(actor.region_prefix))
        | actor.region_q("region_id")
    )


def campaign_require_can_edit(actor: Actor, campaign: Campaign | None) -> None:
    """Campaigns belong to officers whose area covers the campaign's area."""
    if campaign is not None and not campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotFound()
    if not can_officiate(actor):
        raise PermissionDenied()
    if campaign is not None and not actor.covers_region(campaign.region_id):
        raise PermissionDenied()


def courses_visible_to(actor: Actor) -> QuerySet[Course]:
    if not actor.roles & VIEW_ROLES:
        return Course.objects.none()
    if is_provider(actor):
        return Course.objects.filter(provider_id=actor.organisation_id or 0)
    return Course.objects.filter(actor.region_q("region_id"))


def course_is_visible(actor: Actor, course: Course) -> bool:
    if not actor.roles & VIEW_ROLES:
        return False
    if is_provider(actor):
        return course.provider_id == actor.organisation_id
    return actor.covers_region(course.region_id)


def course_require_can_manage(actor: Actor, course: Course) -> None:
    """Edit the course, enrol, record attendance and assessments, claim the subsidy."""
    if not course_is_visible(actor, course):
        raise NotFound()
    if not can_manage(actor):
        raise PermissionDenied()


def course_require_can_create(actor: Actor) -> None:
    if not can_manage(actor):
        raise PermissionDenied()


def enrolments_visible_to(actor: Actor) -> QuerySet[Enrolment]:
    if not actor.roles & VIEW_ROLES:
        return Enrolment.objects.none()
    if is_provider(actor):
        return Enrolment.objects.filter(course__provider_id=actor.organisation_id or 0)
    return Enrolment.objects.filter(actor.region_q("course__region_id"))


def enrolment_require_visible(actor: Actor, enrolment: Enrolment) -> None:
    if not course_is_visible(actor, enrolment.course):
        raise NotFound()


def claims_visible_to(actor: Actor) -> QuerySet[SubsidyClaim]:
    if not actor.roles & (MANAGE_ROLES | {Role.ANALYST}):
        return SubsidyClaim.objects.none()
    if is_provider(actor):
        return SubsidyClaim.objects.filter(provider_id=actor.organisation_id or 0)
    return SubsidyClaim.objects.filter(actor.region_q("course__region_id"))


def claim_require_visible(actor: Actor, claim: SubsidyClaim) -> None:
    if not claims_visible_to(actor).filter(pk=claim.pk).exists():
        raise NotFound()


def claim_require_can_decide(actor: Actor, claim: SubsidyClaim) -> None:
    """Approve, reject and pay: officers, never the provider that claims."""
    claim_require_visible(actor, claim)
    if not can_officiate(actor):
        raise PermissionDenied()


def study_visible_to(actor: Actor) -> QuerySet[StudyEnrolment]:
    if not actor.roles & VIEW_ROLES or is_provider(actor):
        return StudyEnrolment.objects.none()
    return StudyEnrolment.objects.filter(actor.region_q("region_id"))


def study_require_can_manage(actor: Actor, study: StudyEnrolment | None = None) -> None:
    if study is not None and not actor.covers_region(study.region_id):
        raise NotFound()
    if not can_officiate(actor):
        raise PermissionDenied()


def education_require_can_manage(actor: Actor) -> None:
    """Institutions and programmes."""
    if not can_officiate(actor):
        raise PermissionDenied()


def rules_require_can_edit(actor: Actor) -> None:
    if not (actor.roles & RULE_ROLES and actor.region_prefix == "" and not is_provider(actor)):
        raise PermissionDenied()
