"""Month windows across month ends and leap years; délai franc and working days (dates.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.dates import add_months, is_working_day, last_day_to_lodge, next_working_day

DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2024, 12, 31), date(2025, 2, 28)),  # end of a short February
        (date(2023, 12, 31), date(2024, 2, 29)),  # leap year
        (date(2023, 12, 29), date(2024, 2, 29)),
        (date(2024, 12, 29), date(2025, 2, 28)),
        (date(2024, 2, 29), date(2024, 4, 29)),  # from a 29 February
        (date(2024, 8, 31), date(2024, 10, 31)),
        (date(2024, 7, 31), date(2024, 9, 30)),
        (date(2024, 12, 14), date(2025, 2, 14)),  # the seed's publication
    ],
)
def test_two_months_end_on_the_same_day_number_or_the_end_of_the_shorter_month(start, expected):
    assert add_months(start, 2) == expected


@given(DAYS, st.integers(min_value=1, max_value=24))
def test_month_window_lands_in_the_right_month_on_the_right_day(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    next_month_first = (end.replace(day=28) + timedelta(days=4)).replace(day=1)
    last_of_month = (next_month_first - timedelta(days=1)).day
    assert end.day == min(start.day, last_of_month)
    assert end > start


@given(DAYS, DAYS)
def test_month_window_is_monotonic(a, b):
    if a <= b:
        assert add_months(a, 2) <= add_months(b, 2)


@given(DAYS)
def test_last_day_to_lodge_is_the_day_after_the_end_or_the_next_working_day(start):
    end = add_months(start, 2)
    last = last_day_to_lodge(start, 2, "059")
    assert last > end
    assert is_working_day(last, "059")
    # every day between the day after the end and the last day is a day off
    day = end + timedelta(days=1)
    while day < last:
        assert not is_working_day(day, "059")
        day += timedelta(days=1)
    assert (last - end).days <= 5  # at most a long weekend with holidays


def test_last_day_examples():
    # 14/12/2024 + 2 months = Fri 14/02/2025; délai franc → Sat 15 → Monday 17
    assert last_day_to_lodge(date(2024, 12, 14), 2, "059") == date(2025, 2, 17)
    # 31/12/2024 → 28/02/2025 (Fri); Sat 1 March → Monday 3 March
    assert last_day_to_lodge(date(2024, 12, 31), 2, "059") == date(2025, 3, 3)
    # 12/03/2025 → Mon 12/05; Tue 13/05 is a working day
    assert last_day_to_lodge(date(2025, 3, 12), 2, "059") == date(2025, 5, 13)
    # 7/03/2025 → Wed 07/05; Thu 8 May is a holiday → Fri 9 May
    assert last_day_to_lodge(date(2025, 3, 7), 2, "059") == date(2025, 5, 9)


def test_alsace_moselle_and_overseas_holidays():
    boxing_day = date(2025, 12, 26)  # a Friday
    assert is_working_day(boxing_day, "059")
    assert not is_working_day(boxing_day, "057")
    assert not is_working_day(boxing_day, "067")
    assert not is_working_day(boxing_day)  # unknown département: the most protective reading
    assert not is_working_day(date(2025, 12, 20), "974")  # Saturday anyway
    assert not is_working_day(date(2024, 12, 20), "974")  # abolition of slavery, a Friday
    assert is_working_day(date(2024, 12, 20), "059")
    assert next_working_day(date(2025, 12, 26), "057") == date(2025, 12, 29)
    assert next_working_day(date(2025, 12, 26), "059") == date(2025, 12, 26)
