"""The briefing: the headline figures of a region on a date, stated in sentences like a press
release. Sentences are gettext msgids with named placeholders, so the Chinese catalogue can
order the figures as Chinese prose needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .aggregate import region_name
from .registry import Context, Table, indicator_lookup
from .selectors import indicator_context
from .suppression import threshold

BRIEFING_DAYS = 30


@dataclass
class Briefing:
    region: str
    date: dt.date
    start: dt.date
    headline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


def _n(value: Any, digits: int = 0) -> str:
    return number_format(value or 0, decimal_pos=digits, force_grouping=True)


def _pct(part: Any, whole: Any) -> str:
    return _n(100 * (part or 0) / whole, 1) if whole else "0"


def _table(ctx: Context, key: str) -> Table | None:
    indicator = indicator_lookup(key)
    if indicator is None or not indicator.available(ctx.actor):
        return None
    return indicator.compute(ctx)


def briefing_build(*, actor: Any, region: str | None, date: dt.date | None) -> Briefing:
    base = indicator_context(actor=actor, region=region, end=date)
    ctx = Context(
        actor=base.actor,
        prefix=base.prefix,
        start=base.end - dt.timedelta(days=BRIEFING_DAYS - 1),
        end=base.end,
        today=base.today,
    )
    place = region_name(ctx.prefix.ljust(6, "0")) if ctx.prefix else _("the whole country")
    out = Briefing(region=place, date=ctx.end, start=ctx.start)
    day = ctx.end.isoformat()
    small = threshold()

    sex = _table(ctx, "workers_by_sex")
    if sex is not None:
        total = sex.total_value("_total") or 0
        out.figures["workers"] = total
        out.headline = _("%(region)s: %(workers)s migrant workers registered as of %(date)s") % {
            "region": place,
            "workers": _n(total),
            "date": day,
        }
        if total >= small:
            out.paragraphs.append(
                _(
                    "As of %(date)s, %(workers)s migrant workers were registered in %(region)s; "
                    "%(female)s%% of them are women."
                )
                % {
                    "date": day,
                    "workers": _n(total),
                    "region": place,
                    "female": _pct(sex.total_value("F"), total),
                }
            )
            age = _table(ctx, "workers_by_age_band")
            migration = _table(ctx, "workers_by_migration")
            if age is not None and migration is not None:
                out.paragraphs.append(
                    _(
                        "%(local)s%% work within their home county, %(outbound)s%% elsewhere in "
                        "their home province and %(cross)s%% in another province; %(over50)s%% "
                        "are over 50."
                    )
                    % {
                        "local": _pct(migration.total_value("local"), total),
                        "outbound": _pct(migration.total_value("within_province"), total),
                        "cross": _pct(migration.total_value("cross_province"), total),
                        "over50": _pct(age.total_value("51_plus"), total),
                    }
                )
        elif total:
            out.paragraphs.append(
                _("Fewer than %(n)s migrant workers were registered in %(region)s.")
                % {"n": small, "region": place}
            )

    stations = _table(ctx, "stations_by_type")
    per_day = _table(ctx, "visits_per_day")
    if stations is not None and per_day is not None:
        count = stations.total_value("_total") or 0
        out.figures["stations"] = count
        out.figures["visits_per_day"] = per_day.total_value("_total") or 0
        out.paragraphs.append(
            ngettext(
                "%(stations)s station was open (migrant-worker service stations: %(service)s, "
                "union rest stations: %(rest)s). In the %(days)s days to %(date)s it served "
                "%(per_day)s people a day on average.",
                "%(stations)s stations were open (migrant-worker service stations: %(service)s, "
                "union rest stations: %(rest)s). In the %(days)s days to %(date)s they served "
                "%(per_day)s people a day on average.",
                count,
            )
            % {
                "stations": _n(count),
                "service": _n(stations.total_value("service_station")),
                "rest": _n(stations.total_value("rest_station")),
                "days": BRIEFING_DAYS,
                "date": day,
                "per_day": _n(per_day.total_value("_total"), 1),
            }
        )

    status = _table(ctx, "cases_status")
    resolution = _table(ctx, "cases_days_to_resolution")
    amounts = _table(ctx, "cases_amounts")
    if status is not None and resolution is not None and amounts is not None:
        out.figures["open_cases"] = status.total_value("open")
        out.paragraphs.append(
            ngettext(
                "%(open)s rights-protection case was open (past a statutory deadline: "
                "%(overdue)s).",
                "%(open)s rights-protection cases were open (past a statutory deadline: "
                "%(overdue)s).",
                status.total_value("open") or 0,
            )
            % {
                "open": _n(status.total_value("open")),
                "overdue": _n(status.total_value("overdue")),
            }
            + " "
            + _(
                "Cases resolved in the period: %(resolved)s, on average %(days)s days after they "
                "were received. Claimants in cases received in the period have recovered "
                "%(recovered)s yuan of the %(claimed)s yuan claimed."
            )
            % {
                "resolved": _n(resolution.total_value("resolved")),
                "days": _n(resolution.total_value("days"), 1),
                "recovered": _n(amounts.total_value("recovered"), 2),
                "claimed": _n(amounts.total_value("claimed"), 2),
            }
        )

    trained = _table(ctx, "training_people")
    if trained is not None and trained.total_value("trained"):
        out.paragraphs.append(
            _(
                "In training campaigns running in the period, %(trained)s workers started "
                "training, %(completed)s completed it and %(certified)s were certified."
            )
            % {
                "trained": _n(trained.total_value("trained")),
                "completed": _n(trained.total_value("completed")),
                "certified": _n(trained.total_value("certified")),
            }
        )
    placed = _table(ctx, "placements")
    kept = _table(ctx, "retention")
    if placed is not None and kept is not None and placed.total_value("placements"):
        out.paragraphs.append(
            _(
                "%(placements)s job placements started in the period, at an average monthly "
                "wage of %(wage)s yuan; of the workers followed up, %(rate)s%% were still in "
                "the job."
            )
            % {
                "placements": _n(placed.total_value("placements")),
                "wage": _n(placed.total_value("wage")),
                "rate": _n(kept.total_value("rate"), 1)
                if kept.total_value("rate") is not None
                else "—",
            }
        )

    shares = _table(
        Context(
            actor=ctx.actor,
            prefix=ctx.prefix,
            start=dt.date(ctx.end.year - 1, 1, 1),
            end=ctx.end,
            today=ctx.today,
        ),
        "award_migrant_share",
    )
    if shares is not None and shares.rows:
        latest = shares.rows[0]
        awarded = latest.values["awarded"]
        out.paragraphs.append(
            _(
                "In %(round)s, %(migrant)s of the %(awarded)s award winners (%(share)s%%) were "
                "migrant workers."
            )
            % {
                "round": latest.label,
                "migrant": _n(latest.values["migrant"]),
                "awarded": _n(awarded),
                "share": _pct(latest.values["migrant"], awarded),
            }
        )
    if not out.paragraphs:
        out.paragraphs.append(_("No records in %(region)s yet.") % {"region": place})
    return out
