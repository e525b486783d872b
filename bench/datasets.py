"""Generated databases, built once and cached: a council of 1,800 acts (start-up, ``status``) and
a log of a million events (the lists).

They are written by ``bench.audit_verify.generate`` with raw ``sqlite3`` inserts on the schema
délib's migrations create, hashed by ``workflow.store.history`` (a valid chain: ``audit verify``
passes on them). The cache is ``bench/.cache/`` (git-ignored), one file per size, named after the
schema's head and a digest of the generator's source, so a new revision or a changed generator
builds a new file; ``DELIB_BENCH_CACHE`` moves it.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import time
from pathlib import Path

COUNCIL_ACTS = 1_800
ACTS_PER_SESSION = 20
EVENTS_PER_ACT = 6
SITTING_EVENTS = 3


def events_for(acts: int) -> int:
    """The size of log that ``generate`` turns into ``acts`` acts."""
    sessions = -(-acts // ACTS_PER_SESSION)
    return 1 + acts * EVENTS_PER_ACT + sessions * SITTING_EVENTS


def cache_dir() -> Path:
    folder = Path(os.environ.get("DELIB_BENCH_CACHE") or Path(__file__).with_name(".cache"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _key() -> str:
    import bench.audit_verify as generator
    from workflow.store.schema import HEAD

    digest = hashlib.sha256(inspect.getsource(generator).encode()).hexdigest()[:12]
    return f"{HEAD}-{digest}"


def database(events: int) -> tuple[Path, int, int]:
    """A generated log of about ``events`` events: (path, events, acts); built on first use."""
    from bench.audit_verify import generate

    path = cache_dir() / f"log-{events}-{_key()}.sqlite3"
    meta = path.with_suffix(".counts")
    if path.exists() and meta.exists():
        written, acts = (int(x) for x in meta.read_text().split())
        return path, written, acts
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    began = time.perf_counter()
    written, acts, _ = generate(partial, events)
    partial.rename(path)
    meta.write_text(f"{written} {acts}\n")
    print(f"  generated {written:,} events ({acts:,} acts) in {time.perf_counter() - began:.1f} s → {path}", flush=True)
    return path, written, acts


def council(acts: int = COUNCIL_ACTS) -> tuple[Path, int, int]:
    """A council of ``acts`` acts (the start-up and ``status`` sections)."""
    return database(events_for(acts))
