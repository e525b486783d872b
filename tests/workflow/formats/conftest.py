"""Fixtures of the format tests: a second, fresh database (same backend) and a service context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.conftest import Cli


@contextmanager
def other_database(tmp_path: Any) -> Iterator[str]:
    """Another empty database of the same backend, for round trips (export here, import there)."""
    if os.environ.get("DELIB_TEST_DB", "sqlite") == "postgres":
        from tests.store.pg import temporary_schema_url

        with temporary_schema_url() as url:
            yield url
    else:
        yield "sqlite:///" + str(tmp_path / "fresh.sqlite3")


@pytest.fixture
def fresh_db_url(tmp_path: Any) -> Iterator[str]:
    with other_database(tmp_path) as url:
        yield url


@pytest.fixture
def fresh_cli(fresh_db_url: str) -> Cli:
    return Cli(fresh_db_url)


def service_context(url: str) -> Any:
    from workflow.service.context import Context
    from workflow.store.database import open_store

    return Context(store=open_store(url), actor="migration")
