"""Recognition indicators: migrant workers' share of award winners, per round."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongyou.accounts.policies import Actor
from gongyou.recognition.enums import AwardType
from gongyou.recognition.policies import VIEW_ROLES
from gongyou.recognition.selectors import award_winner_shares

from ..registry import Column, Context, Indicator, Row, Table, register, register_group

register_group("recognition", _("Recognition"))


def can_view_recognition(actor: Actor) -> bool:
    return bool(actor.roles & VIEW_ROLES)


def _shares(ctx: Context) -> Table:
    rounds = [
        r
        for r in award_winner_shares(actor=ctx.actor, region_prefix_=ctx.prefix)
        if ctx.start.year <= r.year <= ctx.end.year
    ]
    columns = [
        Column("awarded", str(_("Awarded"))),
        Column("migrant", str(_("Migrant workers"))),
        Column("share", str(_("Migrant workers, %")), suppressible=False, percent=True),
    ]
    rows = [
        Row(
            key=str(r.round_id),
            label=f"{r.title} ({AwardType(r.award_type).label})",
            values={
                "awarded": r.awarded,
                "migrant": r.migrant,
                "share": round(100 * r.share, 1) if r.share is not None else None,
            },
        )
        for r in rounds
    ]
    awarded = sum(r.awarded for r in rounds)
    migrant = sum(r.migrant for r in rounds)
    total = Row(
        key="total",
        label=str(_("All rounds")),
        values={
            "awarded": awarded,
            "migrant": migrant,
            "share": round(100 * migrant / awarded, 1) if awarded else None,
        },
    )
    return Table(columns=columns, rows=rows, total=total)


register(
    Indicator(
        key="award_migrant_share",
        title=_("Migrant workers' share of award winners"),
        group="recognition",
        counts=_(
            "Per award round: nominees awarded, and how many of them are migrant workers. "
            "A nominee is a migrant worker when the nomination is linked to a worker in the "
            "registry; it is never entered by hand."
        ),
        source=_("Nominations with the outcome 'Awarded', in the region where the nominee works."),
        filters=_(
            "Rounds of the years the period covers; the selected region and its "
            "subdivisions; only nominations your organisation may see."
        ),
        # xgettext:no-python-format
        unit=_("% of winners"),
        period="flow",
        compute=_shares,
        available=can_view_recognition,
        caveat=_(
            # xgettext:no-python-format
            "National May Day Labour Medals 2024: 172 migrant workers, 18.2% of the regular "
            "recipients."
        ),
        chart="none",
    )
)
