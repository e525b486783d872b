"""Windows extended by requests, and what the clerk must do next, by when (deadlines.py)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from workflow.dates import last_day_to_lodge
from workflow.deadlines import (
    ActSnapshot,
    Request,
    SessionSnapshot,
    act_dues,
    appeal_window,
    collect,
    prefect_window,
    run_window,
    sitting_dues,
    transmission_deadline,
)
from workflow.definition import get

FILED = date(2024, 12, 13)
POSTED = date(2024, 12, 14)
D = "059"
LAW = get("commune").deadline_law(3000)  # the commune's delays and articles, as delib due reads them
REVIEW = LAW.review
PREFECT, REJECTION = REVIEW.prefect, REVIEW.implicit_rejection


def seed_act(**changes):
    values = dict(
        id="w/2024121302",
        council="w",
        session_id="w/2024-12-13",
        session_date=FILED,
        state="executory",
        posted_on=POSTED,
        filed_on=FILED,
        executory_on=POSTED,
        department=D,
    )
    values.update(changes)
    return ActSnapshot(**values)


def by_what(items):
    return {i.what: i for i in items}


def test_prefect_window_of_the_seed():
    window = prefect_window(REVIEW, subject_to_transmission=True, filed_on=FILED, executory_on=POSTED, department=D)
    assert window.article == "CGCT art. L2131-6"
    assert (window.ends_on, window.last_day) == (date(2025, 2, 13), date(2025, 2, 14))
    assert not window.closed_on(date(2025, 2, 14))
    assert window.closed_on(date(2025, 2, 15))


def test_not_subject_act_prefect_window_runs_from_executory_force():
    window = prefect_window(REVIEW, subject_to_transmission=False, filed_on=None, executory_on=POSTED, department=D)
    assert window.article == "CGCT art. L2131-3"
    assert window.opened_on == POSTED
    assert prefect_window(REVIEW, subject_to_transmission=True, filed_on=None, executory_on=POSTED) is None


def test_request_on_the_last_day_extends_the_day_after_does_not():
    last = last_day_to_lodge(FILED, 2, D)  # 14/02/2025
    on_time = Request("prefect", "documents", last, answered_on=date(2025, 3, 3))
    late = Request("prefect", "documents", last + timedelta(days=1), answered_on=date(2025, 3, 3))
    extended = run_window("prefect", PREFECT, FILED, [on_time], REJECTION, D)
    assert extended.runs_from == date(2025, 3, 3)
    assert extended.ends_on == date(2025, 5, 3)
    assert extended.last_day == date(2025, 5, 5)  # Sun 4 May → Monday 5
    ignored = run_window("prefect", PREFECT, FILED, [late], REJECTION, D)
    assert ignored.last_day == last
    assert ignored.ignored == (late,)


def test_unanswered_request_restarts_from_the_implicit_rejection_two_months_later():
    request = Request("prefect", "gracieux", date(2025, 1, 10))
    window = run_window("prefect", PREFECT, FILED, [request], REJECTION, D)
    assert request.implicit_rejection_on(REJECTION) == date(2025, 3, 10)
    assert window.runs_from == date(2025, 3, 10)
    assert window.last_day == date(2025, 5, 12)  # 10/05 Sat → +1 Sun 11 → Monday 12


def test_a_late_answer_restarts_later_than_the_implicit_rejection():
    request = Request("prefect", "gracieux", date(2025, 1, 10), answered_on=date(2025, 4, 1))
    window = run_window("prefect", PREFECT, FILED, [request], REJECTION, D)
    assert window.runs_from == date(2025, 4, 1)


def test_requests_of_the_other_party_do_not_extend():
    third = Request("third_party", "gracieux", date(2025, 1, 10), answered_on=date(2025, 1, 20))
    prefect = prefect_window(
        REVIEW,
        subject_to_transmission=True,
        filed_on=FILED,
        executory_on=POSTED,
        requests=[third],
        department=D,
    )
    appeal = appeal_window(REVIEW, posted_on=POSTED, requests=[third], department=D)
    assert prefect.extended_by == ()
    assert appeal.extended_by == (third,)
    assert appeal.runs_from == date(2025, 1, 20)


def test_second_request_in_the_open_window_extends_again():
    first = Request("prefect", "documents", date(2025, 1, 10), answered_on=date(2025, 1, 20))
    second = Request("prefect", "gracieux", date(2025, 3, 1), answered_on=date(2025, 3, 15))
    window = run_window("prefect", PREFECT, FILED, [second, first], REJECTION, D)
    assert window.extended_by == (first, second)
    assert window.runs_from == date(2025, 3, 15)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=120),
)
def test_a_request_never_shortens_a_window(opened, offset):
    request = Request("prefect", "documents", opened + timedelta(days=offset))
    plain = run_window("prefect", PREFECT, opened, [], REJECTION, D)
    extended = run_window("prefect", PREFECT, opened, [request], REJECTION, D)
    assert extended.last_day >= plain.last_day
    assert (extended.last_day > plain.last_day) == (request.on <= plain.last_day)


def test_transmission_deadline_only_for_individual_decisions():
    assert transmission_deadline(LAW.transmission, "AI", FILED) == date(2024, 12, 28)
    assert transmission_deadline(LAW.transmission, "DE", FILED) is None


def test_session_list_of_deliberations_is_due_within_one_week():
    session = SessionSnapshot("w/2024-12-13", "w", FILED, "open")
    on_time = by_what(sitting_dues(session, LAW, date(2024, 12, 20)))["list_of_deliberations"]
    assert on_time.due == date(2024, 12, 20)
    assert on_time.article == "CGCT art. L2121-25"
    assert not on_time.overdue and on_time.days_left == 0
    late = by_what(sitting_dues(session, LAW, date(2024, 12, 21)))["list_of_deliberations"]
    assert late.overdue and late.days_left == -1
    published = SessionSnapshot("w/2024-12-13", "w", FILED, "open", list_published_on=FILED)
    assert "list_of_deliberations" not in by_what(sitting_dues(published, LAW, date(2025, 1, 1)))


def test_minutes_at_the_next_session_then_online_within_a_week():
    undated = by_what(sitting_dues(SessionSnapshot("s", "w", FILED, "open"), LAW, FILED))
    assert undated["minutes_approval"].kind == "pending" and undated["minutes_approval"].due is None
    nxt = SessionSnapshot("s", "w", FILED, "open", next_session_on=date(2025, 1, 24))
    item = by_what(sitting_dues(nxt, LAW, date(2025, 1, 25)))["minutes_approval"]
    assert item.due == date(2025, 1, 24) and item.overdue
    approved = SessionSnapshot("s", "w", FILED, "open", list_published_on=FILED, minutes_approved_on=date(2025, 1, 24))
    online = by_what(sitting_dues(approved, LAW, date(2025, 1, 31)))["minutes_online"]
    assert online.due == date(2025, 1, 31) and not online.overdue
    assert sitting_dues(SessionSnapshot("s", "w", FILED, "planned"), LAW, FILED) == []


def test_act_dues_in_each_state():
    today = date(2024, 12, 20)
    assert set(
        by_what(act_dues(seed_act(state="adopted", posted_on=None, filed_on=None, executory_on=None), LAW, today))
    ) == {"publication", "transmission"}
    not_subject = seed_act(
        state="adopted",
        subject_to_transmission=False,
        posted_on=None,
        filed_on=None,
        executory_on=None,
    )
    assert set(by_what(act_dues(not_subject, LAW, today))) == {"publication"}
    posted = seed_act(state="posted", filed_on=None, executory_on=None)
    assert set(by_what(act_dues(posted, LAW, today))) == {"transmission"}
    filed = by_what(act_dues(seed_act(state="filed", posted_on=None, executory_on=None), LAW, today))
    assert set(filed) == {"publication", "prefect_window"}
    executory = by_what(act_dues(seed_act(), LAW, today))
    assert set(executory) == {"prefect_window", "third_party_window", "definitive"}
    assert executory["prefect_window"].due == date(2025, 2, 14)
    assert executory["third_party_window"].due == date(2025, 2, 17)
    assert executory["definitive"].due == date(2025, 2, 18)
    assert executory["definitive"].kind == "ready"
    for state in ("definitive", "withdrawn", "annulled", "draft", "convened"):
        assert act_dues(seed_act(state=state), LAW, today) == []
    # a rejected deliberation is transmitted too (L2131-2), and its windows run once posted and filed
    rejected = seed_act(state="rejected", posted_on=None, filed_on=None, executory_on=None)
    assert set(by_what(act_dues(rejected, LAW, today))) == {"transmission"}
    rejected = seed_act(state="rejected", executory_on=None)
    assert set(by_what(act_dues(rejected, LAW, today))) == {"prefect_window", "third_party_window"}
    assert set(by_what(act_dues(seed_act(state="contested"), LAW, today))) == {"ruling"}


def test_windows_disappear_once_closed_and_finality_stays():
    items = by_what(act_dues(seed_act(), LAW, date(2025, 2, 15)))
    assert set(items) == {"third_party_window", "definitive"}
    items = by_what(act_dues(seed_act(), LAW, date(2025, 2, 18)))
    assert set(items) == {"definitive"}


def test_pending_request_is_listed_with_its_implicit_rejection_date():
    request = Request("prefect", "documents", date(2025, 1, 10))
    items = by_what(act_dues(seed_act(requests=(request,)), LAW, date(2025, 1, 11)))
    assert items["answer_request"].due == date(2025, 3, 10)
    assert items["answer_request"].article == "CRPA art. L231-4"
    assert items["prefect_window"].due == date(2025, 5, 12)


def test_collect_puts_overdue_first_then_by_date_undated_last_and_filters_within():
    today = date(2024, 12, 22)
    sessions = [SessionSnapshot("w/2024-12-13", "w", FILED, "open")]  # list overdue since 21/12
    acts = [
        seed_act(id="w/1"),
        seed_act(id="w/2", state="adopted", nature="AI", posted_on=None, filed_on=None, executory_on=None),
    ]
    items = collect(acts, sessions, {"w": LAW}, today)
    assert items[0].what == "list_of_deliberations" and items[0].overdue
    dated = [i.due for i in items if i.due is not None]
    assert dated == sorted(dated[:1]) + sorted(dated[1:])
    assert items[-1].due is None
    within = collect(acts, sessions, {"w": LAW}, today, within_days=14)
    assert {(i.subject, i.what) for i in within} == {
        ("w/2024-12-13", "list_of_deliberations"),
        ("w/2", "transmission"),  # due 28/12, within 14 days
    }
    assert all(i.due is not None for i in within)
