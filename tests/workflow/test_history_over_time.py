"""The fold of the council over time and of corrections (issue 15): pure, from events alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workflow.history import (
    CORRECT,
    History,
    Step,
    begin_act,
    council_as_of,
    evolve_act,
    members_added,
)

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_the_population_in_force_is_the_last_dated_on_or_before_the_day():
    events = [
        Step("v", "council_add", NOW, facts={"name": "V", "kind": "commune", "population": 1200}),
        Step("v", "council_edit", NOW, legal_date=date(2025, 1, 1), facts={"changes": {"population": 4000}}, seq=2),
        Step("v", "council_edit", NOW, legal_date=date(2024, 6, 1), facts={"changes": {"population": 1300}}, seq=3),
    ]
    assert council_as_of(events, date(2024, 1, 1)).population == 1200
    assert council_as_of(events, date(2024, 7, 1)).population == 1300
    assert council_as_of(events, date(2025, 2, 1)).population == 4000
    history = History()
    for event in events:
        history.apply(event)
    # The row shows the value in force last: a change dated earlier, recorded later, does not replace it.
    assert history.councils["v"].population == 4000


def test_a_member_counts_from_installation_until_departure():
    added = Step("v", "member_add", NOW, legal_date=date(2024, 3, 1), facts={"names": ["A B"], "since": "2024-03-01"})
    left = Step("v", "member_leave", NOW, legal_date=date(2024, 12, 12), facts={"name_key": "a b", "reason": "death"})
    history = History()
    history.apply(added)
    history.apply(left)
    member = history.members[("v", "a b")]
    assert (member.since, member.left_on, member.left_reason, member.in_office) == (
        date(2024, 3, 1),
        date(2024, 12, 12),
        "death",
        False,
    )
    assert [member.in_office_on(d) for d in (date(2024, 2, 28), date(2024, 12, 11), date(2024, 12, 12))] == [
        False,
        True,
        False,
    ]
    assert members_added(Step("v", "member_add", NOW, facts={"names": ["C D"]}))[0].since is None


def test_a_correction_supersedes_the_figures_and_keeps_the_state():
    act = begin_act(Step("v", "create", NOW, act_id="v/1", session_id="v/s", to_state="draft", facts={"subject": "S"}))
    act = evolve_act(
        act,
        Step(
            "v",
            "vote",
            NOW,
            act_id="v/1",
            from_state="in_session",
            to_state="adopted",
            legal_date=date(2024, 12, 13),
            facts={"vote": {"for": 20, "against": 0, "abstain": 0}, "took_part": 20},
        ),
    )
    corrected = evolve_act(
        act,
        Step(
            "v",
            CORRECT,
            NOW,
            act_id="v/1",
            from_state="adopted",
            to_state="adopted",
            legal_date=date(2024, 12, 16),
            facts={"vote": {"for": 19, "against": 0, "abstain": 1}, "subject": "T"},
        ),
    )
    assert corrected.vote == {"for": 19, "against": 0, "abstain": 1, "took_part": 20}
    assert (corrected.state, corrected.subject, corrected.corrected_on) == ("adopted", "T", date(2024, 12, 16))
    assert act.vote["for"] == 20  # the state before is untouched (frozen values)
