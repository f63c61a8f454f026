"""The engine compiled for bulk work: the same rules as `engine`, without explanations.

`features(facts, day)` turns a worker into per-city month sets once (bit sets, as in `engine`);
`compile_rules(rules)` turns a policy version into a closure over its constants that maps those
features to (outcome, points total). A check is then a handful of bit operations and
comparisons, so the whole registry is evaluated in a plain loop without a query per worker
(`services.batch`, `bulk.version_impact`, benchmarks/bench_settlement.py). tests/test_compiled.py
checks that it gives the same outcome and total as `engine.evaluate` on random workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gongyou.classifications.enums import EDUCATION_RANK

from .engine import (
    BLOCKING_FACTS,
    LEGAL_HOUSING,
    RENTED_LIKE,
    PolicyRules,
    WorkerFacts,
    age_on,
    fmt,
    month_of,
    months_mask,
    run_ending_at,
)
from .enums import FactKey, Outcome, Route, Tenure

MET, UNKNOWN, UNMET, BLOCKED = 0, 1, 2, 3
ZERO = Decimal(0)


@dataclass
class CityFeatures:
    si: dict[str, int] = field(default_factory=dict)  # kind -> months
    res: dict[tuple[bool, str], int] = field(default_factory=dict)  # (permit, tenure) -> months
    permit_now: bool = False
    housing_now: bool = False
    # Common unions, filled by `features` (generated checks read them as attributes).
    si_any: int = 0
    res_all: int = 0
    res_permit: int = 0
    owned: int = 0
    owned_permit: int = 0
    rented_like: int = 0
    rented_like_permit: int = 0
    _cache: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def si_mask(self, kinds: tuple[str, ...]) -> int:
        key = ("si", kinds)
        mask = self._cache.get(key)
        if mask is None:
            mask = 0
            for kind, m in self.si.items():
                if not kinds or kind in kinds:
                    mask |= m
            self._cache[key] = mask
        return mask

    def fill(self) -> None:
        si_any = 0
        for m in self.si.values():
            si_any |= m
        res_all = res_permit = owned = owned_permit = rented = rented_permit = 0
        for (permit, tenure), m in self.res.items():
            res_all |= m
            if permit:
                res_permit |= m
            if tenure == Tenure.OWNED:
                owned |= m
                if permit:
                    owned_permit |= m
            elif tenure in RENTED_LIKE:
                rented |= m
                if permit:
                    rented_permit |= m
        self.si_any, self.res_all, self.res_permit = si_any, res_all, res_permit
        self.owned, self.owned_permit = owned, owned_permit
        self.rented_like, self.rented_like_permit = rented, rented_permit

    def res_mask(self, permit_only: bool, tenures: tuple[str, ...]) -> int:
        key = ("res", permit_only, tenures)
        mask = self._cache.get(key)
        if mask is None:
            mask = 0
            for (permit, tenure), m in self.res.items():
                if (permit or not permit_only) and (not tenures or tenure in tenures):
                    mask |= m
            self._cache[key] = mask
        return mask


@dataclass
class Features:
    worker_id: int
    month: int
    birth_date: dt.date
    age: int
    education: str
    skill: int | None
    declared: dict[str, Decimal]
    cities: dict[str, CityFeatures]


EMPTY = CityFeatures()


def features(facts: WorkerFacts, day: dt.date) -> Features:
    # The batch's inner loop: months_mask is inlined and a city's features built once.
    month = month_of(day)
    cities: dict[str, CityFeatures] = {}
    for s in facts.contributions:
        first = s.start
        if first > month:
            continue
        c = cities.get(s.city)
        if c is None:
            c = cities[s.city] = CityFeatures()
        last = month if s.end is None or s.end > month else s.end
        mask = ((1 << (last - first + 1)) - 1) << max(first, 0) if last >= first else 0
        c.si[s.kind] = c.si.get(s.kind, 0) | mask
    for s in facts.residences:
        first = s.start
        if first > month:
            continue
        c = cities.get(s.city)
        if c is None:
            c = cities[s.city] = CityFeatures()
        last = month if s.end is None or s.end > month else s.end
        key = (s.permit, s.tenure)
        c.res[key] = c.res.get(key, 0) | months_mask(first, last)
        if last == month:
            c.permit_now = c.permit_now or s.permit
            c.housing_now = c.housing_now or s.tenure in LEGAL_HOUSING
    for c in cities.values():
        c.fill()
    levels = [
        c.level
        for c in facts.certificates
        if c.issued_on <= day and (c.expires_on is None or c.expires_on >= day)
    ]
    return Features(
        worker_id=facts.worker_id,
        month=month,
        birth_date=facts.birth_date,
        age=age_on(facts.birth_date, day),
        education=facts.education,
        skill=min(levels) if levels else None,
        declared=facts.declared,
        cities=cities,
    )


def _c(value: Any) -> int:
    """Points in hundredths (the engine shows two decimals), rounded half away from zero."""
    return int((Decimal(str(value)) * 100).to_integral_value(ROUND_HALF_UP))


def _twelfths(num: int) -> int:
    """num / 12 rounded half away from zero (num: points-hundredths × months)."""
    q, r = divmod(abs(num), 12)
    q += 1 if 2 * r >= 12 else 0
    return q if num >= 0 else -q


def _cap(value: int, cap: int) -> int:
    return cap if value > cap else -cap if value < -cap else value


def _any_of(statuses: tuple[int, ...]) -> int:
    if MET in statuses:
        return MET
    if UNKNOWN in statuses:
        return UNKNOWN
    return BLOCKED if all(s == BLOCKED for s in statuses) else UNMET


def _merge(f: Features, codes: tuple[str, ...]) -> CityFeatures:
    """The union of several cities' features (a city group)."""
    out = CityFeatures()
    for code in codes:
        c = f.cities.get(code)
        if c is None:
            continue
        for kind, m in c.si.items():
            out.si[kind] = out.si.get(kind, 0) | m
        for key, m in c.res.items():
            out.res[key] = out.res.get(key, 0) | m
    out.fill()
    return out


class _Gen:
    """Builds the source of one policy's check: one function, every condition and item inlined
    as an expression over the worker's features, constants bound in its namespace."""

    def __init__(self, rules: PolicyRules) -> None:
        self.rules = rules
        self.ns: dict[str, Any] = {
            "EMPTY": EMPTY,
            "_run": run_ending_at,
            "_merge": _merge,
            "_twelfths": _twelfths,
            "_cap": _cap,
            "_c": _c,
            "_any_of": _any_of,
            "_ER": EDUCATION_RANK,
        }
        self.uses_group = False

    def const(self, value: Any) -> str:
        name = f"_k{len(self.ns)}"
        self.ns[name] = value
        return name

    def src(self, in_group: bool) -> str:
        if in_group and self.rules.group_cities:
            self.uses_group = True
            return "G"
        return "C"

    @staticmethod
    def si(src: str, kinds: tuple[str, ...]) -> str:
        if not kinds:
            return f"{src}.si_any"
        return "(" + " | ".join(f"{src}.si.get({k!r}, 0)" for k in kinds) + ")"

    @staticmethod
    def res(src: str, permit_only: bool, tenures: tuple[str, ...]) -> str:
        suffix = "_permit" if permit_only else ""
        if not tenures:
            return f"{src}.res{'_permit' if permit_only else '_all'}"
        if tuple(tenures) == (Tenure.OWNED,):
            return f"{src}.owned{suffix}"
        if set(tenures) == set(RENTED_LIKE):
            return f"{src}.rented_like{suffix}"
        return f"{src}.res_mask({permit_only!r}, {tuple(str(t) for t in tenures)!r})"

    def condition(self, c: dict[str, Any]) -> str:
        kind = c["type"]
        if kind in ("social_insurance", "residence"):
            src = self.src(bool(c.get("in_group")))
            if kind == "social_insurance":
                mask = self.si(src, tuple(c.get("kinds") or ()))
                if c.get("while_permit"):
                    mask = f"({mask} & {src}.res_permit)"
            else:
                mask = self.res(src, bool(c.get("permit_only")), tuple(c.get("tenures") or ()))
            if c.get("consecutive"):
                have = f"max(_run({mask}, M), _run({mask}, M - 1))"
            else:
                have = f"{mask}.bit_count()"
            return f"(0 if {have} >= {int(c['min_months'])} else 2)"
        if kind == "residence_permit":
            return "(0 if C.permit_now else 2)"
        if kind == "stable_job_or_housing":
            job = (
                "((C.si_any >> M) & 1 or (C.si_any >> (M - 1)) & 1 "
                f"or D.get({str(FactKey.STABLE_EMPLOYMENT)!r}, 0) >= 1)"
            )
            accept = c.get("accept", "either")
            ok = {"job": job, "housing": "C.housing_now", "either": f"({job} or C.housing_now)"}
            return f"(0 if {ok[accept]} else 2)"
        if kind == "age":
            lo, hi, born = c.get("min_age"), c.get("max_age"), c.get("born_on_or_after")
            limit = dt.date.fromisoformat(born) if isinstance(born, str) else born
            if lo is None and hi is None and not limit:
                return "1"
            parts = []
            if limit:
                parts.append(f"3 if f.birth_date < {self.const(limit)} else")
            if hi is not None:
                parts.append(f"3 if A > {int(hi)} else")
            if lo is not None:
                parts.append(f"2 if A < {int(lo)} else")
            return "(" + " ".join(parts) + " 0)"
        if kind == "skill_level":
            return f"(0 if f.skill is not None and f.skill <= {int(c['max_level'])} else 2)"
        if kind == "education":
            rank = EDUCATION_RANK[c["min_level"]]
            return f"(1 if not f.education else 0 if _ER.get(f.education, -1) >= {rank} else 2)"
        if kind == "declared":
            need = self.const(Decimal(str(c.get("min_value", 1))))
            fail = BLOCKED if c["fact"] in BLOCKING_FACTS else UNMET
            value = f"D.get({str(c['fact'])!r})"
            return f"(1 if {value} is None else 0 if {value} >= {need} else {fail})"
        if kind == "any_of":
            options = []
            for option in c["options"]:
                exprs = [self.condition(x) for x in option]
                options.append(exprs[0] if len(exprs) == 1 else f"max({', '.join(exprs)})")
            return f"_any_of(({', '.join(options)},))"
        raise ValueError(f"unknown condition type {kind}")

    @staticmethod
    def per_year(months: str, per: int, whole: bool) -> str:
        if whole:
            return f"(({months}) // 12) * {per}"
        if per >= 0:
            return f"((2 * ({months}) * {per} + 12) // 24)"
        return f"_twelfths(({months}) * {per})"

    def item(self, i: dict[str, Any]) -> str:
        kind = i["type"]
        whole = bool(i.get("whole_years"))
        signed = False
        if kind == "insurance_years":
            src = self.src(bool(i.get("in_group")))
            per = _c(i["per_year"])
            signed = per < 0
            expr = self.per_year(
                f"{self.si(src, tuple(i.get('kinds') or ()))}.bit_count()", per, whole
            )
        elif kind == "residence_years":
            src = self.src(bool(i.get("in_group")))
            permit_only = bool(i.get("permit_only"))
            owned = self.res(src, permit_only, (Tenure.OWNED,))
            rented = self.res(src, permit_only, tuple(sorted(RENTED_LIKE)))
            po, pr = _c(i["per_year_owned"]), _c(i["per_year_rented"])
            signed = po < 0 or pr < 0
            m_owned, m_rented = f"{owned}.bit_count()", f"({rented} & ~{owned}).bit_count()"
            if whole:
                expr = f"(({m_owned}) // 12 * {po} + ({m_rented}) // 12 * {pr})"
            else:
                expr = f"_twelfths({m_owned} * {po} + {m_rented} * {pr})"
        elif kind == "permit_years":
            per = _c(i["per_year"])
            signed = per < 0
            expr = self.per_year("C.res_permit.bit_count()", per, whole)
        elif kind == "education":
            values = self.const({k: _c(v) for k, v in i["values"].items()})
            expr = f"({values}.get(f.education, 0) if f.education else 0)"
            signed = any(_c(v) < 0 for v in i["values"].values())
        elif kind == "skill_level":
            values = self.const({int(k): _c(v) for k, v in i["values"].items()})
            expr = f"({values}.get(f.skill, 0) if f.skill else 0)"
            signed = any(_c(v) < 0 for v in i["values"].values())
        elif kind == "age":
            bands = " ".join(
                f"{_c(b['points'])} if A <= {int(b['max_age'])} else" for b in i["bands"]
            )
            expr = f"({bands} 0)"
            signed = any(_c(b["points"]) < 0 for b in i["bands"])
        elif kind == "declared":
            per_unit = self.const(Decimal(str(i["per_unit"])))
            value = f"D.get({str(i['fact'])!r})"
            expr = f"(0 if {value} is None else _c({value} * {per_unit}))"
            signed = True
        else:
            raise ValueError(f"unknown points item type {kind}")
        if i.get("cap") is not None:
            cap = _c(i["cap"])
            expr = f"_cap({expr}, {cap})" if signed else f"min({expr}, {cap})"
        return expr

    def source(self) -> str:
        rules = self.rules
        conditions = [self.condition(c) for c in rules.conditions]
        items = [self.item(i) for i in rules.points_items]
        has_points = rules.route == Route.POINTS or bool(rules.points_items)
        limit = rules.pass_mark if rules.pass_mark is not None else rules.last_cutoff
        lines = [
            "def check(f):",
            f"    C = f.cities.get({rules.city!r}, EMPTY)",
            "    M = f.month",
            "    A = f.age",
            "    D = f.declared",
        ]
        if self.uses_group:
            codes = tuple(sorted(rules.group_cities | {rules.city}))
            lines.append(f"    G = _merge(f, {codes!r})")
        if not conditions:
            lines.append("    s = 0")
        elif len(conditions) == 1:
            lines.append(f"    s = {conditions[0]}")
        else:
            lines.append("    s = max(" + ", ".join(conditions) + ")")
        lines.append("    total = None")
        lines.append("    points_unknown = False")
        if has_points:
            lines.append("    total = " + (" + ".join(items) if items else "0"))
            if not items or limit is None:
                lines.append("    points_unknown = True")
                lines.append("    s = s if s > 1 else 1")
            else:
                lines.append(f"    if total < {_c(limit)} and s < 2:")
                lines.append("        s = 2")
        lines.append("    return s, total, points_unknown")
        return "\n".join(lines) + "\n"


def compile_source(rules: PolicyRules) -> tuple[str, dict[str, Any]]:
    gen = _Gen(rules)
    source = gen.source()
    return source, gen.ns


def compile_rules(rules: PolicyRules) -> Callable[[Features], tuple[str, str | None]]:
    """One policy version as a function: features -> (outcome, points total or None)."""
    has_points = rules.route == Route.POINTS or bool(rules.points_items)
    if not rules.conditions and not has_points:
        fixed = Outcome.ELIGIBLE if rules.route == Route.NO_RESTRICTION else Outcome.UNKNOWN

        def constant(f: Features) -> tuple[str, str | None]:
            return fixed, None

        return constant
    source, namespace = compile_source(rules)
    exec(compile(source, f"<policy version {rules.version_id}>", "exec"), namespace)  # noqa: S102 - source built from validated rules only
    check = namespace["check"]
    outcomes = {
        BLOCKED: Outcome.NOT_ELIGIBLE,
        UNMET: Outcome.NOT_YET,
        MET: Outcome.ELIGIBLE,
    }

    def run(f: Features) -> tuple[str, str | None]:
        worst, total, points_unknown = check(f)
        if worst == UNKNOWN:
            outcome = Outcome.UNKNOWN if points_unknown else Outcome.SUBJECT_TO_CHECKS
        else:
            outcome = outcomes[worst]
        return outcome, fmt(Decimal(total) / 100) if total is not None else None

    run.check = check  # type: ignore[attr-defined]  # the raw check, for the benchmark
    return run
