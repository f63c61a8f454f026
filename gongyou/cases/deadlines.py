"""Statutory time limits as data, and how legal periods are counted (pure: no database).

The rules are domain-facts §3.3 with their legal source and trust tag; counting follows §3.4:

- the start day is not counted (Civil Code Art. 201);
- months and years end on the corresponding date of the final month, or on its last day when
  it has none (Art. 202: one month from 31 January ends on 28/29 February);
- a period in calendar days, months or years whose last day is a statutory holiday or rest day
  ends on the next working day (Art. 203); holidays inside the period are not deducted;
- a period in working days counts only working days: statutory holidays and weekends are
  skipped and adjusted working days (调休) count.

The working-day calendar is the `chinesecalendar` package (the State Council's annual notices;
1.11.0 covers 2004–2026) corrected or extended by administrators' HolidayCalendarDay rows. A
year that neither covers is guessed as Monday–Friday and the result says `calendar_missing`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import chinese_calendar
from chinese_calendar import constants as _cc

from .enums import CaseStatus, DeadlineKind, DeadlineUnit

PACKAGE_YEARS = range(min(d.year for d in _cc.holidays), max(d.year for d in _cc.holidays) + 1)


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    length: int
    unit: str
    legal_basis: str
    trust: str  # V verified, S secondary, U unverified (domain-facts.md)
    starts: str  # what the start date is, for people
    extension: int = 0  # how much the law allows to add, once, in `unit`; 0 = none


K, U = DeadlineKind, DeadlineUnit
RULES: dict[str, DeadlineRule] = {
    K.MEDIATION: DeadlineRule(
        K.MEDIATION, 15, U.CALENDAR_DAYS,
        "劳动争议调解仲裁法 (LDMAL) Art. 14: no agreement within 15 days, arbitration is open",
        "V", "mediation begins",
    ),
    K.ARBITRATION_LIMITATION: DeadlineRule(
        K.ARBITRATION_LIMITATION, 1, U.YEARS,
        "LDMAL Art. 27: 1 year from when the worker knew or should have known of the infringement",
        "V", "infringement known",
    ),
    K.ARBITRATION_ACCEPTANCE: DeadlineRule(
        K.ARBITRATION_ACCEPTANCE, 5, U.CALENDAR_DAYS,
        "LDMAL Art. 29: decide within 5 days of receipt whether to accept", "V",
        "application received (referral to arbitration)",
    ),
    K.ARBITRATION_AWARD: DeadlineRule(
        K.ARBITRATION_AWARD, 45, U.CALENDAR_DAYS,
        "LDMAL Art. 43: award within 45 days of acceptance; complex cases once by up to 15 days",
        "V", "application accepted", extension=15,
    ),
    K.INSPECTION_ACCEPTANCE: DeadlineRule(
        K.INSPECTION_ACCEPTANCE, 5, U.WORKING_DAYS,
        "关于实施《劳动保障监察条例》若干规定 (MOLSS Order 25) Art. 18: accept within 5 working days",
        "V", "complaint received (referral to labour inspection)",
    ),
    K.INSPECTION_INVESTIGATION: DeadlineRule(
        K.INSPECTION_INVESTIGATION, 60, U.WORKING_DAYS,
        "劳动保障监察条例 Art. 17: 60 working days from opening; complex cases +30 with approval",
        "V", "case opened (complaint accepted)", extension=30,
    ),
    K.INJURY_APPLICATION_EMPLOYER: DeadlineRule(
        K.INJURY_APPLICATION_EMPLOYER, 30, U.CALENDAR_DAYS,
        "工伤保险条例 (2010) Art. 17: employer applies within 30 days of the accident or diagnosis",
        "V", "accident or occupational-disease diagnosis",
    ),
    K.INJURY_APPLICATION_WORKER: DeadlineRule(
        K.INJURY_APPLICATION_WORKER, 1, U.YEARS,
        "工伤保险条例 Art. 17: the worker, close relatives or the union apply within 1 year",
        "V", "accident or occupational-disease diagnosis",
    ),
    K.INJURY_DECISION: DeadlineRule(
        K.INJURY_DECISION, 60, U.CALENDAR_DAYS,
        "工伤保险条例 Art. 20: decide within 60 days of accepting the application",
        "V", "application accepted",
    ),
}  # fmt: skip

# Entering a status starts these deadlines (from the day of the transition).
STAGE_STARTS: dict[str, tuple[str, ...]] = {
    CaseStatus.MEDIATION: (K.MEDIATION,),
    CaseStatus.REFERRED_ARBITRATION: (K.ARBITRATION_ACCEPTANCE,),
    CaseStatus.REFERRED_LABOUR_INSPECTION: (K.INSPECTION_ACCEPTANCE,),
}
# Entering a status meets these (applying for arbitration stops the limitation clock).
STAGE_MEETS: dict[str, tuple[str, ...]] = {
    CaseStatus.REFERRED_ARBITRATION: (K.ARBITRATION_LIMITATION,),
}
# Deadlines that belong to one stage and stop when the case leaves it.
STAGE_OF: dict[str, str] = {
    K.MEDIATION: CaseStatus.MEDIATION,
    K.ARBITRATION_ACCEPTANCE: CaseStatus.REFERRED_ARBITRATION,
    K.ARBITRATION_AWARD: CaseStatus.REFERRED_ARBITRATION,
    K.INSPECTION_ACCEPTANCE: CaseStatus.REFERRED_LABOUR_INSPECTION,
    K.INSPECTION_INVESTIGATION: CaseStatus.REFERRED_LABOUR_INSPECTION,
}
# Meeting a deadline starts the next one, from the day it was met.
FOLLOW_ON: dict[str, str] = {
    K.ARBITRATION_ACCEPTANCE: K.ARBITRATION_AWARD,
    K.INSPECTION_ACCEPTANCE: K.INSPECTION_INVESTIGATION,
    K.INJURY_APPLICATION_EMPLOYER: K.INJURY_DECISION,
    K.INJURY_APPLICATION_WORKER: K.INJURY_DECISION,
}
# Meeting one of these makes the other pointless (one application is enough).
ALTERNATIVES: dict[str, tuple[str, ...]] = {
    K.INJURY_APPLICATION_EMPLOYER: (K.INJURY_APPLICATION_WORKER,),
    K.INJURY_APPLICATION_WORKER: (K.INJURY_APPLICATION_EMPLOYER,),
}


@dataclass
class WorkCalendar:
    """Working days: administrators' rows first, then the package, else Monday–Friday (missing)."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.override_years = {d.year for d in self.overrides}

    def knows(self, day: dt.date) -> bool:
        return day.year in PACKAGE_YEARS or day.year in self.override_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5


class DueDate(NamedTuple):
    due: dt.date
    calendar_missing: bool  # some day that decided the result lies in a year with no calendar


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding date `months` later, or the last day of that month (Civil Code Art. 202)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(*, start: dt.date, length: int, unit: str, cal: WorkCalendar) -> DueDate:
    """The last day of a period of `length` `unit`s that begins on `start` (not counted)."""
    if length < 1:
        raise ValueError("a period is at least one unit long")
    missing = False

    def working(day: dt.date) -> bool:
        nonlocal missing
        missing = missing or not cal.knows(day)
        return cal.is_working_day(day)

    if unit == DeadlineUnit.WORKING_DAYS:
        day, counted = start, 0
        while counted < length:
            day += dt.timedelta(days=1)
            counted += working(day)
        return DueDate(day, missing)
    if unit == DeadlineUnit.CALENDAR_DAYS:
        day = start + dt.timedelta(days=length)
    elif unit == DeadlineUnit.MONTHS:
        day = add_months(start, length)
    elif unit == DeadlineUnit.YEARS:
        day = add_months(start, 12 * length)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    while not working(day):
        day += dt.timedelta(days=1)
    return DueDate(day, missing)


def rule_due_date(*, kind: str, start: dt.date, cal: WorkCalendar, extended_by: int = 0) -> DueDate:
    rule = RULES[kind]
    return due_date(start=start, length=rule.length + extended_by, unit=rule.unit, cal=cal)
