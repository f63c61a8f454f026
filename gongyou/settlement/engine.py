"""The eligibility engine: pure functions from (worker facts, policy rules, day) to an answer.

No database access here: `selectors` load `WorkerFacts` and `PolicyRules`, so the same engine
serves pages, the API, batch runs and (issue 11) public-service checks. Months are calendar
months, both ends of a spell inclusive; a set of months is a Python int used as a bit set (bit
i = month i since EPOCH), so overlapping spells are a bitwise OR and counting is `bit_count()`.

An answer lists every condition (met / not met / to be checked, with what is missing), the points
breakdown, and the path: the first month each unmet condition would be met if the worker's
ongoing spells (no end date) continue, found by re-evaluating month by month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongyou.classifications.enums import EDUCATION_RANK, EducationLevel, SkillLevel

from .enums import ConditionStatus, ContributionKind, FactKey, Outcome, Route, Tenure

EPOCH = 1950 * 12
HORIZON_MONTHS = 120
TWO = Decimal("0.01")
BLOCKING_FACTS = frozenset({FactKey.NO_CRIMINAL_RECORD, FactKey.NO_DISQUALIFYING_RECORD})
LEGAL_HOUSING = frozenset({Tenure.OWNED, Tenure.RENTED})
RENTED_LIKE = frozenset({Tenure.RENTED, Tenure.DORMITORY})


def fmt(value: Decimal | None) -> str | None:
    """A points figure for people and JSON: two decimals at most, no trailing zeros ("16.5")."""
    if value is None:
        return None
    text = format(value.quantize(TWO, ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1 - EPOCH


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.year * 12 + day.month - 1 + months
    year, month = divmod(m, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_mask(first: int, last: int) -> int:
    if last < first:
        return 0
    return ((1 << (last - first + 1)) - 1) << max(first, 0)


def run_ending_at(mask: int, month: int) -> int:
    """Length of the unbroken run of months ending at `month` (0 if that month is not set)."""
    if month < 0 or not (mask >> month) & 1:
        return 0
    width = month + 1
    low = mask & ((1 << width) - 1)
    gaps = ~low & ((1 << width) - 1)
    return width if gaps == 0 else month - (gaps.bit_length() - 1)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Spell:
    city: str
    start: int  # month index
    end: int | None  # month index; None = ongoing
    kind: str = ""
    permit: bool = False
    tenure: str = ""


@dataclass(frozen=True)
class Certificate:
    level: int
    issued_on: dt.date
    expires_on: dt.date | None


@dataclass
class WorkerFacts:
    worker_id: int
    birth_date: dt.date
    education: str = ""
    certificates: list[Certificate] = field(default_factory=list)
    contributions: list[Spell] = field(default_factory=list)
    residences: list[Spell] = field(default_factory=list)
    declared: dict[str, Decimal] = field(default_factory=dict)
    current_city: str = ""
    hukou_city: str = ""


@dataclass(frozen=True)
class PolicyRules:
    version_id: int
    number: int
    policy_id: int
    policy_name: str
    city: str
    city_name: str
    purpose: str
    route: str
    conditions: list[dict[str, Any]]
    points_items: list[dict[str, Any]]
    pass_mark: Decimal | None
    last_cutoff: Decimal | None
    cutoff_year: int | None
    source: str
    trust: str
    effective_from: dt.date
    effective_to: dt.date | None
    group_name: str = ""
    group_cities: frozenset[str] = frozenset()


class _Context:
    """One evaluation day: month sets computed once and reused by every condition and item."""

    def __init__(self, facts: WorkerFacts, rules: PolicyRules, day: dt.date) -> None:
        self.facts, self.rules, self.day = facts, rules, day
        self.month = month_of(day)
        self._cache: dict[tuple[Any, ...], int] = {}

    def cities(self, in_group: bool) -> frozenset[str]:
        if in_group and self.rules.group_cities:
            return self.rules.group_cities | {self.rules.city}
        return frozenset({self.rules.city})

    def place(self, in_group: bool) -> str:
        if in_group and self.rules.group_cities:
            return _("%(group)s (years count across the group)") % {"group": self.rules.group_name}
        return self.rules.city_name

    def _mask(self, spells: list[Spell], key: tuple[Any, ...], keep: Any) -> int:
        if key not in self._cache:
            mask = 0
            for s in spells:
                if s.start > self.month or not keep(s):
                    continue
                last = self.month if s.end is None else min(s.end, self.month)
                mask |= months_mask(s.start, last)
            self._cache[key] = mask
        return self._cache[key]

    def insurance(self, *, cities: frozenset[str], kinds: tuple[str, ...]) -> int:
        return self._mask(
            self.facts.contributions,
            ("si", cities, kinds),
            lambda s: s.city in cities and (not kinds or s.kind in kinds),
        )

    def residence(
        self, *, cities: frozenset[str], permit_only: bool, tenures: tuple[str, ...] = ()
    ) -> int:
        return self._mask(
            self.facts.residences,
            ("res", cities, permit_only, tenures),
            lambda s: (
                s.city in cities
                and (s.permit or not permit_only)
                and (not tenures or s.tenure in tenures)
            ),
        )

    def current_residence(self, city: str) -> list[Spell]:
        return [
            s
            for s in self.facts.residences
            if s.city == city and s.start <= self.month and (s.end is None or s.end >= self.month)
        ]

    def skill_level(self) -> int | None:
        levels = [
            c.level
            for c in self.facts.certificates
            if c.issued_on <= self.day and (c.expires_on is None or c.expires_on >= self.day)
        ]
        return min(levels) if levels else None


def _result(
    cond: dict[str, Any],
    status: str,
    *,
    label: str,
    explanation: str,
    missing: str = "",
    blocking: bool = False,
    have: Any = None,
    need: Any = None,
) -> dict[str, Any]:
    if status == ConditionStatus.UNMET:
        try:
            progress = min(float(have) / float(need), 0.99) if need else 0.0
        except (TypeError, ValueError):
            progress = 0.0
        progress = max(progress, 0.0)
    else:
        progress = 1.0  # met, or nothing known against it
    return {
        "type": cond["type"],
        "label": cond.get("label") or label,
        "progress": round(progress, 4),
        "status": status,
        "explanation": explanation,
        "missing": missing if status != ConditionStatus.MET else "",
        "blocking": blocking and status == ConditionStatus.UNMET,
        "have": have,
        "need": need,
        "trust": cond.get("trust", "U"),
        "source": cond.get("source", ""),
        "met_on": None,
    }


def _kinds_label(kinds: list[str]) -> str:
    return "、".join(str(ContributionKind(k).label) for k in kinds) if kinds else ""


def _months_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    need = int(cond["min_months"])
    in_group = bool(cond.get("in_group"))
    cities = ctx.cities(in_group)
    place = ctx.place(in_group)
    if cond["type"] == "social_insurance":
        mask = ctx.insurance(cities=cities, kinds=tuple(cond.get("kinds") or ()))
        if cond.get("while_permit"):
            mask &= ctx.residence(cities=cities, permit_only=True)
        what = _("social insurance")
        kinds = _kinds_label(cond.get("kinds") or [])
        if kinds:
            what = f"{what} ({kinds})"
        if cond.get("while_permit"):
            what = _("%(what)s while holding a residence permit") % {"what": what}
        label = _("At least %(n)s months of %(what)s in %(place)s")
    else:
        mask = ctx.residence(
            cities=cities,
            permit_only=bool(cond.get("permit_only")),
            tenures=tuple(cond.get("tenures") or ()),
        )
        what = _("residence with a residence permit") if cond.get("permit_only") else _("residence")
        label = _("At least %(n)s months of %(what)s in %(place)s")
    if cond.get("consecutive"):
        have = max(run_ending_at(mask, ctx.month), run_ending_at(mask, ctx.month - 1))
        what = _("consecutive %(what)s up to now") % {"what": what}
    else:
        have = mask.bit_count()
    args = {"n": need, "what": what, "place": place}
    status = ConditionStatus.MET if have >= need else ConditionStatus.UNMET
    return _result(
        cond,
        status,
        label=label % args,
        explanation=_("%(have)s of %(need)s months of %(what)s in %(place)s.")
        % {"have": have, "need": need, "what": what, "place": place},
        missing=_("needs %(n)s more months of %(what)s in %(place)s")
        % {"n": need - have, "what": what, "place": place},
        have=have,
        need=need,
    )


def _permit_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    place = ctx.rules.city_name
    held = any(s.permit for s in ctx.current_residence(ctx.rules.city))
    return _result(
        cond,
        ConditionStatus.MET if held else ConditionStatus.UNMET,
        label=_("Holds a residence permit in %(place)s") % {"place": place},
        explanation=(
            _("Holds a residence permit in %(place)s.")
            if held
            else _("No current residence permit in %(place)s on record.")
        )
        % {"place": place},
        missing=_("needs a residence permit in %(place)s") % {"place": place},
    )


def _job_housing_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    city, place, accept = ctx.rules.city, ctx.rules.city_name, cond.get("accept", "either")
    si = ctx.insurance(cities=frozenset({city}), kinds=())
    job = (
        bool((si >> ctx.month) & 1 or (si >> (ctx.month - 1)) & 1)
        or ctx.facts.declared.get(FactKey.STABLE_EMPLOYMENT, Decimal(0)) >= 1
    )
    housing = any(s.tenure in LEGAL_HOUSING for s in ctx.current_residence(city))
    ok = {"job": job, "housing": housing, "either": job or housing}[accept]
    labels = {
        "job": _("Stable job in %(place)s (contributing to social insurance there now)"),
        "housing": _("Legal stable housing in %(place)s (owned or registered lease)"),
        "either": _("Stable job or legal housing in %(place)s"),
    }
    missing = {
        "job": _("needs a job with social insurance in %(place)s"),
        "housing": _("needs owned housing or a registered lease in %(place)s"),
        "either": _("needs a job with social insurance or legal housing in %(place)s"),
    }
    facts = []
    facts.append(_("job: yes") if job else _("job: no"))
    facts.append(_("housing: yes") if housing else _("housing: no"))
    return _result(
        cond,
        ConditionStatus.MET if ok else ConditionStatus.UNMET,
        label=labels[accept] % {"place": place},
        explanation=", ".join(facts) + ".",
        missing=missing[accept] % {"place": place},
    )


def _age_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    age = age_on(ctx.facts.birth_date, ctx.day)
    lo, hi, born = cond.get("min_age"), cond.get("max_age"), cond.get("born_on_or_after")
    born_limit = dt.date.fromisoformat(born) if isinstance(born, str) else born
    parts = []
    if lo is not None:
        parts.append(_("at least %(n)s") % {"n": lo})
    if hi is not None:
        parts.append(_("at most %(n)s") % {"n": hi})
    if born_limit:
        parts.append(_("born on or after %(d)s") % {"d": born_limit.isoformat()})
    label = _("Age: %(limits)s") % {"limits": ", ".join(parts)} if parts else _("Age limit")
    if not parts:
        return _result(
            cond,
            ConditionStatus.UNKNOWN,
            label=label,
            explanation=_("Aged %(age)s; the policy's age limit is not recorded.") % {"age": age},
            missing=_("staff to check the age limit"),
            have=age,
        )
    explanation = _("Aged %(age)s (born %(born)s).") % {
        "age": age,
        "born": ctx.facts.birth_date.isoformat(),
    }
    if born_limit and ctx.facts.birth_date < born_limit:
        return _result(
            cond,
            ConditionStatus.UNMET,
            label=label,
            explanation=explanation,
            missing=_("born before %(d)s: outside the age limit") % {"d": born_limit.isoformat()},
            blocking=True,
            have=age,
        )
    if hi is not None and age > hi:
        return _result(
            cond,
            ConditionStatus.UNMET,
            label=label,
            explanation=explanation,
            missing=_("over the age limit of %(n)s") % {"n": hi},
            blocking=True,
            have=age,
            need=hi,
        )
    if lo is not None and age < lo:
        return _result(
            cond,
            ConditionStatus.UNMET,
            label=label,
            explanation=explanation,
            missing=_("must be at least %(n)s years old") % {"n": lo},
            have=age,
            need=lo,
        )
    return _result(cond, ConditionStatus.MET, label=label, explanation=explanation, have=age)


def _skill_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    need = int(cond["max_level"])
    have = ctx.skill_level()
    target = str(SkillLevel(need).label)
    held = str(SkillLevel(have).label) if have else _("no valid skill-level certificate")
    ok = have is not None and have <= need
    return _result(
        cond,
        ConditionStatus.MET if ok else ConditionStatus.UNMET,
        label=_("Skill level: %(level)s or higher") % {"level": target},
        explanation=_("Highest valid certificate: %(held)s.") % {"held": held},
        missing=_("reach %(level)s") % {"level": target},
        have=have,
        need=need,
    )


def _education_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    need = cond["min_level"]
    have = ctx.facts.education
    target = str(EducationLevel(need).label)
    if not have:
        return _result(
            cond,
            ConditionStatus.UNKNOWN,
            label=_("Education: %(level)s or higher") % {"level": target},
            explanation=_("Education not recorded."),
            missing=_("record the worker's education"),
        )
    ok = EDUCATION_RANK.get(have, -1) >= EDUCATION_RANK[need]
    return _result(
        cond,
        ConditionStatus.MET if ok else ConditionStatus.UNMET,
        label=_("Education: %(level)s or higher") % {"level": target},
        explanation=_("Education: %(level)s.") % {"level": EducationLevel(have).label},
        missing=_("reach %(level)s education") % {"level": target},
    )


def _declared_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    fact = FactKey(cond["fact"])
    need = Decimal(str(cond.get("min_value", 1)))
    value = ctx.facts.declared.get(fact)
    label = str(fact.label)
    if value is None:
        return _result(
            cond,
            ConditionStatus.UNKNOWN,
            label=label,
            explanation=_("Not recorded yet."),
            missing=_("staff to check: %(fact)s") % {"fact": label},
        )
    ok = value >= need
    return _result(
        cond,
        ConditionStatus.MET if ok else ConditionStatus.UNMET,
        label=label,
        explanation=_("Recorded value %(v)s (needs %(n)s).") % {"v": fmt(value), "n": fmt(need)},
        missing=_("requires: %(fact)s") % {"fact": label},
        blocking=fact in BLOCKING_FACTS,
        have=str(value),
        need=str(need),
    )


def _any_of_condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    options = [[_condition(ctx, c) for c in option] for option in cond["options"]]

    def status_of(results: list[dict[str, Any]]) -> str:
        return _combine([r["status"] for r in results])

    statuses = [status_of(o) for o in options]
    if ConditionStatus.MET in statuses:
        status = ConditionStatus.MET
    elif ConditionStatus.UNKNOWN in statuses:
        status = ConditionStatus.UNKNOWN
    else:
        status = ConditionStatus.UNMET
    # The closest option: fewest unmet, then fewest to check.
    best = min(
        range(len(options)),
        key=lambda i: (
            sum(r["status"] == ConditionStatus.UNMET for r in options[i]),
            sum(r["status"] == ConditionStatus.UNKNOWN for r in options[i]),
        ),
    )
    missing = "; ".join(r["missing"] for r in options[best] if r["missing"])
    blocking = all(any(r["blocking"] for r in o) for o in options)
    out = _result(
        cond,
        status,
        label=_("One of %(n)s alternative routes") % {"n": len(options)},
        explanation=_("Route %(i)s is the closest.") % {"i": best + 1}
        if status != ConditionStatus.MET
        else _("Met through route %(i)s.") % {"i": statuses.index(ConditionStatus.MET) + 1},
        missing=missing,
        blocking=blocking,
    )
    out["options"] = options
    out["closest"] = best
    if status == ConditionStatus.UNMET:
        out["progress"] = round(max(_mean_progress(o) for o in options), 4)
    return out


def _mean_progress(results: list[dict[str, Any]]) -> float:
    return sum(r["progress"] for r in results) / len(results) if results else 1.0


def _combine(statuses: list[str]) -> str:
    if ConditionStatus.UNMET in statuses:
        return ConditionStatus.UNMET
    if ConditionStatus.UNKNOWN in statuses:
        return ConditionStatus.UNKNOWN
    return ConditionStatus.MET


CONDITIONS = {
    "social_insurance": _months_condition,
    "residence": _months_condition,
    "residence_permit": _permit_condition,
    "stable_job_or_housing": _job_housing_condition,
    "age": _age_condition,
    "skill_level": _skill_condition,
    "education": _education_condition,
    "declared": _declared_condition,
    "any_of": _any_of_condition,
}


def _condition(ctx: _Context, cond: dict[str, Any]) -> dict[str, Any]:
    return CONDITIONS[cond["type"]](ctx, cond)


# -- points ----------------------------------------------------------------------------------


def _per_year(*terms: tuple[int, Any], whole: bool) -> Decimal:
    """Σ months × points-per-year / 12, divided once at the end so a true half stays a half."""
    if whole:
        return sum((Decimal(m // 12) * Decimal(str(p)) for m, p in terms), Decimal(0))
    return sum((Decimal(m) * Decimal(str(p)) for m, p in terms), Decimal(0)) / Decimal(12)


def _item(ctx: _Context, item: dict[str, Any]) -> dict[str, Any]:
    kind = item["type"]
    raw = Decimal(0)
    basis = ""
    recorded = True
    whole = bool(item.get("whole_years"))
    if kind == "insurance_years":
        cities = ctx.cities(bool(item.get("in_group")))
        months = ctx.insurance(cities=cities, kinds=tuple(item.get("kinds") or ())).bit_count()
        raw = _per_year((months, item["per_year"]), whole=whole)
        basis = _("%(m)s months × %(p)s per year") % {"m": months, "p": item["per_year"]}
    elif kind == "residence_years":
        cities = ctx.cities(bool(item.get("in_group")))
        permit_only = bool(item.get("permit_only"))
        owned = ctx.residence(cities=cities, permit_only=permit_only, tenures=(Tenure.OWNED,))
        rented = (
            ctx.residence(cities=cities, permit_only=permit_only, tenures=tuple(RENTED_LIKE))
            & ~owned
        )
        raw = _per_year(
            (owned.bit_count(), item["per_year_owned"]),
            (rented.bit_count(), item["per_year_rented"]),
            whole=whole,
        )
        basis = _("%(o)s months owned, %(r)s months rented or dormitory") % {
            "o": owned.bit_count(),
            "r": rented.bit_count(),
        }
    elif kind == "permit_years":
        months = ctx.residence(cities=frozenset({ctx.rules.city}), permit_only=True).bit_count()
        raw = _per_year((months, item["per_year"]), whole=whole)
        basis = _("%(m)s months with a residence permit") % {"m": months}
    elif kind == "education":
        level = ctx.facts.education
        raw = Decimal(str(item["values"].get(level, 0))) if level else Decimal(0)
        recorded = bool(level)
        basis = str(EducationLevel(level).label) if level else _("education not recorded")
    elif kind == "skill_level":
        skill = ctx.skill_level()
        raw = Decimal(str(item["values"].get(str(skill), 0))) if skill else Decimal(0)
        basis = str(SkillLevel(skill).label) if skill else _("no valid skill-level certificate")
    elif kind == "age":
        age = age_on(ctx.facts.birth_date, ctx.day)
        band = next((b for b in item["bands"] if age <= b["max_age"]), None)
        raw = Decimal(str(band["points"])) if band else Decimal(0)
        basis = _("aged %(a)s") % {"a": age}
    elif kind == "declared":
        fact = FactKey(item["fact"])
        value = ctx.facts.declared.get(fact)
        recorded = value is not None
        raw = (value or Decimal(0)) * Decimal(str(item["per_unit"]))
        basis = (
            _("%(fact)s: %(v)s × %(p)s")
            % {"fact": fact.label, "v": fmt(value), "p": item["per_unit"]}
            if recorded
            else _("%(fact)s: not recorded") % {"fact": fact.label}
        )
    cap = Decimal(str(item["cap"])) if item.get("cap") is not None else None
    points = raw
    if cap is not None and abs(raw) > cap:
        points = cap if raw > 0 else -cap
    return {
        "key": item["key"],
        "type": kind,
        "label": item.get("label") or item["key"],
        "raw": fmt(raw),
        "points": points.quantize(TWO, ROUND_HALF_UP),
        "cap": fmt(cap),
        "capped": points != raw,
        "basis": basis,
        "recorded": recorded,
        "trust": item.get("trust", "U"),
        "source": item.get("source", ""),
    }


def _points(ctx: _Context) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(points block, the synthetic "points" condition) for a points route."""
    rules = ctx.rules
    if rules.route != Route.POINTS and not rules.points_items:
        return None, None
    items = [_item(ctx, i) for i in rules.points_items]
    total = sum((i["points"] for i in items), Decimal(0))
    threshold = rules.pass_mark if rules.pass_mark is not None else rules.last_cutoff
    block = {
        "items": [{**i, "points": fmt(i["points"])} for i in items],
        "total": fmt(total),
        "pass_mark": fmt(rules.pass_mark),
        "last_cutoff": fmt(rules.last_cutoff),
        "cutoff_year": rules.cutoff_year,
        "gap": fmt(max(threshold - total, Decimal(0))) if threshold is not None else None,
        "unrecorded": [i["label"] for i in items if not i["recorded"]],
    }
    cond = {"type": "points", "trust": rules.trust, "source": rules.source}
    if not items:
        return block, _result(
            cond,
            ConditionStatus.UNKNOWN,
            label=_("Points scheme"),
            explanation=_("The city's points items are not recorded."),
            missing=_("the points scheme is not recorded: ask the city's public-security bureau"),
        )
    if threshold is None:
        return block, _result(
            cond,
            ConditionStatus.UNKNOWN,
            label=_("Points total"),
            explanation=_("%(t)s points; no pass mark or cut-off is recorded.") % {"t": fmt(total)},
            missing=_("the pass mark or last cut-off is not recorded"),
            have=fmt(total),
        )
    kind = (
        _("pass mark %(v)s") % {"v": fmt(rules.pass_mark)}
        if rules.pass_mark is not None
        else _("last cut-off %(v)s (%(y)s), indicative")
        % {"v": fmt(rules.last_cutoff), "y": rules.cutoff_year or "?"}
    )
    ok = total >= threshold
    return block, _result(
        cond,
        ConditionStatus.MET if ok else ConditionStatus.UNMET,
        label=_("Points total reaches the %(kind)s") % {"kind": kind},
        explanation=_("%(t)s points against the %(kind)s.") % {"t": fmt(total), "kind": kind},
        missing=_("needs %(n)s more points (%(kind)s)")
        % {"n": fmt(threshold - total), "kind": kind},
        have=fmt(total),
        need=fmt(threshold),
    )


# -- the answer -------------------------------------------------------------------------------


def _outcome(rules: PolicyRules, results: list[dict[str, Any]]) -> str:
    if not results:
        return Outcome.ELIGIBLE if rules.route == Route.NO_RESTRICTION else Outcome.UNKNOWN
    statuses = [r["status"] for r in results]
    if any(r["blocking"] for r in results):
        return Outcome.NOT_ELIGIBLE
    if ConditionStatus.UNMET in statuses:
        return Outcome.NOT_YET
    if ConditionStatus.UNKNOWN in statuses:
        # A points route whose scheme is not recorded cannot be answered at all.
        if any(r["type"] == "points" and r["status"] == "unknown" for r in results):
            return Outcome.UNKNOWN
        return Outcome.SUBJECT_TO_CHECKS
    return Outcome.ELIGIBLE


def _core(facts: WorkerFacts, rules: PolicyRules, day: dt.date) -> dict[str, Any]:
    ctx = _Context(facts, rules, day)
    results = [_condition(ctx, c) for c in rules.conditions]
    block, points_cond = _points(ctx)
    if points_cond is not None:
        results.append(points_cond)
    return {"conditions": results, "points": block, "outcome": _outcome(rules, results)}


def policy_cite(rules: PolicyRules) -> dict[str, Any]:
    return {
        "version_id": rules.version_id,
        "policy_id": rules.policy_id,
        "policy": rules.policy_name,
        "number": rules.number,
        "route": rules.route,
        "purpose": rules.purpose,
        "effective_from": rules.effective_from.isoformat(),
        "effective_to": rules.effective_to.isoformat() if rules.effective_to else None,
        "source": rules.source,
        "trust": rules.trust,
        "group": rules.group_name,
    }


def evaluate(
    facts: WorkerFacts, rules: PolicyRules, day: dt.date, *, project: bool = True
) -> dict[str, Any]:
    """The full answer for one worker, one policy version, one day (JSON-ready)."""
    answer = _core(facts, rules, day)
    answer.update(
        progress=round(_mean_progress(answer["conditions"]), 4),
        worker_id=facts.worker_id,
        city=rules.city,
        city_name=rules.city_name,
        as_of=day.isoformat(),
        policy=policy_cite(rules),
        eligible_on=None,
        months_to_eligible=None,
    )
    if project and answer["outcome"] == Outcome.NOT_YET:
        _project(facts, rules, day, answer)
    answer["path"] = _path(answer)
    return answer


def _project(facts: WorkerFacts, rules: PolicyRules, day: dt.date, answer: dict[str, Any]) -> None:
    """Re-evaluate month by month, ongoing spells continuing, up to HORIZON_MONTHS ahead."""
    pending = {
        i for i, r in enumerate(answer["conditions"]) if r["status"] == ConditionStatus.UNMET
    }
    for k in range(1, HORIZON_MONTHS + 1):
        future = add_months(day, k)
        later = _core(facts, rules, future)
        for i in list(pending):
            if later["conditions"][i]["status"] == ConditionStatus.MET:
                answer["conditions"][i]["met_on"] = future.isoformat()
                pending.discard(i)
        if later["outcome"] in (Outcome.ELIGIBLE, Outcome.SUBJECT_TO_CHECKS):
            answer["eligible_on"] = future.isoformat()
            answer["months_to_eligible"] = k
            break
        if not pending:
            break


def _path(answer: dict[str, Any]) -> list[str]:
    steps = []
    for r in answer["conditions"]:
        if r["status"] == ConditionStatus.MET or not r["missing"]:
            continue
        text = r["missing"]
        if r["blocking"]:
            text = _("%(what)s (this cannot be changed)") % {"what": text}
        elif r["met_on"]:
            text = _(
                "%(what)s — met on %(date)s if the current contributions and residence continue"
            ) % {
                "what": text,
                "date": r["met_on"],
            }
        steps.append(text)
    return steps
