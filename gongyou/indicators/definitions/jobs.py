"""Employment indicators: placements and retention. Read through gongyou.jobs' policies."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.policies import Actor
from gongyou.jobs.enums import FollowUpStatus
from gongyou.jobs.policies import (
    VIEW_ROLES,
    followups_visible_to,
    jobs_roles,
    placements_visible_to,
)

from ..aggregate import by_measures
from ..registry import Column, Context, Indicator, Table, register, register_group

register_group("jobs", _("Employment"))
SCOPE = _("The selected region and its subdivisions; only records your organisation may see.")


def can_view_jobs(actor: Actor) -> bool:
    return bool(jobs_roles(actor) & VIEW_ROLES)


def _placements(ctx: Context) -> Table:
    placements = placements_visible_to(ctx.actor).filter(
        start_date__gte=ctx.start, start_date__lte=ctx.end
    )
    return by_measures(
        placements,
        ctx,
        region_field="region_id",
        columns=[
            Column("placements", str(_("Placements"))),
            Column("wage", str(_("Average monthly wage (yuan)")), suppressible=False),
        ],
        measures={"placements": Count("id"), "wage": Avg("monthly_wage")},
        derive=lambda v: v.update(wage=round(v["wage"] or 0)),
    )


def _retention(ctx: Context) -> Table:
    followups = followups_visible_to(ctx.actor).filter(
        due_on__gte=ctx.start, due_on__lte=ctx.end, status=FollowUpStatus.ANSWERED
    )

    def rate(values: dict) -> None:
        answered = values.get("answered") or 0
        values["rate"] = round(100 * values.get("retained", 0) / answered, 1) if answered else None

    return by_measures(
        followups,
        ctx,
        region_field="placement__region_id",
        columns=[
            Column("answered", str(_("Follow-ups answered"))),
            Column("retained", str(_("Still in the job"))),
            Column("rate", str(_("Retention, %")), suppressible=False, percent=True),
        ],
        measures={
            "answered": Count("id"),
            "retained": Count("id", filter=Q(still_employed=True)),
        },
        derive=rate,
        additive=True,
    )


register(
    Indicator(
        key="placements",
        title=_("Placements"),
        group="jobs",
        counts=_(
            "Workers placed in a job that started within the period, and their average "
            "monthly wage."
        ),
        source=_("Placements, in the region of the workplace."),
        filters=format_lazy("{}{}", _("Start date within the period. "), SCOPE),
        unit=_("placements"),
        period="flow",
        compute=_placements,
        available=can_view_jobs,
        chart="none",
    )
)
register(
    Indicator(
        key="retention",
        title=_("Retention after placement"),
        group="jobs",
        counts=_(
            "Answered follow-ups of placements due within the period, and how many found "
            "the worker still in the job."
        ),
        source=_("Placement follow-ups, in the region of the workplace."),
        filters=format_lazy("{}{}", _("Follow-ups due within the period and answered. "), SCOPE),
        # xgettext:no-python-format
        unit=_("% still in the job"),
        period="flow",
        compute=_retention,
        available=can_view_jobs,
        chart="none",
    )
)
