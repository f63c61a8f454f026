"""Settlement indicator: eligibility of registered workers for urban hukou, from the latest
batch run of gongyou.settlement's eligibility engine."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.policies import Actor
from gongyou.settlement.enums import Outcome
from gongyou.settlement.models import EligibilityResult
from gongyou.settlement.policies import RESULT_ROLES
from gongyou.workers.policies import workers_visible_to

from ..aggregate import by_category
from ..registry import Context, Indicator, Table, register, register_group

register_group("settlement", _("Urban settlement"))


def can_view_settlement(actor: Actor) -> bool:
    return bool(actor.roles & RESULT_ROLES)


def _eligibility(ctx: Context) -> Table:
    results = EligibilityResult.objects.exclude(batch="")
    latest = (
        results.filter(as_of__lte=ctx.end)
        .order_by("-computed_at", "-id")
        .values_list("batch", flat=True)
        .first()
    )
    qs = results.filter(batch=latest or "-", worker__in=workers_visible_to(ctx.actor).values("pk"))
    return by_category(
        qs,
        ctx,
        region_field="city_id",
        category="outcome",
        choices=Outcome.choices,
        measure=Count("id"),
        total_label=_("Total"),
    )


register(
    Indicator(
        key="settlement_eligibility",
        title=_("Settlement eligibility"),
        group="settlement",
        counts=_(
            "Registered workers by the outcome of the eligibility check for settling in a "
            "city (eligible, eligible subject to checks, not yet, not eligible, cannot "
            "tell, no policy recorded), one answer per worker and city checked."
        ),
        source=_(
            "The latest batch run of the settlement eligibility engine on or before the "
            "last day of the period, in the city checked."
        ),
        filters=_(
            "The selected region and its subdivisions; only workers your organisation may see."
        ),
        unit=_("workers"),
        period="stock",
        compute=_eligibility,
        available=can_view_settlement,
        caveat=_(
            "The answers follow the settlement policies as recorded; see the settlement "
            "pages for each city's rules and their trust tags."
        ),
    )
)
