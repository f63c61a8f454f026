"""Equal public services and urban integration indicators: referrals to the responsible
departments and their outcomes, the share of registered workers who can use each service in a
city, and participation in integration activities. Read through gongyou.publicservices'
selectors (which start from its policies, so the user's data scope applies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.policies import Actor
from gongyou.publicservices.enums import ActivityKind, RegistrationStatus, ServiceKind
from gongyou.publicservices.policies import INDICATOR_ROLES
from gongyou.publicservices.selectors import (
    city_of,
    indicator_activity_participation,
    indicator_referrals_by_outcome,
    indicator_services_usable,
)

from ..aggregate import by_measures, region_name
from ..registry import Column, Context, Indicator, Row, Table, register, register_group

register_group("publicservices", _("Public services and urban integration"))
SCOPE = _("The selected region and its subdivisions; only records your organisation may see.")
R = RegistrationStatus


def can_view_publicservices(actor: Actor) -> bool:
    return bool(actor.roles & INDICATOR_ROLES)


# -- referrals -------------------------------------------------------------------------------

REFERRAL_MEASURES = ("made", "granted", "refused", "open", "withdrawn")


def _referral_columns() -> list[Column]:
    return [
        Column("made", gettext("Referrals made")),
        Column("granted", gettext("Granted")),
        Column("refused", gettext("Refused")),
        Column("open", gettext("Still open")),
        Column("withdrawn", gettext("Withdrawn")),
        # xgettext:no-python-format
        Column("granted_pct", gettext("% granted"), suppressible=False, percent=True),
    ]


def _referral_values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(REFERRAL_MEASURES, 0)
    for row in rows:
        by_status = row["by_status"]
        values["made"] += row["made"]
        values["granted"] += by_status.get("granted", 0)
        values["refused"] += by_status.get("refused", 0)
        values["open"] += by_status.get("referred", 0) + by_status.get("pending", 0)
        values["withdrawn"] += by_status.get("withdrawn", 0)
    made = values["made"]
    values["granted_pct"] = round(100 * values["granted"] / made, 1) if made else None
    return values


def _referral_rows(ctx: Context) -> list[dict[str, Any]]:
    """The selector's rows (one per city and service kind) for the selected region: a referral
    is counted in the city of the service, so a county shows its city's referrals only when the
    city is selected."""
    rows = indicator_referrals_by_outcome(actor=ctx.actor, start=ctx.start, end=ctx.end)
    return [r for r in rows if r["city"].startswith(ctx.prefix)]


def _total_row(ctx: Context, values: dict[str, Any]) -> Row:
    label = region_name(ctx.prefix.ljust(6, "0")) if ctx.prefix else ""
    return Row(key="total", label=label, values=values, region=ctx.prefix.ljust(6, "0") or None)


def _referrals_by_region(ctx: Context) -> Table:
    rows = _referral_rows(ctx)
    areas: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        areas.setdefault(row["city"][: ctx.child_length], []).append(row)
    out = []
    if ctx.has_children:
        for area in sorted(areas):
            code = area.ljust(6, "0")
            out.append(
                Row(
                    key=code,
                    label=region_name(code),
                    values=_referral_values(areas[area]),
                    region=code,
                )
            )
    return Table(
        columns=_referral_columns(),
        rows=out,
        total=_total_row(ctx, _referral_values(rows)),
        note=gettext("Referrals are counted in the city of the service.")
        if len(ctx.prefix) == 6
        else "",
    )


def _referrals_by_service(ctx: Context) -> Table:
    rows = _referral_rows(ctx)
    out = []
    for kind, label in ServiceKind.choices:
        mine = [r for r in rows if r["service_kind"] == kind]
        if mine:
            out.append(Row(key=kind, label=str(label), values=_referral_values(mine)))
    return Table(
        columns=_referral_columns(), rows=out, total=_total_row(ctx, _referral_values(rows))
    )


# -- services usable -------------------------------------------------------------------------


def _city(ctx: Context) -> str | None:
    """The city an indicator computed per city is for: the selected city, or a county's."""
    if len(ctx.prefix) == 4:
        return ctx.prefix + "00"
    if len(ctx.prefix) == 6:
        return city_of(ctx.prefix)
    return None


def _usable(ctx: Context) -> Table:
    columns = [
        Column("workers", gettext("Workers counted")),
        Column("usable", gettext("Can use it now")),
        Column("share", gettext("% who can use it"), suppressible=False, percent=True),
    ]
    city = _city(ctx)
    empty = {"workers": None, "usable": None, "share": None}
    if city is None:
        return Table(
            columns=columns,
            rows=[],
            total=_total_row(ctx, empty),
            note=gettext(
                "Choose a city (or a county): services and their conditions are set per city."
            ),
        )
    rows = []
    items = indicator_services_usable(actor=ctx.actor, city=city, day=ctx.end)
    for item in items:
        share = item["share"]
        label = item["service"]
        if not item["recorded"]:
            label = gettext("%(service)s (conditions not recorded)") % {"service": label}
        rows.append(
            Row(
                key=str(item["service_id"]),
                label=label,
                values={
                    "workers": item["evaluated"],
                    "usable": item["usable"],
                    "share": round(100 * share, 1) if share is not None else None,
                },
            )
        )
    note = ""
    if len(ctx.prefix) == 6:
        note = gettext("Computed for the whole of %(city)s, the county's city.") % {
            "city": region_name(city)
        }
    # The total row: the workers living in the city (each service row has its own base).
    total = {**empty, "workers": items[0]["workers"] if items else None}
    return Table(columns=columns, rows=rows, total=_total_row(ctx, total), note=note)


# -- activities ------------------------------------------------------------------------------


def _activity_measures() -> dict[str, Any]:
    return {
        "activities": Count("activity", distinct=True),
        "registrations": Count("id"),
        "people": Count("worker", distinct=True),
        "attended": Count("id", filter=Q(status=R.ATTENDED)),
        "absent": Count("id", filter=Q(status=R.ABSENT)),
        "waiting": Count("id", filter=Q(status=R.WAITLISTED)),
        "rating_sum": Sum("rating"),
        "rated": Count("rating"),
    }


def _activity_columns() -> list[Column]:
    return [
        Column("activities", gettext("Activities")),
        Column("registrations", gettext("Registrations")),
        Column("people", gettext("Workers")),
        Column("attended", gettext("Attended")),
        Column("absent", gettext("Did not attend")),
        Column("waiting", gettext("Still waiting")),
        Column("attendance_pct", gettext("% attended"), suppressible=False, percent=True),
        Column("rating", gettext("Average rating (1–5)"), suppressible=False),
    ]


def _activity_derive(values: dict[str, Any]) -> None:
    marked = (values.get("attended") or 0) + (values.get("absent") or 0)
    values["attendance_pct"] = round(100 * values["attended"] / marked, 1) if marked else None
    rated = values.pop("rated", 0) or 0
    total = values.pop("rating_sum", 0) or 0
    values["rating"] = round(total / rated, 2) if rated else None


def _participation(ctx: Context) -> Table:
    registrations = indicator_activity_participation(actor=ctx.actor, start=ctx.start, end=ctx.end)
    return by_measures(
        registrations,
        ctx,
        region_field="activity__region_id",
        columns=_activity_columns(),
        measures=_activity_measures(),
        derive=_activity_derive,
    )


def _participation_by_kind(ctx: Context) -> Table:
    registrations = indicator_activity_participation(
        actor=ctx.actor, start=ctx.start, end=ctx.end, prefix=ctx.prefix
    )
    measures = _activity_measures()
    found = {
        row["activity__kind"]: row
        for row in registrations.values("activity__kind").annotate(**measures).order_by()
    }
    rows = []
    for kind, label in ActivityKind.choices:
        if kind in found:
            values = {k: found[kind][k] or 0 for k in measures}
            _activity_derive(values)
            rows.append(Row(key=kind, label=str(label), values=values))
    total = {k: v or 0 for k, v in registrations.aggregate(**measures).items()}
    _activity_derive(total)
    return Table(columns=_activity_columns(), rows=rows, total=_total_row(ctx, total))


ACTIVITY_COUNTS = _(
    "Registrations for integration activities (cultural events, family days, summer child-care "
    "classes for workers' children, city orientation) starting in the period, not counting "
    "cancelled ones: the activities, registrations, different workers (a child's registration "
    "counts their parent), attended, did not attend, still on a waiting list, the share attended "
    "of those whose attendance was recorded, and the attendees' average rating."
)
ACTIVITY_SOURCE = _("Activity registrations, in the region where the activity takes place.")
ACTIVITY_FILTERS = format_lazy("{}{}", _("Activities starting in the period. "), SCOPE)


def _register(key: str, title: Any, compute: Callable[[Context], Table], **kw: Any) -> None:
    register(
        Indicator(
            key=key,
            title=title,
            group="publicservices",
            compute=compute,
            available=can_view_publicservices,
            **kw,
        )
    )


_register(
    "public_service_referrals",
    _("Public-service referrals and outcomes"),
    _referrals_by_region,
    counts=_(
        "Referrals of workers (or their family members) to the department responsible for a "
        "public service, made in the period: granted, refused, still open (referred or pending "
        "at the department), withdrawn, and the share granted of those made."
    ),
    source=_("Service referrals, in the city of the service."),
    filters=format_lazy("{}{}", _("Referrals made in the period. "), SCOPE),
    unit=_("referrals"),
    period="flow",
    caveat=_("A referral made in the period counts with the outcome it has today."),
)
_register(
    "public_service_referrals_by_service",
    _("Public-service referrals by service"),
    _referrals_by_service,
    counts=_(
        "The same referrals as “Public-service referrals and outcomes”, one row per kind of "
        "service (school admission, public rental housing, …)."
    ),
    source=_("Service referrals, in the city of the service."),
    filters=format_lazy("{}{}", _("Referrals made in the period. "), SCOPE),
    unit=_("referrals"),
    period="flow",
    chart="none",
)
_register(
    "public_services_usable",
    _("Workers who can use each public service"),
    _usable,
    counts=_(
        "For each public service in force in the city on the last day of the period: the "
        "registered workers living in the city, how many can use it now (for a service for "
        "children: workers with at least one registered child who can), and the share. “Can "
        "use” includes “subject to checks”."
    ),
    source=_(
        "The public-service catalogue and the settlement engine's answer on each worker's "
        "records (residence, social insurance, permit, points)."
    ),
    filters=_(
        "A city, or a county (computed for its city); workers your organisation may see. "
        "Not computed for a province or the whole country."
    ),
    unit=_("workers"),
    period="stock",
    caveat=_(
        "A service open to every resident counts every worker; one whose conditions are not "
        "recorded counts nobody (the answer is “cannot tell”). Services with conditions are "
        "evaluated on at most the first 20,000 workers of the city by registry number, and the "
        "share is over those."
    ),
    chart="none",
)
_register(
    "integration_activity_participation",
    _("Integration activity participation"),
    _participation,
    counts=ACTIVITY_COUNTS,
    source=ACTIVITY_SOURCE,
    filters=ACTIVITY_FILTERS,
    unit=_("registrations"),
    period="flow",
)
_register(
    "integration_activity_by_kind",
    _("Integration activity participation by kind"),
    _participation_by_kind,
    counts=format_lazy("{}{}", ACTIVITY_COUNTS, _(" One row per kind of activity.")),
    source=ACTIVITY_SOURCE,
    filters=ACTIVITY_FILTERS,
    unit=_("registrations"),
    period="flow",
    chart="none",
)
