"""A live sitting's vote: ``delib session live`` recording the vote of one item (the vote through
``workflow.service.vote``, then the agenda and attendance read again for the next item), in
process on an SQLite file (WAL, synchronous=FULL), beside one raw ``sqlite3`` transaction doing
a transition's reads and writes (read the act and the chain's head, append one event, update the
act, commit). The two run alternately, a batch of votes then a batch of raw transactions; wall
and CPU time per vote. ``python -m bench.live --profile`` prints where a vote's time goes."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench.common import Figure

MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(1, 30)]


def prepare(db: str, items: int) -> tuple[Any, str]:
    """A council of 29 with a séance open and ``items`` items on its agenda (not timed)."""
    from workflow.service.context import Context
    from workflow.service.setup import add_act, add_council, add_members, add_sitting
    from workflow.service.sitting import convene_sitting, open_sitting
    from workflow.store.database import open_store

    ctx = Context(store=open_store(db), actor="clerk")
    add_council(ctx, "live", name="Live", kind="commune", population=3000)
    add_members(ctx, "live", MEMBERS[:1], mayor=True)
    add_members(ctx, "live", MEMBERS[1:])
    sitting = add_sitting(ctx, "live", held_at=datetime(2024, 12, 13, 18))
    for i in range(items):
        add_act(ctx, sitting.id, subject=f"Affaire {i}")
    convene_sitting(ctx, sitting.id, on=date(2024, 11, 29))
    open_sitting(ctx, sitting.id, secretary=MEMBERS[1])
    return ctx, sitting.id


class Raw:
    """The baseline: one transition as raw ``sqlite3`` statements, on its own file."""

    def __init__(self, path: Path, acts: int) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE act (id TEXT PRIMARY KEY, state TEXT, version INTEGER)")
        self.conn.execute(
            "CREATE TABLE event (id INTEGER PRIMARY KEY, council_id TEXT, seq INTEGER, act_id TEXT, "
            "trigger TEXT, payload TEXT, prev_hash TEXT, hash TEXT, UNIQUE (council_id, seq))"
        )
        self.conn.executemany("INSERT INTO act VALUES (?, 'in_session', 1)", [(f"a{i}",) for i in range(acts)])
        self.payload = '{"facts":' + "x" * 1500 + "}"  # about a vote event's facts and verdicts
        self.next = 0

    def transaction(self) -> None:
        conn, act = self.conn, f"a{self.next}"
        self.next += 1
        conn.execute("BEGIN IMMEDIATE")
        _, version = conn.execute("SELECT state, version FROM act WHERE id = ?", (act,)).fetchone()
        head = conn.execute("SELECT seq, hash FROM event WHERE council_id = 'b' ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, "0" * 64)
        digest = hashlib.sha256(self.payload.encode()).hexdigest()
        conn.execute(
            "INSERT INTO event (council_id, seq, act_id, trigger, payload, prev_hash, hash) "
            "VALUES ('b', ?, ?, 'vote', ?, ?, ?)",
            (seq, act, self.payload, prev, digest),
        )
        conn.execute(
            "UPDATE act SET state = 'adopted', version = ? WHERE id = ? AND version = ?", (version + 1, act, version)
        )
        conn.execute("COMMIT")


@contextmanager
def _live(ctx: Any, sitting: str) -> Iterator[Any]:
    """The live sitting, what it prints going to a buffer (timed, not shown); the CLI's console
    given back afterwards."""
    from rich.console import Console

    import cli.live as live_module

    shown = live_module.console
    live_module.console = Console(file=io.StringIO(), width=120)
    try:
        yield live_module.LiveSitting(ctx, sitting, "fr")
    finally:
        live_module.console = shown


def _alternate(live: Any, raw: Raw, items: int, batch: int) -> tuple[list[Any], list[Any], int]:
    """A batch of votes, then a batch of raw transactions, until the agenda is voted: the (wall,
    CPU) seconds per vote of each batch, and the votes done."""
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    done = 0
    while done + batch <= items:
        for runner, sink in ((lambda: live.handle("vote 25 2 2"), ours), (raw.transaction, theirs)):
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(batch):
                runner()
            sink.append(((time.perf_counter() - wall) / batch, (time.process_time() - cpu) / batch))
        done += batch
    states = [i["state"] for i in live.items]
    assert states.count("adopted") == done, states  # every vote went through
    raw.conn.close()
    return ours, theirs, done


def measure(items: int, batch: int) -> Figure:
    with tempfile.TemporaryDirectory() as folder:
        ctx, sitting = prepare(str(Path(folder) / "live.sqlite3"), items)
        with _live(ctx, sitting) as live:
            ours, theirs, done = _alternate(live, Raw(Path(folder) / "raw.sqlite3", items), items, batch)
        ctx.store.dispose()
    wall_ours, wall_raw = (statistics.median(w for w, _ in runs) * 1000 for runs in (ours, theirs))
    cpu_ours, cpu_raw = (statistics.median(c for _, c in runs) * 1000 for runs in (ours, theirs))
    return Figure(
        "delib session live: one vote (recorded, then the next item announced)",
        wall_ours,
        "ms",
        "raw sqlite3 transaction",
        wall_raw,
        target=2.0,
        higher_is_better=False,
        note=f"CPU {cpu_ours:.2f} ms vs {cpu_raw:.2f} ms = {cpu_ours / cpu_raw:.2f}; "
        f"{done} votes in batches of {batch}",
    )


def run(quick: bool = False) -> list[Figure]:
    return [measure(6, 2) if quick else measure(120, 10)]


def profile(items: int = 60) -> None:
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory() as folder:
        ctx, sitting = prepare(str(Path(folder) / "live.sqlite3"), items)
        profiler = cProfile.Profile()
        with _live(ctx, sitting) as live:
            profiler.enable()
            for _ in range(items):
                live.handle("vote 25 2 2")
            profiler.disable()
        ctx.store.dispose()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    import sys

    if "--profile" in sys.argv:
        profile()
    else:
        print(run(quick="--quick" in sys.argv))
