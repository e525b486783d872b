"""The history fold: facts to their record and back, an act and a séance folded from their events,
the executory date, and the fast byte-level verify pass agreeing with the fold on tampered logs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow import definition as definitions
from workflow.facts import Attendance, Facts, VoteCount
from workflow.history import (
    ActState,
    Step,
    act_as_of,
    begin_act,
    evolve_act,
    executory_date,
    fold,
    fold_act,
    fold_sitting,
)

NAME_LIST = ["ROLLAND Thierry", "PROUVEUR Aurore", "HARDY Nicole", "D’HULST Thierry", "LEBRUN Nathalie"]
NAMES = st.sampled_from(NAME_LIST)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
NOW = datetime(2024, 12, 20, 9, 0, tzinfo=UTC)


@st.composite
def attendances(draw: Any) -> Attendance:
    present = draw(st.frozensets(NAMES, min_size=1))
    others = sorted(set(NAME_LIST) - present)
    absent = draw(st.frozensets(st.sampled_from(others))) if others else frozenset()
    givers = sorted(absent)
    proxies = tuple((g, sorted(present)[0]) for g in givers[: draw(st.integers(0, len(givers)))])
    return Attendance(
        present=present,
        proxies=proxies,
        absent=absent,
        recused=draw(st.frozensets(st.sampled_from(sorted(present)))),
        secretary=draw(st.one_of(st.none(), st.sampled_from(sorted(present)))),
        president=draw(st.one_of(st.none(), st.sampled_from(sorted(present)))),
    )


@st.composite
def votes(draw: Any) -> VoteCount:
    counts = st.integers(0, 60)
    names = draw(st.dictionaries(st.sampled_from(["for", "against", "abstain"]), st.lists(NAMES, unique=True)))
    return VoteCount(
        for_=draw(counts),
        against=draw(counts),
        abstain=draw(counts),
        blank=draw(counts),
        secret=draw(st.booleans()),
        president_voted=draw(st.one_of(st.none(), st.sampled_from(["for", "against"]))),
        names={side: tuple(sorted(n)) for side, n in names.items() if n},
    )


@st.composite
def all_facts(draw: Any) -> Facts:
    day = draw(DAYS)
    optional_day = st.one_of(st.none(), DAYS)
    extra_keys = st.text("abcdefghij_", min_size=1, max_size=8).filter(lambda k: k not in _RESERVED)
    return Facts(
        trigger=draw(st.sampled_from(["convene", "open", "vote", "post", "file"])),
        legal_date=day,
        recorded_on=day,
        session_date=draw(optional_day),
        convocation_date=draw(optional_day),
        posted_on=draw(optional_day),
        filed_on=draw(optional_day),
        population=draw(st.one_of(st.none(), st.integers(0, 3_000_000))),
        members_in_office=draw(st.integers(0, 200)),
        attendance=draw(st.one_of(st.none(), attendances())),
        vote=draw(st.one_of(st.none(), votes())),
        urgent=draw(st.booleans()),
        urgency_ruling=draw(st.one_of(st.none(), st.sampled_from(["accepted", "rejected"]))),
        second_convocation=draw(st.booleans()),
        quorum_failed_on=draw(optional_day),
        extra=draw(st.dictionaries(extra_keys, st.one_of(st.integers(), st.text(max_size=10), st.booleans()))),
    )


_RESERVED = {
    "legal_date",
    "session_date",
    "convocation_date",
    "posted_on",
    "filed_on",
    "members_in_office",
    "population",
    "attendance",
    "took_part",
    "vote",
    "urgent",
    "urgency_ruling",
    "second_convocation",
    "quorum_failed_on",
}


@given(all_facts())
def test_facts_come_back_from_their_record(facts: Facts) -> None:
    record = facts.to_record()
    assert Facts.from_record(facts.trigger, record) == facts
    assert Facts.from_record(facts.trigger, record).to_record() == record
    if facts.attendance is not None:
        assert record["took_part"] == facts.attendance.taking_part


def _step(trigger: str, source: str | None, dest: str, day: date | None, seq: int, **facts: Any) -> Step:
    return Step(
        "ville",
        trigger,
        NOW,
        act_id="ville/2024121301",
        session_id="ville/2024-12-13",
        from_state=source,
        to_state=dest,
        legal_date=day,
        facts=facts,
        seq=seq,
    )


LIFE = [
    _step("create", None, "draft", None, 1, number="2024121301", rank=1, subject="Budget", matiere="7.1", nature="DE"),
    _step("convene", "draft", "convened", date(2024, 11, 29), 2),
    _step("open", "convened", "in_session", date(2024, 12, 13), 3, attendance={"present": ["A", "B"]}),
    _step(
        "vote", "in_session", "adopted", date(2024, 12, 13), 4, vote={"for": 2, "against": 0, "abstain": 0}, took_part=2
    ),
    _step("file", "adopted", "filed", date(2024, 12, 16), 5, ack="059-215900002-20241213-2024121301-DE"),
    _step("post", "filed", "executory", date(2024, 12, 14), 6),
]


def test_an_act_is_the_fold_of_its_events() -> None:
    act = fold_act(LIFE)
    assert act is not None
    assert (act.state, act.version, act.number, act.rank, act.subject) == ("executory", 6, "2024121301", 1, "Budget")
    assert act.vote == {"for": 2, "against": 0, "abstain": 0, "took_part": 2}
    assert (act.voted_on, act.filed_on, act.posted_on) == (date(2024, 12, 13), date(2024, 12, 16), date(2024, 12, 14))
    assert act.executory_on == date(2024, 12, 16)  # the later of publication and transmission (L2131-1)
    assert act.ack == "059-215900002-20241213-2024121301-DE" and not act.irregular


def test_an_override_makes_the_act_irregular_from_then_on() -> None:
    overridden = Step(**{**LIFE[1].__dict__, "verdicts": [{"rule": "convocation_delay", "overridden": True}]})
    act = fold_act([LIFE[0], overridden, *LIFE[2:]])
    assert act is not None and act.irregular


def test_the_executory_date_of_an_act_not_subject_to_transmission_is_its_publication() -> None:
    act = ActState("v/1", "v", "v/2024-12-13", "1", 1, "x", "executory", subject_to_transmission=False)
    assert executory_date(act) is None
    assert executory_date(ActState(**{**act.__dict__, "posted_on": date(2024, 12, 14)})) == date(2024, 12, 14)
    created = begin_act(_step("create", None, "draft", None, 1, number="1", subject_to_transmission=False))
    assert not created.subject_to_transmission


def test_as_of_a_day_the_steps_dated_by_then_apply_in_legal_order() -> None:
    commune = definitions.get("commune")
    on_the_14th = act_as_of(commune, LIFE, date(2024, 12, 14))
    assert on_the_14th is not None and on_the_14th.state == "posted"  # published on the 14th, not yet filed
    assert on_the_14th.executory_on is None
    assert act_as_of(commune, LIFE, date(2024, 12, 16)) == fold_act(LIFE)
    assert act_as_of(commune, LIFE, date(2024, 11, 28)).state == "draft"  # type: ignore[union-attr]


def test_a_postponed_item_moves_with_its_rank_to_the_other_session() -> None:
    moved = Step(**{**LIFE[1].__dict__, "trigger": "postpone", "to_state": "draft", "session_id": "ville/2025-01-10"})
    act = evolve_act(begin_act(LIFE[0]), Step(**{**moved.__dict__, "facts": {"rank": 4}}))
    assert (act.session_id, act.rank, act.state) == ("ville/2025-01-10", 4, "draft")


def test_a_seance_is_the_fold_of_its_own_events() -> None:
    lifecycle = definitions.get("commune").sitting_lifecycle
    sid = "ville/2024-12-13"
    held = {"held_at": "2024-12-13T18:00", "place": "Mairie"}
    opening = {"attendance": {"present": ["A"]}, "urgency_ruling": "accepted"}

    def step(trigger: str, source: str | None, dest: str | None, day: date, facts: dict[str, Any]) -> Step:
        return Step(
            "ville", trigger, NOW, session_id=sid, from_state=source, to_state=dest, legal_date=day, facts=facts
        )

    events = [
        step("session_add", None, None, date(2024, 12, 13), held),
        step("session_convene", "planned", "convened", date(2024, 11, 29), {"urgent": True}),
        step("session_open", "convened", "open", date(2024, 12, 13), opening),
        step("list_posted", None, None, date(2024, 12, 16), {}),
        step("session_close", "open", "closed", date(2024, 12, 13), {"closed_at": "21:05"}),
    ]
    sitting = fold_sitting(lifecycle, events)
    assert sitting is not None
    assert (sitting.status, sitting.version, sitting.convened_on, sitting.urgent) == (
        "closed",
        4,
        date(2024, 11, 29),
        True,
    )
    assert (sitting.held_at, sitting.place) == (datetime(2024, 12, 13, 18, 0), "Mairie")
    assert sitting.attendance == {"present": ["A"]} and sitting.urgency_ruling == "accepted"
    assert (sitting.list_posted_on, sitting.closed_at) == (date(2024, 12, 16), "21:05")
    history = fold(events, {"ville": lifecycle})
    assert history.sittings[sid] == sitting


def test_a_tampered_log_still_folds() -> None:
    broken = [Step(**{**LIFE[0].__dict__, "session_id": None, "facts": {"rank": "x", "subject": 3}}), *LIFE[1:]]
    assert fold_act(broken) is not None
    bad_date = Step("ville", "session_add", NOW, session_id="s", facts={"held_at": "not a date"})
    assert fold_sitting(definitions.get("commune").sitting_lifecycle, [bad_date]) is not None


# ---------------------------------------------------------------- the fast pass agrees with the fold

EDITS = st.one_of(
    st.tuples(st.just("state"), st.sampled_from(["draft", "adopted", "executory", "annulled"])),
    st.tuples(st.just("version"), st.integers(1, 12)),
    st.tuples(
        st.sampled_from(["voted_on", "posted_on", "filed_on", "executory_on"]),
        st.sampled_from([None, "2024-12-13", "2024-12-14", "2024-12-16", "2024-12-20"]),
    ),
)


@pytest.fixture(scope="module")
def demo_file() -> Any:
    """The seed deliberation carried to executory by ``delib demo``, once for the module."""
    from typer.testing import CliRunner

    from cli.main import app

    folder = Path(tempfile.mkdtemp())
    path = folder / "demo.sqlite3"
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{path}", "--actor", "clerk", "demo"])
    assert result.exit_code == 0, result.output
    yield path
    shutil.rmtree(folder)


@pytest.mark.skipif(os.environ.get("DELIB_TEST_DB", "sqlite") != "sqlite", reason="sqlite only: edits the file")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=0, max_size=3), tamper_event=st.booleans())
def test_the_fast_pass_and_the_fold_agree_on_tampered_logs(
    demo_file: Path, edits: list[Any], tamper_event: bool
) -> None:
    from workflow.audit.rows import row_findings
    from workflow.audit.sweep import sweep
    from workflow.audit.verify import _council_moves, _council_names
    from workflow.store.database import open_store

    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "copy.sqlite3"
        source, con = sqlite3.connect(demo_file), sqlite3.connect(path)
        source.backup(con)  # the whole database, its write-ahead log included
        source.close()
        act_id = con.execute("SELECT id FROM act ORDER BY id LIMIT 1").fetchone()[0]
        for column, value in edits:
            con.execute(f"UPDATE act SET {column} = ? WHERE id = ?", (value, act_id))  # noqa: S608 - test's own names
        if tamper_event:
            con.execute("DROP TRIGGER IF EXISTS event_no_update")
            con.execute("UPDATE event SET to_state = 'adopted' WHERE act_id = ? AND trigger = 'post'", (act_id,))
        con.commit()
        con.close()
        store = open_store(str(path), readonly=True)
        with store.session() as session:
            swept = sweep(session, None, _council_names(session, None), _council_moves(session))
            proven = row_findings(session)
        store.dispose()
        checked = {"state", "version", "voted_on", "posted_on", "filed_on", "executory_on"}
        differs = any(f.act == act_id and f.field in checked for f in proven)
        if swept is not None:  # the fast pass holds: the chain is intact and the fold agrees
            assert not differs and not tamper_event
        if differs and not tamper_event:  # the fold names an edited row: the fast pass saw it too
            assert swept is None
    finally:
        shutil.rmtree(folder)


def test_the_folds_fast_evolve_is_dataclasses_replace() -> None:
    """``_evolved`` (the fold's hot path) gives what ``dataclasses.replace`` gives, stays frozen."""
    import dataclasses

    from workflow.history import ActState, SittingState, _evolved

    act = ActState("c/1", "c", "c/2024-12-13", "2024121301", 1, "Objet", "draft")
    changes = {"state": "adopted", "version": 2, "voted_on": date(2024, 12, 13), "vote": {"for": 3}}
    evolved = _evolved(act, changes)
    assert evolved == dataclasses.replace(act, **changes) and evolved is not act
    assert act.state == "draft" and act.vote is None  # the original is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolved.state = "executory"  # type: ignore[misc]
    sitting = SittingState("c/2024-12-13", "c", datetime(2024, 12, 13, 18), None, "planned")
    assert _evolved(sitting, {"status": "convened"}) == dataclasses.replace(sitting, status="convened")
