"""Reads of rounds and nominations, always starting from the policy's scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.errors import NotFound
from gongyou.regions.selectors import region_range_q

from .enums import COUNTS_AGAINST_QUOTA, NominationStatus
from .models import AwardRound, Nomination, NominationEvidence, Objection
from .policies import nominations_visible_to, rounds_visible_to


@dataclass
class RoundFilter:
    year: int | None = None
    award_type: str | None = None
    open: bool | None = None  # not concluded


def round_list(*, actor: Actor, filters: RoundFilter | None = None) -> QuerySet[AwardRound]:
    f = filters or RoundFilter()
    qs = rounds_visible_to(actor)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.award_type:
        qs = qs.filter(award_type=f.award_type)
    if f.open is not None:
        qs = qs.filter(concluded_at__isnull=f.open)
    return qs.select_related("organiser", "region").order_by("-year", "-id")


def round_get(*, actor: Actor, round_id: int) -> AwardRound:
    award_round = (
        rounds_visible_to(actor).select_related("organiser", "region").filter(pk=round_id).first()
    )
    if award_round is None:
        raise NotFound()
    return award_round


@dataclass
class QuotaUsage:
    organisation_id: int
    organisation: str
    quota: int
    used: int
    awarded: int

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)


def round_quota_usage(*, award_round: AwardRound) -> list[QuotaUsage]:
    """Each organisation's quota and how much of it is taken (one grouped query)."""
    counts = {
        row["organisation_id"]: row
        for row in Nomination.objects.filter(round=award_round)
        .values("organisation_id")
        .annotate(
            used=Count("id", filter=Q(status__in=COUNTS_AGAINST_QUOTA)),
            awarded=Count("id", filter=Q(status=NominationStatus.AWARDED)),
        )
    }
    return [
        QuotaUsage(
            organisation_id=q.organisation_id,
            organisation=q.organisation.name,
            quota=q.quota,
            used=counts.get(q.organisation_id, {}).get("used", 0),
            awarded=counts.get(q.organisation_id, {}).get("awarded", 0),
        )
        for q in award_round.quotas.select_related("organisation").order_by("organisation__name")
    ]


def round_outcome(*, award_round: AwardRound, actor: Actor) -> dict[str, Any]:
    """Awarded nominees visible to the actor and how many are registry (migrant) workers."""
    row = (
        nominations_visible_to(actor)
        .filter(round=award_round, status=NominationStatus.AWARDED)
        .aggregate(awarded=Count("id"), migrant=Count("id", filter=Q(worker__isnull=False)))
    )
    awarded, migrant = row["awarded"] or 0, row["migrant"] or 0
    return {
        "awarded": awarded,
        "migrant": migrant,
        "share": (migrant / awarded) if awarded else None,
    }


@dataclass
class NominationFilter:
    round_id: int | None = None
    status: str | None = None
    organisation_id: int | None = None
    migrant: bool | None = None
    region: str | None = None
    name: str | None = None


def nomination_list(
    *, actor: Actor, filters: NominationFilter | None = None
) -> QuerySet[Nomination]:
    f = filters or NominationFilter()
    qs = nominations_visible_to(actor)
    if f.round_id:
        qs = qs.filter(round_id=f.round_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.organisation_id:
        qs = qs.filter(organisation_id=f.organisation_id)
    if f.migrant is not None:
        qs = qs.filter(worker__isnull=not f.migrant)
    if f.region:
        qs = qs.filter(region_range_q("region_id", region_prefix(f.region)))
    if f.name:
        qs = qs.filter(nominee_name__contains=f.name.strip())
    return qs.select_related("round", "organisation", "region", "worker").order_by(
        "-created_at", "-id"
    )


def nomination_get(*, actor: Actor, nomination_id: int) -> Nomination:
    nomination = (
        nominations_visible_to(actor)
        .select_related("round", "round__organiser", "organisation", "region", "worker")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        raise NotFound()
    return nomination


def nomination_notice_list(*, actor: Actor, award_round: AwardRound) -> QuerySet[Nomination]:
    """The public notice list (公示名单): nominations of the round in notice."""
    return nomination_list(
        actor=actor,
        filters=NominationFilter(round_id=award_round.pk, status=NominationStatus.IN_NOTICE),
    ).order_by("region_id", "nominee_name")


def nomination_evidence(*, nomination: Nomination) -> QuerySet[NominationEvidence]:
    return nomination.evidence.select_related("uploaded_by").order_by("uploaded_at", "id")


def nomination_objections(*, nomination: Nomination) -> QuerySet[Objection]:
    return nomination.objections.select_related("handled_by").order_by("received_on", "id")


def nomination_events(*, nomination: Nomination) -> QuerySet[Any]:
    return nomination.events.order_by("at", "id")


@dataclass
class RoundShare:
    round_id: int
    title: str
    year: int
    award_type: str
    awarded: int
    migrant: int

    @property
    def share(self) -> float | None:
        return self.migrant / self.awarded if self.awarded else None


def award_winner_shares(
    *, actor: Actor, region_prefix_: str = "", year: int | None = None
) -> list[RoundShare]:
    """Per round: awarded nominees (in the actor's scope and the given region subtree) and how
    many of them are registry workers, i.e. migrant workers (one grouped query)."""
    qs = nominations_visible_to(actor).filter(status=NominationStatus.AWARDED)
    if region_prefix_:
        qs = qs.filter(region_range_q("region_id", region_prefix_))
    if year:
        qs = qs.filter(round__year=year)
    rows = (
        qs.values("round_id", "round__title", "round__year", "round__award_type")
        .annotate(awarded=Count("id"), migrant=Count("id", filter=Q(worker__isnull=False)))
        .order_by("-round__year", "round_id")
    )
    return [
        RoundShare(
            round_id=r["round_id"],
            title=r["round__title"],
            year=r["round__year"],
            award_type=r["round__award_type"],
            awarded=r["awarded"],
            migrant=r["migrant"],
        )
        for r in rows
    ]
