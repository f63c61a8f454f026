"""Every rule and counting principle of cases/deadlines.py (domain-facts §3.3, §3.4).

The holiday dates used below were checked against the chinesecalendar 1.11.0 data: Spring
Festival 2025 is 28 Jan – 4 Feb with Sunday 26 Jan and Saturday 8 Feb as working days; National
Day 2025 is 1–8 Oct with Sunday 28 Sep and Saturday 11 Oct as working days; Labour Day 2025 is
1–5 May with Sunday 27 Apr a working day; Qingming is 4–6 Apr; Dragon Boat 31 May – 2 Jun.
"""

import datetime as dt

import chinese_calendar
import pytest

from gongyou.cases.deadlines import (
    PACKAGE_YEARS,
    RULES,
    WorkCalendar,
    add_months,
    due_date,
    rule_due_date,
)
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


# --- 2026: the current year, and the first year the package lacks ------------------------------
# chinesecalendar 1.11.0, checked: Spring Festival 2026 is Sun 15 – Mon 23 Feb with Saturdays
# 14 and 28 Feb as working days; Mid-Autumn is 25–27 Sep and National Day 1–7 Oct 2026 with
# Sunday 20 Sep and Saturday 10 Oct as working days.


def test_the_package_has_the_2026_notice():
    assert 2026 in PACKAGE_YEARS
    for day in ("2026-02-15", "2026-02-23", "2026-09-25", "2026-10-01", "2026-10-07"):
        assert not CAL.is_working_day(D.fromisoformat(day)), day
    for day in ("2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"):
        assert CAL.is_working_day(D.fromisoformat(day)), day  # weekend days worked (调休)
    assert not CAL.is_working_day(D(2026, 3, 7))  # an ordinary Saturday


def test_working_days_across_the_2026_spring_festival():
    # Thu 12 Feb: Fri 13 (1), Sat 14 adjusted working day (2), 15–23 Feb holiday,
    # Tue 24 (3), Wed 25 (4), Thu 26 Feb (5).
    assert days(D(2026, 2, 12), 5, "working_days") == (D(2026, 2, 26), False)
    # The adjusted Saturday 28 Feb counts: Thu 26 (1), Fri 27 (2), Sat 28 (3).
    assert days(D(2026, 2, 25), 3, "working_days").due == D(2026, 2, 28)
    # A fourth working day skips Sunday 1 Mar: Mon 2 Mar.
    assert days(D(2026, 2, 25), 4, "working_days").due == D(2026, 3, 2)
    # Labour-inspection acceptance on a complaint received on the eve of the holiday.
    inspection = rule_due_date(
        kind=DeadlineKind.INSPECTION_ACCEPTANCE, start=D(2026, 2, 13), cal=CAL
    )
    # Sat 14 (1), holiday, Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
    assert inspection == (D(2026, 2, 27), False)


def test_working_days_across_mid_autumn_and_national_day_2026():
    # Wed 23 Sep: Thu 24 (1), 25–27 Sep holiday, Mon 28 (2), Tue 29 (3), Wed 30 (4),
    # 1–7 Oct holiday, Thu 8 (5), Fri 9 (6), Sat 10 Oct adjusted working day (7).
    assert days(D(2026, 9, 23), 5, "working_days").due == D(2026, 10, 8)
    assert days(D(2026, 9, 23), 7, "working_days").due == D(2026, 10, 10)
    # The adjusted Sunday 20 Sep counts: Fri 18 Sep + 1 working day is Sun 20 Sep.
    assert days(D(2026, 9, 18), 1, "working_days").due == D(2026, 9, 20)


def test_calendar_periods_ending_in_the_2026_holidays_move_past_them():
    # 15 days from 1 Feb end on Mon 16 Feb, inside the Spring Festival: Tue 24 Feb.
    mediation = rule_due_date(kind=DeadlineKind.MEDIATION, start=D(2026, 2, 1), cal=CAL)
    assert mediation == (D(2026, 2, 24), False)
    # 15 days from 30 Jan end on the adjusted working Saturday 14 Feb: it stays.
    assert days(D(2026, 1, 30), 15).due == D(2026, 2, 14)
    # The Civil Code example: a period reaching 1 October ends after the holiday (Thu 8 Oct).
    assert days(D(2026, 9, 16), 15).due == D(2026, 10, 8)
    assert days(D(2025, 10, 1), 1, "years") == (D(2026, 10, 8), False)
    # 5 days for the arbitration commission from Sat 26 Sep end on Thu 1 Oct: Thu 8 Oct.
    acceptance = rule_due_date(
        kind=DeadlineKind.ARBITRATION_ACCEPTANCE, start=D(2026, 9, 26), cal=CAL
    )
    assert acceptance.due == D(2026, 10, 8)


def test_the_first_year_the_package_lacks_is_flagged_until_entered():
    missing = PACKAGE_YEARS.stop  # 2027 with chinesecalendar 1.11.0
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(missing, 1, 4))  # why the package is never asked
    assert not CAL.knows(D(missing, 1, 4))
    # 5 working days from 28 Dec of the last covered year run into the missing year.
    crossing = days(D(missing - 1, 12, 28), 5, "working_days")
    assert crossing.calendar_missing
    # Counting inside the covered year is not flagged, even near its end.
    assert not days(D(missing - 1, 12, 1), 5, "working_days").calendar_missing
    # The 1-year limits from a day of the covered year all reach into the missing year.
    for kind in (DeadlineKind.ARBITRATION_LIMITATION, DeadlineKind.INJURY_APPLICATION_WORKER):
        assert rule_due_date(kind=kind, start=D(missing - 1, 11, 29), cal=CAL).calendar_missing
    # An administrator's row for that year makes it known (the whole notice is entered).
    entered = WorkCalendar(overrides={D(missing, 1, 1): False})
    assert entered.knows(D(missing, 6, 1))
    assert not days(D(missing - 1, 12, 28), 5, "working_days", cal=entered).calendar_missing
