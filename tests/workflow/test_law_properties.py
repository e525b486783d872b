"""Property-based tests (Hypothesis): clear days, month windows, the vote's arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from workflow.dates import add_months, clear_days_between, earliest_after_clear_days
from workflow.definition import get
from workflow.facts import Attendance, Facts, VoteCount
from workflow.rules import RULES
from workflow.rules.quorum import quorum_required
from workflow.rules.vote import vote_outcome

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
COUNTS = st.integers(min_value=0, max_value=150)
COMMUNE = get("commune").params_of  # each rule with the commune's parameters


# ---------------------------------------------------------------- clear days


@given(DAYS, st.integers(min_value=0, max_value=400))
def test_the_earliest_day_after_n_clear_days_has_exactly_n(start, n):
    earliest = earliest_after_clear_days(start, n)
    assert clear_days_between(start, earliest) == n
    assert clear_days_between(start, earliest - timedelta(days=1)) == n - 1


@given(DAYS, DAYS)
def test_clear_days_exclude_both_ends(start, end):
    days = clear_days_between(start, end)
    strictly_between = [start + timedelta(days=i) for i in range(1, (end - start).days)]
    assert days == len(strictly_between) or (end <= start and days < 0)


@given(DAYS, st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=30))
def test_the_convocation_rule_agrees_with_the_calendar(sent, required, extra):
    session = earliest_after_clear_days(sent, required) + timedelta(days=extra)
    facts = Facts(
        trigger="convene",
        legal_date=sent,
        recorded_on=sent,
        session_date=session,
        convocation_date=sent,
    )
    assert RULES["convocation_delay"](facts, {**COMMUNE("convocation_delay"), "min_clear_days": required}).passed
    too_soon = Facts(
        trigger="convene",
        legal_date=sent,
        recorded_on=sent,
        session_date=earliest_after_clear_days(sent, required) - timedelta(days=1),
        convocation_date=sent,
    )
    verdict = RULES["convocation_delay"](too_soon, {**COMMUNE("convocation_delay"), "min_clear_days": required})
    assert not verdict.passed and verdict.figures["clear_days"] == required - 1


# ---------------------------------------------------------------- month windows


@given(DAYS, DAYS, st.integers(min_value=1, max_value=24))
def test_month_windows_keep_the_order_of_their_starts(a, b, months):
    first, second = sorted((a, b))
    assert add_months(first, months) <= add_months(second, months)


@given(
    st.integers(min_value=1990, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=48),
)
def test_a_window_from_a_month_end_ends_on_the_same_day_or_the_shorter_months_end(year, month, months):
    last = date(year, month, calendar.monthrange(year, month)[1])
    end = add_months(last, months)
    assert end.day == min(last.day, calendar.monthrange(end.year, end.month)[1])


@given(
    st.sampled_from([y for y in range(1992, 2100) if calendar.isleap(y)]),
    st.integers(min_value=1, max_value=8),
)
def test_a_window_from_29_february_across_leap_years(year, years):
    end = add_months(date(year, 2, 29), 12 * years)
    assert end == date(year + years, 2, 29 if calendar.isleap(year + years) else 28)


# ---------------------------------------------------------------- the vote


@given(COUNTS, COUNTS, COUNTS, COUNTS, st.booleans(), st.sampled_from([None, "for", "against"]))
def test_the_outcome_is_the_absolute_majority_of_votes_cast(for_, against, abstain, blank, secret, president):
    vote = VoteCount(for_, against, abstain, blank=blank, secret=secret, president_voted=president)
    outcome = vote_outcome(vote)
    if for_ > against:
        assert outcome == "adopted"
    elif for_ < against or secret or for_ == 0:
        assert outcome == "rejected"
    else:  # a public tie with votes cast: the president's vote decides, or nothing yet
        assert outcome == {None: None, "for": "adopted", "against": "rejected"}[president]
    # abstentions and blank votes never change it
    assert vote_outcome(VoteCount(for_, against, 0, secret=secret, president_voted=president)) == outcome


@given(COUNTS, COUNTS)
def test_swapping_for_and_against_swaps_a_clear_outcome(for_, against):
    if for_ != against:
        swapped = vote_outcome(VoteCount(against, for_, 0))
        assert {vote_outcome(VoteCount(for_, against, 0)), swapped} == {"adopted", "rejected"}


@given(st.integers(min_value=1, max_value=150), st.data())
def test_quorum_is_more_than_half(in_office, data):
    present = data.draw(st.integers(min_value=0, max_value=in_office))
    names = [f"M{i}" for i in range(in_office)]
    attendance = Attendance(present=frozenset(names[:present]))
    facts = Facts(
        trigger="open",
        legal_date=date(2024, 1, 1),
        recorded_on=date(2024, 1, 1),
        members_in_office=in_office,
        attendance=attendance,
    )
    assert RULES["quorum"](facts, COMMUNE("quorum")).passed is (2 * present > in_office)
    assert quorum_required(in_office) == in_office // 2 + 1


@given(st.integers(min_value=2, max_value=40), st.data())
def test_took_part_is_present_less_recused_plus_proxies_held(in_office, data):
    names = [f"M{i}" for i in range(in_office)]
    present = data.draw(st.sets(st.sampled_from(names), min_size=1))
    away = [n for n in names if n not in present]
    holders = data.draw(st.lists(st.sampled_from(sorted(present)), max_size=len(away), unique=True))
    proxies = tuple(zip(away, holders, strict=False))
    recused = data.draw(st.sets(st.sampled_from(sorted(present))))
    attendance = Attendance(present=frozenset(present), proxies=proxies, recused=frozenset(recused))
    held = sum(1 for g, h in proxies if h not in recused)
    assert attendance.taking_part == len(present - recused) + held == len(attendance.voters)
    facts = Facts(
        trigger="vote",
        legal_date=date(2024, 1, 1),
        recorded_on=date(2024, 1, 1),
        attendance=attendance,
        vote=VoteCount(attendance.taking_part, 0, 0),
    )
    assert RULES["vote_count"](facts, COMMUNE("vote_count")).passed
    off = Facts(
        trigger="vote",
        legal_date=date(2024, 1, 1),
        recorded_on=date(2024, 1, 1),
        attendance=attendance,
        vote=VoteCount(attendance.taking_part + 1, 0, 0),
    )
    assert not RULES["vote_count"](off, COMMUNE("vote_count")).passed
