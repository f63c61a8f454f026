"""The match score: one definition, evaluated two ways.

- `score_entry` (Python) scores one match-index entry against one vacancy and explains every
  component in words; the worker's job page and every explanation use it.
- `score_expression` (SQL) computes the same total inside the database, so a vacancy's top
  candidates among a million seekers are ranked without loading them (selectors.vacancy_candidates).

Both read the same constants; tests assert they agree on hand-built examples. The weights are
documented in docs/domains/jobs.md and ADR 0009.

Components (100 points):
- occupation (40): the same occupation code 40; the same mid group 20 (others are not candidates);
- skill level (25): no level required 25; the worker's best certificate in the vacancy's mid
  group meets the level (a lower number is higher) 25; one level below 12; otherwise 0;
- distance (20): the vacancy lies in a region the worker prefers 20; otherwise by the straight
  distance between the worker's current region and the workplace: ≤ 10 km 20, ≤ 30 km 15,
  ≤ 100 km 8, farther or unknown 0. Beyond the worker's maximum distance: not a candidate;
- wage (10): no expectation or expectation ≤ the top of the range 10; ≤ 110 % of it 5; else 0;
- availability (5): available now or by the closing date 5; within 30 days after it 2; else 0.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import CombinedExpression, Expression
from django.utils.translation import gettext as _

from gongyou.classifications.enums import SkillLevel

OCC_SAME, OCC_MID = 40, 20
SKILL_FULL, SKILL_NEAR = 25, 12
DIST_PREFERRED = 20
DIST_TIERS = ((10, 20), (30, 15), (100, 8))  # (km at most, points)
WAGE_FULL, WAGE_NEAR, WAGE_NEAR_SHARE = 10, 5, 1.1
AVAIL_FULL, AVAIL_NEAR, AVAIL_NEAR_DAYS = 5, 2, 30
MAX_SCORE = OCC_SAME + SKILL_FULL + DIST_PREFERRED + WAGE_FULL + AVAIL_FULL
KM_PER_DEGREE = 111.195  # mean Earth radius 6371 km × π / 180
MAX_OCCUPATIONS = 4
"""Occupations one seeker is indexed under (desired first, then current, then certificates)."""


@dataclass(frozen=True)
class Target:
    """The vacancy side of a match: what the score needs, nothing else."""

    occupation_code: str
    mid_group: str
    skill_level: int | None
    region_code: str
    latitude: float | None
    longitude: float | None
    wage_max: int
    closing_date: dt.date

    @classmethod
    def of(cls, vacancy: Any) -> Target:
        return cls(
            occupation_code=vacancy.occupation_id,
            mid_group=vacancy.mid_group,
            skill_level=vacancy.skill_level,
            region_code=vacancy.region_id,
            latitude=vacancy.latitude,
            longitude=vacancy.longitude,
            wage_max=vacancy.wage_max,
            closing_date=vacancy.closing_date,
        )

    @property
    def region_prefixes(self) -> list[str]:
        code = self.region_code
        return sorted({code[:2], code[:4], code})

    @property
    def cos_lat(self) -> float:
        return math.cos(math.radians(self.latitude or 0.0))

    @property
    def wage_near(self) -> int:
        return math.floor(self.wage_max * WAGE_NEAR_SHARE)

    @property
    def avail_near(self) -> dt.date:
        return self.closing_date + dt.timedelta(days=AVAIL_NEAR_DAYS)


def mid_group_of(code: str) -> str:
    return "-".join(code.split("-")[:2])


def _deg2(km: float) -> float:
    """A distance in km as squared degrees (what the SQL compares, no square root needed)."""
    return (km / KM_PER_DEGREE) ** 2


def _d2(target: Target, lat: float, lon: float) -> float:
    assert target.latitude is not None and target.longitude is not None
    dx = (lon - target.longitude) * target.cos_lat
    dy = lat - target.latitude
    return dx * dx + dy * dy


@dataclass(frozen=True)
class Component:
    key: str
    points: int
    max_points: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "points": self.points, "max": self.max_points, "text": self.text}


@dataclass(frozen=True)
class Score:
    total: int
    components: list[Component]
    excluded: str = ""  # why this entry is not a candidate at all ("" = it is)

    @property
    def explanation(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.components]


def _level(n: int | None) -> str:
    return str(SkillLevel(n).label) if n else ""


def score_entry(entry: dict[str, Any], target: Target) -> Score:
    """Score one index entry (a dict with MatchEntry's columns) against the vacancy."""
    if entry["mid_group"] != target.mid_group:
        return Score(0, [], excluded=_("Occupation is in another group."))
    parts: list[Component] = []
    if entry["occupation_code"] == target.occupation_code:
        parts.append(Component("occupation", OCC_SAME, OCC_SAME, _("Same occupation.")))
    else:
        parts.append(
            Component(
                "occupation",
                OCC_MID,
                OCC_SAME,
                _("Related occupation (same mid group %(group)s).") % {"group": target.mid_group},
            )
        )
    level, need = entry["skill_level"], target.skill_level
    if need is None:
        text = _("No skill level required.")
        parts.append(Component("skill", SKILL_FULL, SKILL_FULL, text))
    elif level is not None and level <= need:
        text = _("Holds %(held)s; the vacancy asks for %(need)s.") % {
            "held": _level(level),
            "need": _level(need),
        }
        parts.append(Component("skill", SKILL_FULL, SKILL_FULL, text))
    elif level is not None and level == need + 1:
        text = _("Holds %(held)s, one level below the %(need)s asked for.") % {
            "held": _level(level),
            "need": _level(need),
        }
        parts.append(Component("skill", SKILL_NEAR, SKILL_FULL, text))
    elif level is not None:
        text = _("Holds %(held)s, more than one level below the %(need)s asked for.") % {
            "held": _level(level),
            "need": _level(need),
        }
        parts.append(Component("skill", 0, SKILL_FULL, text))
    else:
        text = _("No skill certificate in this group; the vacancy asks for %(need)s.") % {
            "need": _level(need)
        }
        parts.append(Component("skill", 0, SKILL_FULL, text))
    prefs = {entry.get("pref1"), entry.get("pref2"), entry.get("pref3")} - {"", None}
    preferred = bool(prefs & set(target.region_prefixes))
    lat, lon, cap = entry["latitude"], entry["longitude"], entry["max_distance_km"]
    known = lat is not None and lon is not None and target.latitude is not None
    d2 = _d2(target, lat, lon) if known else None
    if not preferred and cap is not None and d2 is not None and d2 > _deg2(cap):
        return Score(0, [], excluded=_("Farther than the worker's maximum distance."))
    if preferred:
        parts.append(
            Component(
                "distance", DIST_PREFERRED, DIST_PREFERRED, _("In a region the worker prefers.")
            )
        )
    elif d2 is None:
        parts.append(Component("distance", 0, DIST_PREFERRED, _("Distance unknown.")))
    else:
        km = math.sqrt(d2) * KM_PER_DEGREE
        points = next((p for limit, p in DIST_TIERS if d2 <= _deg2(limit)), 0)
        parts.append(
            Component(
                "distance",
                points,
                DIST_PREFERRED,
                _("About %(km)d km from where the worker lives.") % {"km": round(km)},
            )
        )
    wage = entry["wage_expectation"]
    if wage is None:
        parts.append(Component("wage", WAGE_FULL, WAGE_FULL, _("No wage expectation given.")))
    elif wage <= target.wage_max:
        text = _("Expects %(e)d yuan; the vacancy pays up to %(m)d.") % {
            "e": wage,
            "m": target.wage_max,
        }
        parts.append(Component("wage", WAGE_FULL, WAGE_FULL, text))
    elif wage <= target.wage_near:
        text = _("Expects %(e)d yuan, a little above the %(m)d offered.") % {
            "e": wage,
            "m": target.wage_max,
        }
        parts.append(Component("wage", WAGE_NEAR, WAGE_FULL, text))
    else:
        text = _("Expects %(e)d yuan, well above the %(m)d offered.") % {
            "e": wage,
            "m": target.wage_max,
        }
        parts.append(Component("wage", 0, WAGE_FULL, text))
    available = entry["available_from"]
    if available is None or available <= target.closing_date:
        text = (
            _("Available now.")
            if available is None
            else _("Available from %(d)s, before the closing date.") % {"d": available.isoformat()}
        )
        parts.append(Component("availability", AVAIL_FULL, AVAIL_FULL, text))
    elif available <= target.avail_near:
        text = _("Available from %(d)s, soon after the closing date.") % {
            "d": available.isoformat()
        }
        parts.append(Component("availability", AVAIL_NEAR, AVAIL_FULL, text))
    else:
        text = _("Available only from %(d)s.") % {"d": available.isoformat()}
        parts.append(Component("availability", 0, AVAIL_FULL, text))
    return Score(sum(c.points for c in parts), parts)


def _int(value: int) -> Value:
    return Value(value, output_field=IntegerField())


def score_annotations(target: Target) -> tuple[dict[str, Expression], Q]:
    """(annotations with `match_score`, the candidate filter) for MatchEntry rows of the
    target's mid group. Mirrors score_entry exactly."""
    prefixes = target.region_prefixes
    preferred = Q(pref1__in=prefixes) | Q(pref2__in=prefixes) | Q(pref3__in=prefixes)
    occ = Case(
        When(occupation_code=target.occupation_code, then=_int(OCC_SAME)),
        default=_int(OCC_MID),
        output_field=IntegerField(),
    )
    if target.skill_level is None:
        skill: Expression = _int(SKILL_FULL)
    else:
        skill = Case(
            When(skill_level__lte=target.skill_level, then=_int(SKILL_FULL)),
            When(skill_level=target.skill_level + 1, then=_int(SKILL_NEAR)),
            default=_int(0),
            output_field=IntegerField(),
        )
    annotations: dict[str, Expression] = {}
    if target.latitude is not None and target.longitude is not None:
        dx = (F("longitude") - Value(target.longitude)) * Value(target.cos_lat)
        dy = F("latitude") - Value(target.latitude)
        annotations["match_d2"] = CombinedExpression(dx * dx, "+", dy * dy)
        dist: Expression = Case(
            When(preferred, then=_int(DIST_PREFERRED)),
            When(latitude__isnull=True, then=_int(0)),
            *[When(match_d2__lte=_deg2(km), then=_int(p)) for km, p in DIST_TIERS],
            default=_int(0),
            output_field=IntegerField(),
        )
        within = (
            Q(max_distance_km__isnull=True)
            | Q(latitude__isnull=True)
            | preferred
            | Q(match_cap2__gte=F("match_d2"))
        )
        annotations["match_cap2"] = (
            F("max_distance_km") * F("max_distance_km") / Value(KM_PER_DEGREE * KM_PER_DEGREE)
        )
    else:
        dist = Case(When(preferred, then=_int(DIST_PREFERRED)), default=_int(0))
        within = Q()
    wage = Case(
        When(wage_expectation__isnull=True, then=_int(WAGE_FULL)),
        When(wage_expectation__lte=target.wage_max, then=_int(WAGE_FULL)),
        When(wage_expectation__lte=target.wage_near, then=_int(WAGE_NEAR)),
        default=_int(0),
        output_field=IntegerField(),
    )
    avail = Case(
        When(available_from__isnull=True, then=_int(AVAIL_FULL)),
        When(available_from__lte=target.closing_date, then=_int(AVAIL_FULL)),
        When(available_from__lte=target.avail_near, then=_int(AVAIL_NEAR)),
        default=_int(0),
        output_field=IntegerField(),
    )
    annotations["match_score"] = occ + skill + dist + wage + avail
    return annotations, Q(mid_group=target.mid_group) & within
