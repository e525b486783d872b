"""Clerks at the same time, on real parallel connections (one thread and one store each)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from workflow.errors import ConcurrentChange, InvalidTransition
from workflow.history import ActState
from workflow.service import chain
from workflow.service import vote as voting
from workflow.service.chain import retrying
from workflow.service.context import Context
from workflow.service.publication import file_act, post_act
from workflow.service.reading import get_act
from workflow.service.setup import add_council, add_members, add_sitting
from workflow.service.vote import vote_act
from workflow.store import database
from workflow.store.models import Act

from .clerks import (
    assert_acts_match_their_history,
    assert_single_line,
    clerk,
    council_in_session,
    events_of,
    triggers,
)

POSTGRES_ONLY = "SQLite admits one writer at a time (BEGIN IMMEDIATE): two transactions never overlap"


def is_sqlite(db_url: str) -> bool:
    return db_url.startswith("sqlite")


def vote(ctx: Context, act_id: str) -> ActState:
    return vote_act(ctx, act_id, for_=7, against=0, abstain=0)


def outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What a clerk got: the result, or the refusal telling them someone else was quicker."""
    try:
        return fn(*args, **kwargs)
    except (ConcurrentChange, InvalidTransition) as exc:
        return exc


def race(pool: ThreadPoolExecutor, contexts: list[Context], act_id: str) -> list[Any]:
    """Every clerk votes the act at once."""
    futures = [pool.submit(outcome, vote, ctx, act_id) for ctx in contexts]
    return [f.result(timeout=60) for f in futures]


def act_row(ctx: Context, act_id: str) -> Act:
    with ctx.store.session() as session:
        return get_act(session, act_id)


@pytest.fixture
def clerks(db_url):
    opened: list[Context] = []

    def make(name: str) -> Context:
        opened.append(clerk(db_url, name))
        return opened[-1]

    yield make
    for ctx in opened:
        ctx.store.dispose()


# ---------------------------------------------------------------- the same act


def test_two_clerks_voting_the_same_act_after_both_read_it(db_url, clerks, monkeypatch):
    """Both read the act in session, then both write: one vote, the other is told to look again."""
    if is_sqlite(db_url):
        pytest.skip(POSTGRES_ONLY + "; the unsynchronised test below covers SQLite")
    setup = clerks("setup")
    acts = council_in_session(setup, "ville", 1, 5)
    barrier = threading.Barrier(2, timeout=20)
    advance = voting.advance_loaded  # as vote_act finds it

    def both_read_then_write(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()  # each has read the act (version 3, in_session) in its own transaction
        return advance(*args, **kwargs)

    monkeypatch.setattr(voting, "advance_loaded", both_read_then_write)
    alice, bob = clerks("alice"), clerks("bob")
    with ThreadPoolExecutor(2) as pool:
        for act_id in acts:  # many times over
            before = len(events_of(setup.store, "ville"))
            results = race(pool, [alice, bob], act_id)
            won = [r for r in results if isinstance(r, ActState)]
            lost = [r for r in results if not isinstance(r, ActState)]
            assert len(won) == 1 and len(lost) == 1, results
            assert isinstance(lost[0], ConcurrentChange)
            assert "changed by someone else meanwhile" in lost[0].message("en")
            assert "Look at it again" in lost[0].message("en")
            assert "entre-temps" in lost[0].message("fr")
            assert (won[0].state, won[0].version) == ("adopted", 4)
            events = events_of(setup.store, "ville")
            assert len(events) == before + 1  # the loser wrote nothing
            assert triggers(events, act_id).count("vote") == 1
            assert (events[-1].act_id, events[-1].trigger) == (act_id, "vote")
    assert_acts_match_their_history(setup.store, "ville")


def test_two_clerks_on_the_same_act_unsynchronised(db_url, clerks):
    """Without any help to collide: always exactly one vote; the other writes nothing."""
    setup = clerks("setup")
    acts = council_in_session(setup, "ville", 1, 12)
    alice, bob = clerks("alice"), clerks("bob")
    seen: Counter[str] = Counter()
    with ThreadPoolExecutor(2) as pool:
        for act_id in acts:
            results = race(pool, [alice, bob], act_id)
            won = [r for r in results if isinstance(r, ActState)]
            assert len(won) == 1, results
            lost = next(r for r in results if not isinstance(r, ActState))
            # Overlapping: the version check refuses it. One after the other: the act is no
            # longer in session and the engine refuses the vote.
            assert isinstance(lost, ConcurrentChange | InvalidTransition)
            seen[type(lost).__name__] += 1
    events = events_of(setup.store, "ville")
    assert all(triggers(events, a).count("vote") == 1 for a in acts)
    assert_acts_match_their_history(setup.store, "ville")
    assert sum(seen.values()) == len(acts)


# ---------------------------------------------------------------- different acts


def test_clerks_on_different_acts_do_not_wait_for_each_other(db_url, clerks, monkeypatch):
    """Alice holds her transaction open on act 1 (its row updated); Bob votes act 2 meanwhile."""
    setup = clerks("setup")
    first, second = council_in_session(setup, "ville", 1, 2)
    bob_done = threading.Event()
    append = chain.append_event  # as fold_and_append (every transition) finds it

    def slow_for_alice(session: Any, ctx: Context, *args: Any, **kwargs: Any) -> Any:
        if ctx.actor == "alice":  # after her UPDATE of act 1, before her append and commit
            bob_done.wait(timeout=1.5)
        return append(session, ctx, *args, **kwargs)

    monkeypatch.setattr(chain, "append_event", slow_for_alice)
    alice, bob = clerks("alice"), clerks("bob")
    with ThreadPoolExecutor(2) as pool:
        alice_vote = pool.submit(vote, alice, first)
        time.sleep(0.3)  # Alice is inside her transaction
        started = time.monotonic()
        bob_vote = pool.submit(vote, bob, second)
        bob_vote.result(timeout=30)
        bob_took = time.monotonic() - started
        bob_finished_first = not alice_vote.done()
        bob_done.set()
        assert alice_vote.result(timeout=30).state == "adopted"
    assert bob_vote.result().state == "adopted"
    if is_sqlite(db_url):  # one writer at a time: Bob waited for Alice's commit, no longer
        assert not bob_finished_first and bob_took < 5
    else:
        assert bob_finished_first, "Bob waited for Alice's transaction on another act"
        assert bob_took < 1.0
    assert_acts_match_their_history(setup.store, "ville")


def test_clerks_of_other_councils_do_not_wait_at_the_append(db_url, clerks, monkeypatch):
    """Alice holds the chain of 'ville' (appended, not committed); Bob appends to 'bourg'."""
    if is_sqlite(db_url):
        pytest.skip(POSTGRES_ONLY)
    setup = clerks("setup")
    (ville_act,) = council_in_session(setup, "ville", 1, 1)
    (bourg_act,) = council_in_session(setup, "bourg", 1, 1)
    bob_done = threading.Event()
    append = chain.append_event  # as fold_and_append (every transition) finds it

    def alice_holds_the_chain(session: Any, ctx: Context, *args: Any, **kwargs: Any) -> Any:
        event = append(session, ctx, *args, **kwargs)
        if ctx.actor == "alice":
            bob_done.wait(timeout=3)
        return event

    monkeypatch.setattr(chain, "append_event", alice_holds_the_chain)
    alice, bob = clerks("alice"), clerks("bob")
    with ThreadPoolExecutor(2) as pool:
        alice_vote = pool.submit(vote, alice, ville_act)
        time.sleep(0.3)
        assert vote(bob, bourg_act).state == "adopted"
        assert not alice_vote.done()
        bob_done.set()
        assert alice_vote.result(timeout=30).state == "adopted"
    for council in ("ville", "bourg"):
        assert_acts_match_their_history(setup.store, council)


# ---------------------------------------------------------------- the chain


@pytest.mark.parametrize("chain_lock", [True, False], ids=["locked", "collisions"])
def test_concurrent_appends_keep_one_line(db_url, clerks, monkeypatch, chain_lock):
    """8 clerks add members to one council at once; without the lock, appends collide on seq."""
    setup = clerks("setup")
    add_council(setup, "ville", name="Ville", kind="commune", population=1200)
    lost = Counter[str]()
    lost_race = database.lost_race

    def counting(exc: Any) -> bool:
        result = lost_race(exc)
        lost[type(exc.orig).__name__] += result
        return result

    monkeypatch.setattr(chain, "lost_race", counting)
    if not chain_lock:
        monkeypatch.setattr(chain, "lock_chain", lambda session, council_id: None)
    start = threading.Barrier(8, timeout=20)

    def clerk_adds(index: int) -> list[Any]:
        ctx = clerks(f"clerk{index}")
        start.wait()
        return [outcome(add_members, ctx, "ville", [f"NOM{index}-{n} Élu"]) for n in range(6)]

    with ThreadPoolExecutor(8) as pool:
        results = [r for batch in pool.map(clerk_adds, range(8)) for r in batch]
    written = [r for r in results if isinstance(r, list)]
    gave_up = [r for r in results if isinstance(r, ConcurrentChange)]
    assert len(written) + len(gave_up) == 48
    events = assert_single_line(setup.store, "ville")
    assert len(events) == 1 + len(written)  # nothing lost, nothing twice
    names = [e.facts["names"][0] for e in events[1:]]
    assert sorted(names) == sorted(r[0].name for r in written)
    if chain_lock:
        assert not gave_up
    if not chain_lock and not is_sqlite(db_url):
        assert lost["UniqueViolation"] > 0  # the collisions happened and were rerun


@pytest.mark.rows_tampered  # bumps séance versions by hand to provoke the aborts
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"], ids=["deadlock", "serialization"])
def test_deadlocks_and_serialization_failures_are_rerun(db_url, clerks, sqlstate):
    """Two transactions that PostgreSQL must abort one of: the aborted one is run again."""
    if is_sqlite(db_url):
        pytest.skip(POSTGRES_ONLY + ": no deadlock or serialization failure to provoke")
    setup = clerks("setup")
    add_council(setup, "ville", name="Ville", kind="commune", population=1200)
    a = add_sitting(setup, "ville", held_at=datetime(2024, 12, 13))
    b = add_sitting(setup, "ville", held_at=datetime(2024, 12, 14))
    both_read = threading.Barrier(2, timeout=20)
    attempts = Counter[str]()
    bump = text("UPDATE session SET version = version + 1 WHERE id = :id")

    def work_for(name: str, order: tuple[str, str]) -> Callable[[Any], str]:
        def work(session: Any) -> str:
            attempts[name] += 1
            if sqlstate == "40001":
                session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
                session.execute(text("SELECT version FROM session WHERE id = :id"), {"id": a.id})
                if attempts[name] == 1:
                    both_read.wait()
                session.execute(bump, {"id": a.id})
            else:
                session.execute(bump, {"id": order[0]})
                if attempts[name] == 1:
                    both_read.wait()
                session.execute(bump, {"id": order[1]})
            return name

        return work

    alice, bob = clerks("alice"), clerks("bob")
    with ThreadPoolExecutor(2) as pool:
        done = [
            pool.submit(retrying, alice, work_for("alice", (a.id, b.id))),
            pool.submit(retrying, bob, work_for("bob", (b.id, a.id))),
        ]
        assert sorted(f.result(timeout=60) for f in done) == ["alice", "bob"]
    assert sorted(attempts.values()) == [1, 2]  # one was aborted and run again
    with setup.store.session() as session:
        versions = dict(session.execute(text("SELECT id, version FROM session")).all())
    expected = {a.id: 3, b.id: 3} if sqlstate == "40P01" else {a.id: 3, b.id: 1}
    assert versions == expected  # the aborted attempt left nothing


# ---------------------------------------------------------------- 8 clerks, 100 acts


NEXT = {
    "in_session": ("vote",),
    "adopted": ("post", "file"),
    "posted": ("file",),
    "filed": ("post",),
}


def step(ctx: Context, act_id: str, trigger: str) -> ActState:
    if trigger == "vote":
        return vote(ctx, act_id)
    if trigger == "post":
        return post_act(ctx, act_id, on=date(2024, 12, 16))
    return file_act(ctx, act_id, on=date(2024, 12, 17))


def test_eight_clerks_carry_one_hundred_acts_to_executory(db_url, clerks, monkeypatch, capsys):
    setup = clerks("setup")
    acts = council_in_session(setup, "ville", 2, 25) + council_in_session(setup, "bourg", 2, 25)
    assert len(acts) == 100
    before = {c: len(events_of(setup.store, c)) for c in ("ville", "bourg")}
    reruns = Counter[str]()
    lost_race = database.lost_race

    def counting(exc: Any) -> bool:
        result = lost_race(exc)
        reruns["rerun"] += result
        return result

    monkeypatch.setattr(chain, "lost_race", counting)
    pending = set(acts)
    guard = threading.Lock()
    tally: Counter[str] = Counter()

    def work(index: int) -> None:
        ctx = clerks(f"clerk{index}")
        rng = random.Random(index)
        while True:
            with guard:
                if not pending:
                    return
                act_id = rng.choice(sorted(pending))
            state = act_row(ctx, act_id).state
            if state == "executory":
                with guard:
                    pending.discard(act_id)
                continue
            result = outcome(step, ctx, act_id, rng.choice(NEXT[state]))
            with guard:
                tally[type(result).__name__] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(work, i) for i in range(8)]:
            future.result(timeout=300)
    elapsed = time.monotonic() - started

    moved = tally["ActState"]
    assert moved == 300  # vote, post and file of each act, each once
    assert set(tally) <= {"ActState", "ConcurrentChange", "InvalidTransition"}
    for council in ("ville", "bourg"):
        final = assert_acts_match_their_history(setup.store, council)
        assert {a.state for a in final.values()} == {"executory"}
        events = events_of(setup.store, council)
        assert len(events) == before[council] + 150
        for act_id in final:
            steps = triggers(events, act_id)
            assert sorted(steps) == sorted(["create", "convene", "open", "vote", "post", "file"])
    with capsys.disabled():
        print(
            f"\n[{'sqlite' if is_sqlite(db_url) else 'postgresql'}] 8 clerks, 100 acts: "
            f"{moved} transitions in {elapsed:.2f} s = {moved / elapsed:.0f} transitions/s; "
            f"conflicts: {tally['ConcurrentChange']} changed meanwhile, "
            f"{tally['InvalidTransition']} already moved on, {reruns['rerun']} reruns"
        )
