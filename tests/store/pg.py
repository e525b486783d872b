"""A throw-away PostgreSQL schema per test (the server of the machine, database ``test``).

Names carry ``DELIB_TEST_RUN`` (set by ``.ci/run``) so that a run can check it left nothing behind:
schemas ``t_<run>_<random>``, roles ``delib_<run>_<random>_<what>`` (tests/store/test_roles.py).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_BASE = os.environ.get("DELIB_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RUN = re.sub(r"[^a-z0-9]", "", os.environ.get("DELIB_TEST_RUN", "").lower())[:12]


def unique_name(prefix: str) -> str:
    """``prefix_<run>_<random>``: unique, lower case, a valid unquoted identifier."""
    return "_".join(part for part in (prefix, RUN, uuid.uuid4().hex[:12]) if part)


@contextmanager
def temporary_schema_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    schema = unique_name("t")
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
