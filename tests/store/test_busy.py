"""Clerks during long work (issue 12, item 3): a command waits for a lock held by another (an
import, a migration, a verify) and succeeds; held beyond the timeout, it ends "busy" (exit 8)
quickly, without a traceback and without writing. Both databases."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import create_engine, text

POSTGRES = os.environ.get("DELIB_TEST_DB", "sqlite") == "postgres"


@pytest.fixture
def council(cli):
    cli.ok("council", "add", "w", "--name", "W", "--population", "3000")
    return cli


@contextmanager
def held(db_url: str, seconds: float) -> Iterator[threading.Event]:
    """Another connection holds what a clerk's write needs (SQLite: the write lock; PostgreSQL: the
    council's chain lock) for ``seconds``, from a thread."""
    taken = threading.Event()
    engine = create_engine(db_url)

    def hold() -> None:
        with engine.connect() as con:
            if POSTGRES:
                con.execute(text("SELECT 1 FROM council WHERE id = 'w' FOR NO KEY UPDATE"))
            else:
                con.exec_driver_sql("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(seconds)
            if POSTGRES:
                con.rollback()
            else:
                con.exec_driver_sql("ROLLBACK")

    if not POSTGRES:
        engine = create_engine(db_url, connect_args={"isolation_level": None})
    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    try:
        yield taken
    finally:
        thread.join()
        engine.dispose()


def test_a_clerk_waits_for_a_short_lock_and_succeeds(council, monkeypatch):
    monkeypatch.setenv("DELIB_BUSY_TIMEOUT", "10")
    with held(council.db_url, 1.0):
        started = time.monotonic()
        result = council("member", "add", "w", "ROLLAND Thierry")
        waited = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert waited >= 0.5  # it did wait for the other one
    assert [m["name"] for m in council.json("member", "list", "w")["members"]] == ["ROLLAND Thierry"]


def test_a_lock_held_beyond_the_timeout_ends_busy_with_exit_8(council, monkeypatch):
    monkeypatch.setenv("DELIB_BUSY_TIMEOUT", "0.5")
    with held(council.db_url, 4.0):
        started = time.monotonic()
        result = council("member", "add", "w", "ROLLAND Thierry")
        waited = time.monotonic() - started
        fr = council("member", "add", "w", "ROLLAND Thierry", lang="fr")
    assert result.exit_code == 8, result.output
    assert waited < 3.5  # not a 30-second hang
    said = " ".join(result.stderr.split())
    assert "is busy" in said and "more than 0.5 s" in said and "Nothing was written" in said
    assert fr.exit_code == 8 and "est occupée" in " ".join(fr.stderr.split())
    assert council.json("member", "list", "w")["members"] == []


def test_readers_are_not_blocked_by_a_writer(council, monkeypatch):
    monkeypatch.setenv("DELIB_BUSY_TIMEOUT", "0.5")
    with held(council.db_url, 2.0):
        assert council("audit", "verify").exit_code == 0
        assert council("status").exit_code == 0


def test_a_clerk_writes_while_a_long_verification_reads(council, monkeypatch):
    """An auditor's verify is one long read transaction: a clerk's write does not wait for it."""
    monkeypatch.setenv("DELIB_BUSY_TIMEOUT", "0.5")
    engine = create_engine(council.db_url, **({} if POSTGRES else {"connect_args": {"isolation_level": None}}))
    with engine.connect() as reader:
        if POSTGRES:
            reader.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        else:
            reader.exec_driver_sql("BEGIN")  # what délib's read-only store does
        assert reader.execute(text("SELECT count(*) FROM event")).scalar_one() == 1  # the read is open
        started = time.monotonic()
        result = council("member", "add", "w", "ROLLAND Thierry")
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < 3
        assert reader.execute(text("SELECT count(*) FROM event")).scalar_one() == 1  # its snapshot holds
    engine.dispose()


def test_a_clerk_works_while_a_long_import_runs(cli, tmp_path, monkeypatch):
    """The import writes in short transactions (--batch-size rows each): a clerk's command slips in
    between two of them instead of waiting for the whole file."""
    from tests.workflow.formats.scdl_rows import valid_row, write_rows
    from tests.workflow.formats.seed import SIREN
    from workflow.service.context import Context
    from workflow.service.imports import import_scdl
    from workflow.store.database import open_store

    monkeypatch.setenv("DELIB_BUSY_TIMEOUT", "10")
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    path = write_rows(tmp_path / "big.csv", [valid_row(f"A{i}") for i in range(20_000)])
    ctx = Context(store=open_store(cli.db_url), actor="import")
    report: list[Any] = []
    writing = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 200:  # two batches written: the import is under way
            writing.set()

    def run() -> None:
        report.append(import_scdl(ctx, "ville", path, batch_size=100, progress=progress))

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert writing.wait(60)
        started = time.monotonic()
        result = cli("member", "add", "ville", "ROLLAND Thierry")
        waited = time.monotonic() - started
        still_importing = thread.is_alive()
    finally:
        thread.join(120)
        ctx.store.dispose()
    assert result.exit_code == 0, result.output
    assert report and report[0].imported == 20_000
    assert still_importing, "the import ended before the clerk's command: the test proves nothing"
    assert waited < 10  # one batch at most, not the whole file (generous: the machine is shared)
