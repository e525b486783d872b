"""Shared fixtures: a fresh database per test, and a CLI runner bound to it.

``DELIB_TEST_DB`` chooses the backend: unset or ``sqlite`` gives a new SQLite file per test;
``postgres`` gives a new PostgreSQL schema per test (see tests/store/pg.py), dropped afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Cli:
    """Runs ``delib`` in-process against one database, as a clerk would from a terminal."""

    def __init__(self, db_url: str, actor: str = "clerk") -> None:
        self.db_url = db_url
        self.actor = actor
        self.runner = CliRunner()

    def __call__(self, *args: str, lang: str = "en", actor: str | None = None) -> CliResult:
        argv = ["--db", self.db_url, "--actor", actor or self.actor, "--lang", lang, *args]
        result = self.runner.invoke(app, argv, catch_exceptions=False, env={"COLUMNS": "200"})
        return CliResult(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kwargs: Any) -> CliResult:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        return self.ok(*args, "--json", **kwargs).json()


@pytest.fixture
def db_url(tmp_path: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database; after the test, every row in it must be what its event log proves."""
    import os

    backend = os.environ.get("DELIB_TEST_DB", "sqlite")
    if backend == "postgres":
        from tests.store.pg import temporary_schema_url

        with temporary_schema_url() as url:
            yield url
            _rows_are_the_fold(url, request)
    else:
        url = "sqlite:///" + str(tmp_path / "delib.sqlite3")
        yield url
        if (tmp_path / "delib.sqlite3").exists():
            _rows_are_the_fold(url, request)


def _rows_are_the_fold(url: str, request: pytest.FixtureRequest) -> None:
    """The event log each test leaves, replayed through the history fold, gives every council,
    member, séance and act row field by field (tests that edit rows behind délib's back say so
    with ``@pytest.mark.rows_tampered``)."""
    if request.node.get_closest_marker("rows_tampered") or not _test_passed(request):
        return
    from workflow.audit.rows import row_findings
    from workflow.errors import DelibError
    from workflow.store.database import open_store

    try:
        store = open_store(url, readonly=True)
    except DelibError:
        return  # the test left no délib database (a file given as one, a refused path)
    try:
        with store.session() as session:
            found = row_findings(session)
    finally:
        store.dispose()
    assert not found, [f.message() for f in found[:5]]


def _test_passed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "rep_call", None)
    return report is None or report.passed


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)
