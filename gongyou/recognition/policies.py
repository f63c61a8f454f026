"""Access to award rounds and nominations: the one gate. Out of scope is 404, never 403.

- A round is visible to staff whose area it covers or who sit under it: a national round to
  everyone, a Guangdong round to Guangdong, Shenzhen and national staff, never to Beijing.
- A nomination is visible when its region lies in the actor's subtree, or the actor's
  organisation made it or organises its round.
- Programme officers and administrators nominate; the organiser's programme officers and
  administrators review, run the public notice and decide. Analysts read.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor
from gongyou.core.errors import NotFound, PermissionDenied
from gongyou.regions.selectors import region_range_q

from .enums import Party
from .models import AwardRound, Nomination

VIEW_ROLES = frozenset({Role.PROGRAMME_OFFICER, Role.ANALYST, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
NOMINATE_ROLES = frozenset({Role.PROGRAMME_OFFICER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
ORGANISE_ROLES = NOMINATE_ROLES


def _ancestor_codes(prefix: str) -> list[str]:
    """Region codes of the province and city above a prefix (rounds organised there cover it)."""
    codes = []
    if len(prefix) >= 2:
        codes.append(prefix[:2] + "0000")
    if len(prefix) >= 4:
        codes.append(prefix[:4] + "00")
    if len(prefix) == 6:
        codes.append(prefix)
    return codes


def rounds_visible_to(actor: Actor) -> QuerySet[AwardRound]:
    if not actor.roles & VIEW_ROLES or actor.region_prefix == "-":
        return AwardRound.objects.none()
    if not actor.region_prefix:
        return AwardRound.objects.all()
    prefix = actor.region_prefix
    return AwardRound.objects.filter(
        Q(region__isnull=True)
        | Q(region_id__in=_ancestor_codes(prefix))
        | region_range_q("region_id", prefix)
        | Q(organiser_id=actor.organisation_id)
    )


def round_is_visible(actor: Actor, award_round: AwardRound) -> bool:
    if not actor.roles & VIEW_ROLES or actor.region_prefix == "-":
        return False
    code = award_round.region_id
    return (
        not actor.region_prefix
        or code is None
        or code in _ancestor_codes(actor.region_prefix)
        or actor.covers_region(code)
        or award_round.organiser_id == actor.organisation_id
    )


def round_require_visible(actor: Actor, award_round: AwardRound) -> None:
    if not round_is_visible(actor, award_round):
        raise NotFound()


def round_require_can_organise(actor: Actor, award_round: AwardRound | None = None) -> None:
    """Open a round (for one's own organisation), or change one's organisation's round."""
    if award_round is not None:
        round_require_visible(actor, award_round)
    if not actor.roles & ORGANISE_ROLES or actor.organisation_id is None:
        raise PermissionDenied()
    if (
        award_round is not None
        and award_round.organiser_id != actor.organisation_id
        and Role.SYSTEM_ADMIN not in actor.roles
    ):
        raise PermissionDenied(_organiser_only())


def _organiser_only() -> str:
    from django.utils.translation import gettext as _

    return _("Only the round's organiser can do this.")


def nominations_visible_to(actor: Actor) -> QuerySet[Nomination]:
    if not actor.roles & VIEW_ROLES or actor.region_prefix == "-":
        return Nomination.objects.none()
    own = Q(organisation_id=actor.organisation_id) | Q(round__organiser_id=actor.organisation_id)
    return Nomination.objects.filter(actor.region_q("region_id") | own)


def nomination_is_visible(actor: Actor, nomination: Nomination) -> bool:
    if not actor.roles & VIEW_ROLES or actor.region_prefix == "-":
        return False
    if actor.organisation_id is not None and actor.organisation_id in (
        nomination.organisation_id,
        nomination.round.organiser_id,
    ):
        return True
    return actor.covers_region(nomination.region_id)


def nomination_require_visible(actor: Actor, nomination: Nomination) -> None:
    if not nomination_is_visible(actor, nomination):
        raise NotFound()


def nomination_parties(actor: Actor, nomination: Nomination) -> frozenset[str]:
    """Which sides of the nomination the actor acts for (nominator, organiser, or both)."""
    if not actor.roles & NOMINATE_ROLES:
        return frozenset()
    parties = set()
    admin = Role.SYSTEM_ADMIN in actor.roles
    if admin or nomination.organisation_id == actor.organisation_id:
        parties.add(Party.NOMINATOR)
    if admin or nomination.round.organiser_id == actor.organisation_id:
        parties.add(Party.ORGANISER)
    return frozenset(parties)


def nomination_require_party(actor: Actor, nomination: Nomination, party: str) -> None:
    nomination_require_visible(actor, nomination)
    if party not in nomination_parties(actor, nomination):
        raise PermissionDenied()


def nomination_require_can_nominate(actor: Actor) -> None:
    if not actor.roles & NOMINATE_ROLES or actor.organisation_id is None:
        raise PermissionDenied()
