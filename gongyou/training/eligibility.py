"""Skill-level application eligibility as data (domain facts §2.1): validating a rule's
conditions, and evaluating the rules for one worker with a worded answer for each condition.

A level has routes (EligibilityRule rows); a route holds when all its conditions hold; the
worker may apply when any route holds. Occupation-specific rules replace the general template
for that occupation and level.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from gongyou.classifications.enums import CertificateKind, SkillLevel

from .enums import ConditionType, DiplomaKind

SEED_FILE = Path(__file__).resolve().parent / "data" / "eligibility_rules.json"
SEED_SOURCE = "domain facts §2.1 (national occupational skill standards template)"


def conditions_problems(conditions: Any) -> list[str]:
    """What is wrong with a list of conditions, in words (empty = valid)."""
    if not isinstance(conditions, list) or not conditions:
        return [_("A route needs at least one condition (a JSON list).")]
    problems: list[str] = []
    for i, cond in enumerate(conditions, start=1):
        if not isinstance(cond, dict):
            problems.append(_("Condition %(i)d is not an object.") % {"i": i})
            continue
        kind = cond.get("type")
        keys = set(cond) - {"type"}
        if kind == ConditionType.YEARS_IN_OCCUPATION:
            years = cond.get("min")
            if (
                keys != {"min"}
                or not isinstance(years, int)
                or isinstance(years, bool)
                or not 0 < years <= 50
            ):
                problems.append(
                    _("Condition %(i)d: years_in_occupation needs min, 1 to 50 years.") % {"i": i}
                )
        elif kind == ConditionType.APPRENTICESHIP:
            if keys:
                problems.append(_("Condition %(i)d: apprenticeship takes no values.") % {"i": i})
        elif kind == ConditionType.HOLDS_LEVEL:
            level, years = cond.get("level"), cond.get("years_after", 0)
            if not keys <= {"level", "years_after"} or level not in SkillLevel.values:
                problems.append(
                    _("Condition %(i)d: holds_level needs a level from 5 to 1.") % {"i": i}
                )
            elif not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= 50:
                problems.append(_("Condition %(i)d: years_after is 0 to 50 years.") % {"i": i})
        elif kind == ConditionType.DIPLOMA:
            kinds = cond.get("any_of")
            if (
                keys != {"any_of"}
                or not isinstance(kinds, list)
                or not kinds
                or not set(kinds) <= set(DiplomaKind.values)
            ):
                problems.append(
                    _("Condition %(i)d: diploma needs any_of, a list of: %(k)s.")
                    % {"i": i, "k": ", ".join(DiplomaKind.values)}
                )
        else:
            problems.append(
                _("Condition %(i)d: unknown type; use one of %(t)s.")
                % {"i": i, "t": ", ".join(ConditionType.values)}
            )
    return problems


def level_name(level: int) -> str:
    return str(SkillLevel(level).label)


def describe(cond: dict[str, Any]) -> str:
    """A condition in words (rules page)."""
    kind = cond.get("type")
    if kind == ConditionType.YEARS_IN_OCCUPATION:
        return _("at least %(n)d years of work in the occupation") % {"n": cond["min"]}
    if kind == ConditionType.APPRENTICESHIP:
        return _("a completed apprenticeship")
    if kind == ConditionType.HOLDS_LEVEL:
        text = _("a %(level)s certificate in the occupation (or higher)") % {
            "level": level_name(cond["level"])
        }
        if cond.get("years_after"):
            text += _(" and %(n)d years of work since obtaining it") % {"n": cond["years_after"]}
        return text
    if kind == ConditionType.DIPLOMA:
        names = [str(DiplomaKind(k).label) for k in cond["any_of"]]
        return _("a relevant diploma: %(d)s") % {"d": _(" or ").join(names)}
    return str(kind)


@dataclass
class ConditionResult:
    met: bool
    text: str


@dataclass
class RouteResult:
    route: str
    trust: str
    source: str
    met: bool
    conditions: list[ConditionResult] = field(default_factory=list)


@dataclass
class EligibilityAnswer:
    level: int
    occupation: str
    eligible: bool
    standard: str  # "occupation" (own rules) or "general" (the template) or "none"
    routes: list[RouteResult]
    already_holds: bool
    best_level: int | None
    inputs: dict[str, Any]

    @property
    def missing(self) -> list[str]:
        """Per route not met, what is missing (the answer's explanation)."""
        return [
            f"{r.route}: " + "; ".join(c.text for c in r.conditions if not c.met)
            for r in self.routes
            if not r.met
        ]


def _years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def evaluate(
    *,
    rules: Iterable[Any],
    occupation: str,
    level: int,
    certificates: Iterable[Any],
    years_in_occupation: int | None,
    apprenticeship: bool,
    diplomas: Iterable[str],
    today: dt.date,
    standard: str,
) -> EligibilityAnswer:
    """Evaluate `rules` (the routes to `level`) for a worker's skill-level certificates in
    `occupation` and the declared inputs."""
    certs = [
        c
        for c in certificates
        if c.kind == CertificateKind.SKILL_LEVEL and c.occupation_id == occupation and c.level
    ]
    best = min((c.level for c in certs), default=None)
    held_diplomas = set(diplomas)
    routes: list[RouteResult] = []
    for rule in rules:
        results: list[ConditionResult] = []
        for cond in rule.conditions:
            results.append(
                _check(cond, certs, years_in_occupation, apprenticeship, held_diplomas, today)
            )
        routes.append(
            RouteResult(
                route=rule.route,
                trust=rule.trust,
                source=rule.source,
                met=all(r.met for r in results),
                conditions=results,
            )
        )
    return EligibilityAnswer(
        level=level,
        occupation=occupation,
        eligible=any(r.met for r in routes),
        standard=standard if routes else "none",
        routes=routes,
        already_holds=best is not None and best <= level,
        best_level=best,
        inputs={
            "years_in_occupation": years_in_occupation,
            "apprenticeship": apprenticeship,
            "diplomas": sorted(held_diplomas),
        },
    )


def _check(
    cond: dict[str, Any],
    certs: list[Any],
    years: int | None,
    apprenticeship: bool,
    diplomas: set[str],
    today: dt.date,
) -> ConditionResult:
    kind = cond.get("type")
    if kind == ConditionType.YEARS_IN_OCCUPATION:
        need = cond["min"]
        if years is None:
            return ConditionResult(
                False,
                _("Needs %(n)d years of work in the occupation; enter the years worked.")
                % {"n": need},
            )
        if years >= need:
            return ConditionResult(
                True, _("%(y)d years in the occupation (needs %(n)d).") % {"y": years, "n": need}
            )
        return ConditionResult(
            False,
            _("Needs %(n)d years of work in the occupation; %(y)d entered, %(m)d more needed.")
            % {"n": need, "y": years, "m": need - years},
        )
    if kind == ConditionType.APPRENTICESHIP:
        if apprenticeship:
            return ConditionResult(True, _("Completed an apprenticeship."))
        return ConditionResult(False, _("Needs a completed apprenticeship; none declared."))
    if kind == ConditionType.HOLDS_LEVEL:
        need_level, need_years = cond["level"], cond.get("years_after", 0)
        qualifying = [c for c in certs if c.level <= need_level]
        if not qualifying:
            return ConditionResult(
                False,
                _("Needs a %(level)s certificate in this occupation; the worker has none.")
                % {"level": level_name(need_level)},
            )
        first = min(qualifying, key=lambda c: c.issued_on)
        if not need_years:
            return ConditionResult(
                True,
                _("Holds %(level)s (certificate %(no)s).")
                % {"level": level_name(first.level), "no": first.certificate_no},
            )
        since = _years_between(first.issued_on, today)
        if years is None:
            return ConditionResult(
                False,
                _(
                    "Needs %(n)d years of work after obtaining %(level)s (certificate of "
                    "%(d)s, %(s)d years ago); enter the years worked in the occupation."
                )
                % {
                    "n": need_years,
                    "level": level_name(need_level),
                    "d": first.issued_on,
                    "s": since,
                },
            )
        after = min(years, since)
        if after >= need_years:
            return ConditionResult(
                True,
                _("%(a)d years of work since obtaining %(level)s on %(d)s (needs %(n)d).")
                % {
                    "a": after,
                    "level": level_name(first.level),
                    "d": first.issued_on,
                    "n": need_years,
                },
            )
        return ConditionResult(
            False,
            _(
                "Needs %(n)d years of work after obtaining %(level)s; counted %(a)d "
                "(certificate of %(d)s; %(y)d years in the occupation entered), %(m)d more needed."
            )
            % {
                "n": need_years,
                "level": level_name(need_level),
                "a": after,
                "d": first.issued_on,
                "y": years,
                "m": need_years - after,
            },
        )
    if kind == ConditionType.DIPLOMA:
        wanted = [k for k in cond["any_of"] if k in DiplomaKind.values]
        found = [k for k in wanted if k in diplomas]
        names = _(" or ").join(str(DiplomaKind(k).label) for k in wanted)
        if found:
            return ConditionResult(
                True, _("Holds a relevant diploma: %(d)s.") % {"d": DiplomaKind(found[0]).label}
            )
        return ConditionResult(
            False, _("Needs a relevant diploma (%(d)s); none declared.") % {"d": names}
        )
    return ConditionResult(False, _("Unknown condition."))


def seed_rules(rule_model: Any) -> int:
    """Create the general template rules that are missing (the data migration and tests)."""
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    created = 0
    for row in data["rules"]:
        assert not conditions_problems(row["conditions"]), row
        _obj, made = rule_model.objects.get_or_create(
            occupation=None,
            level=row["level"],
            route=row["route"],
            defaults={
                "conditions": row["conditions"],
                "trust": row["trust"],
                "source": data["source"][:300],
            },
        )
        created += made
    return created
