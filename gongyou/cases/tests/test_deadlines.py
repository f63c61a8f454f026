"""Every rule and counting principle of cases/deadlines.py (domain-facts §3.3, §3.4).

The holiday dates used below were checked against the chinesecalendar 1.11.0 data: Spring
Festival 2025 is 28 Jan – 4 Feb with Sunday 26 Jan and Saturday 8 Feb as working days; National
Day 2025 is 1–8 Oct with Sunday 28 Sep and Saturday 11 Oct as working days; Labour Day 2025 is
1–5 May with Sunday 27 Apr a working day; Qingming is 4–6 Apr; Dragon Boat 31 May – 2 Jun.
"""

import datetime as dt

import chinese_calendar
import pytest

from gongyou.cases.deadlines import RULES, WorkCalendar, add_months, due_date, rule_due_date
from gongyou.cases.enums import DeadlineKind

D = dt.date
CAL = WorkCalendar()


def test_the_calendar_package_has_the_dates_this_file_relies_on():
    for day in ("2025-01-28", "2025-02-04", "2025-10-01", "2025-10-08", "2025-05-05"):
        assert chinese_calendar.is_holiday(D.fromisoformat(day)), day
    for day in ("2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11", "2025-04-27"):
        assert chinese_calendar.is_workday(D.fromisoformat(day)), day
    assert not chinese_calendar.is_workday(D(2025, 1, 25))  # an ordinary Saturday


def days(start, n, unit="calendar_days", cal=CAL):
    return due_date(start=start, length=n, unit=unit, cal=cal)


# --- working days ---------------------------------------------------------------------------


def test_working_days_across_the_2025_spring_festival():
    # Fri 24 Jan: Sat 25 off, Sun 26 adjusted working day (1), Mon 27 (2), 28 Jan–4 Feb
    # holiday, Wed 5 (3), Thu 6 (4), Fri 7 Feb (5).
    assert days(D(2025, 1, 24), 5, "working_days") == (D(2025, 2, 7), False)
    # The adjusted Saturday 8 Feb counts: three working days after Wed 5 Feb end on it.
    assert days(D(2025, 2, 5), 3, "working_days").due == D(2025, 2, 8)
    # A period starting inside the holiday counts from the first working day after it.
    assert days(D(2025, 1, 29), 1, "working_days").due == D(2025, 2, 5)


def test_working_days_across_national_day_2025():
    # Fri 26 Sep: Sat 27 off, Sun 28 working (1), 29 (2), 30 (3), 1–8 Oct holiday,
    # Thu 9 (4), Fri 10 (5), Sat 11 Oct adjusted working day (6).
    assert days(D(2025, 9, 26), 5, "working_days").due == D(2025, 10, 10)
    assert days(D(2025, 9, 26), 6, "working_days").due == D(2025, 10, 11)


def test_start_day_is_not_counted():
    assert days(D(2025, 3, 3), 1, "working_days").due == D(2025, 3, 4)
    assert days(D(2025, 3, 3), 1).due == D(2025, 3, 4)


# --- calendar days: the last day moves off rest days and holidays ---------------------------


def test_last_day_on_a_weekend_moves_to_monday():
    assert days(D(2025, 3, 7), 15).due == D(2025, 3, 24)  # Sat 22 Mar -> Mon 24


def test_last_day_in_national_day_moves_past_the_holiday():
    # Like the Civil Code commentary's example (1 Oct -> first day after the holiday); in
    # 2025 the holiday runs to 8 Oct, so the period ends on Thu 9 Oct.
    assert days(D(2025, 9, 16), 15).due == D(2025, 10, 9)


def test_last_day_on_an_adjusted_working_saturday_stays():
    assert days(D(2025, 1, 24), 15).due == D(2025, 2, 8)


def test_holidays_inside_a_calendar_period_are_not_deducted():
    assert days(D(2025, 1, 20), 30).due == D(2025, 2, 19)


# --- months and years ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # no 31 Feb: the month's last day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 5, 28), 3, D(2025, 8, 28)),  # the Supreme People's Court's example
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
    ],
)
def test_months_end_on_the_corresponding_date_or_the_last_day(start, months, end):
    assert add_months(start, months) == end


def test_one_month_from_31_january_2025():
    assert days(D(2025, 1, 31), 1, "months") == (D(2025, 2, 28), False)  # a Friday


def test_a_year_ending_on_national_day_moves_past_it():
    assert days(D(2024, 10, 1), 1, "years").due == D(2025, 10, 9)


# --- every rule ------------------------------------------------------------------------------

START = D(2025, 3, 3)  # a Monday
EXPECTED = {
    DeadlineKind.MEDIATION: D(2025, 3, 18),  # 15 days
    DeadlineKind.ARBITRATION_ACCEPTANCE: D(2025, 3, 10),  # 5 days: Sat 8 -> Mon 10
    DeadlineKind.ARBITRATION_AWARD: D(2025, 4, 17),  # 45 days
    DeadlineKind.INSPECTION_ACCEPTANCE: D(2025, 3, 10),  # 5 working days
    # 60 working days: March 20, April 22 (Qingming 4 Apr off, Sun 27 Apr worked), May 18
    DeadlineKind.INSPECTION_INVESTIGATION: D(2025, 5, 29),
    DeadlineKind.INJURY_APPLICATION_EMPLOYER: D(2025, 4, 2),  # 30 days
    DeadlineKind.INJURY_APPLICATION_WORKER: D(2026, 3, 3),  # 1 year
    DeadlineKind.INJURY_DECISION: D(2025, 5, 6),  # 60 days: Fri 2 May in the holiday -> Tue 6
    DeadlineKind.ARBITRATION_LIMITATION: D(2026, 3, 3),  # 1 year
}


def test_every_rule_is_covered_here():
    assert set(EXPECTED) == set(RULES) == set(DeadlineKind.values)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_rule(kind):
    rule = RULES[kind]
    assert rule.legal_basis and rule.trust in {"V", "S", "U"}
    assert rule_due_date(kind=kind, start=START, cal=CAL) == (EXPECTED[kind], False)


def test_extensions_the_law_allows():
    extendable = {k: r.extension for k, r in RULES.items() if r.extension}
    assert extendable == {
        DeadlineKind.ARBITRATION_AWARD: 15,
        DeadlineKind.INSPECTION_INVESTIGATION: 30,
    }
    # 45 + 15 = 60 days -> Fri 2 May (Labour Day holiday) -> Tue 6 May
    award = rule_due_date(kind=DeadlineKind.ARBITRATION_AWARD, start=START, cal=CAL, extended_by=15)
    assert award.due == D(2025, 5, 6)
    # 60 + 30 working days: Fri 30 May, Dragon Boat 31 May-2 Jun, then June and July
    investigation = rule_due_date(
        kind=DeadlineKind.INSPECTION_INVESTIGATION, start=START, cal=CAL, extended_by=30
    )
    assert investigation.due == D(2025, 7, 11)


# --- missing calendar years and the administrators' table ------------------------------------


def test_a_year_without_a_calendar_is_flagged_not_silently_guessed():
    result = days(D(2026, 6, 1), 1, "years")
    assert result == (D(2027, 6, 1), True)  # Tue 1 Jun 2027, guessed as a working day
    assert days(D(2026, 12, 28), 5, "working_days").calendar_missing
    assert not days(D(2026, 12, 1), 5, "working_days").calendar_missing


def test_administrator_rows_extend_and_override_the_package():
    cal = WorkCalendar(overrides={D(2027, 6, 1): False, D(2027, 6, 2): False})
    assert days(D(2026, 6, 1), 1, "years", cal=cal) == (D(2027, 6, 3), False)
    # An override inside a covered year wins over the package (a corrected notice).
    fixed = WorkCalendar(overrides={D(2025, 3, 18): False})
    assert days(START, 15, cal=fixed).due == D(2025, 3, 19)


def test_periods_are_at_least_one_unit():
    with pytest.raises(ValueError):
        days(START, 0)
