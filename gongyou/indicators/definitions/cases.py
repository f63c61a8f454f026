"""Rights-protection indicators: cases open, closed and overdue, days to resolution, amounts."""

from __future__ import annotations

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.policies import Actor
from gongyou.cases.enums import FINISHED, CaseStatus, DeadlineStatus
from gongyou.cases.models import CaseEvent, Claimant, Deadline
from gongyou.cases.policies import VIEW_ROLES, cases_visible_to

from ..aggregate import by_measures
from ..registry import Column, Context, Indicator, Table, register, register_group
from .common import as_of, period_bounds

register_group("cases", _("Rights protection"))
SCOPE = _("The selected region and its subdivisions; only cases your organisation may see.")


def can_view_cases(actor: Actor) -> bool:
    return bool(actor.roles & VIEW_ROLES)


def _status(ctx: Context) -> Table:
    """One pass over the cases; "overdue" probes each open case's deadlines (an EXISTS on the
    deadline index) instead of joining them, so no count needs DISTINCT."""
    qs = cases_visible_to(ctx.actor).filter(received_at__lt=as_of(ctx))
    open_ = ~Q(status__in=FINISHED)
    late = Deadline.objects.filter(
        case=OuterRef("pk"), status=DeadlineStatus.OPEN, due_date__lt=ctx.today
    )
    overdue = open_ & Exists(late)
    return by_measures(
        qs,
        ctx,
        region_field="region_id",
        columns=[
            Column("open", str(_("Open"))),
            Column("overdue", str(_("of which overdue"))),
            Column("finished", str(_("Resolved, closed or rejected"))),
            Column("total", str(_("Total"))),
        ],
        measures={
            "open": Count("id", filter=open_),
            "overdue": Count("id", filter=overdue),
            "finished": Count("id", filter=Q(status__in=FINISHED)),
            "total": Count("id"),
        },
        additive=True,
    )


def _resolution(ctx: Context) -> Table:
    start, end = period_bounds(ctx)
    events = CaseEvent.objects.filter(
        case__in=cases_visible_to(ctx.actor),
        to_status=CaseStatus.RESOLVED,
        at__gte=start,
        at__lt=end,
    )
    took = ExpressionWrapper(F("at") - F("case__received_at"), output_field=DurationField())
    return by_measures(
        events,
        ctx,
        region_field="case__region_id",
        columns=[
            Column("resolved", str(_("Resolutions"))),
            Column("days", str(_("Average days to resolution")), suppressible=False),
        ],
        measures={"resolved": Count("id"), "days": Avg(took)},
    )


def _amounts(ctx: Context) -> Table:
    start, end = period_bounds(ctx)
    claimants = Claimant.objects.filter(
        case__in=cases_visible_to(ctx.actor),
        case__received_at__gte=start,
        case__received_at__lt=end,
    )

    def share(values: dict) -> None:
        claimed = values.get("claimed") or 0
        values["rate"] = round(100 * values.get("recovered", 0) / claimed, 1) if claimed else None

    return by_measures(
        claimants,
        ctx,
        region_field="case__region_id",
        columns=[
            Column("claimants", str(_("Claimants"))),
            Column("claimed", str(_("Claimed (yuan)")), suppressible=False),
            Column("recovered", str(_("Recovered (yuan)")), suppressible=False),
            # xgettext:no-python-format
            Column("rate", str(_("Recovered, % of claimed")), suppressible=False, percent=True),
        ],
        measures={
            "claimants": Count("id"),
            "claimed": Sum("amount_claimed"),
            "recovered": Sum("amount_recovered"),
        },
        derive=share,
    )


register(
    Indicator(
        key="cases_status",
        title=_("Cases open, closed and overdue"),
        group="cases",
        counts=_(
            "Cases received on or before the last day of the period, by their status now: "
            "open, of which overdue (an open statutory deadline passed before today), and "
            "finished (resolved, closed or rejected)."
        ),
        source=_("Rights-protection cases, in the region where the case is handled."),
        filters=format_lazy("{}{}", _("Received on or before the last day of the period. "), SCOPE),
        unit=_("cases"),
        period="stock",
        compute=_status,
        available=can_view_cases,
        caveat=_("The status is today's status, not the status on the last day of the period."),
    )
)
register(
    Indicator(
        key="cases_days_to_resolution",
        title=_("Days to resolution"),
        group="cases",
        counts=_(
            "Cases resolved within the period, and the average number of days from receipt "
            "to resolution. A case resolved, reopened and resolved again counts each time."
        ),
        source=_("The status changes on the case timeline (to 'Resolved'), in the case's region."),
        filters=format_lazy("{}{}", _("Resolved within the period. "), SCOPE),
        unit=_("days"),
        period="flow",
        compute=_resolution,
        available=can_view_cases,
        chart="none",
    )
)
register(
    Indicator(
        key="cases_amounts",
        title=_("Amounts claimed and recovered"),
        group="cases",
        counts=_(
            "Claimants of cases received within the period, the wages or compensation they "
            "claimed and the amounts recovered so far."
        ),
        source=_("Claimants of rights-protection cases, in the case's region."),
        filters=format_lazy("{}{}", _("Cases received within the period. "), SCOPE),
        unit=_("yuan"),
        period="flow",
        compute=_amounts,
        available=can_view_cases,
        chart="none",
    )
)
