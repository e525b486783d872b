"""Opening the database: where it lives (``workflow.store.location``), SQLite settings, read-only
access, clear errors.

The location is, in order: ``--db``, ``DELIB_DB``, else ``delib.sqlite3`` in the user's data
directory (``platformdirs``). Either a path or a SQLAlchemy URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlmodel import Session, create_engine

from workflow.errors import StoreError
from workflow.store.failures import (
    INSUFFICIENT_PRIVILEGE,
    STATEMENT_TIMEOUT,
    busy_timeout,
    env_seconds,
    refused_to_role,
    store_error,
)
from workflow.store.history import canonical_json
from workflow.store.location import default_path

# JSON columns are written as canonical JSON text, the form the hash chain covers, so that the
# stored text of an event's facts and verdicts is part of what ``delib audit verify`` checks
# (see ``workflow.store.history``); read back with the standard decoder.
JSON_TEXT: dict[str, Any] = {"json_serializer": canonical_json, "json_deserializer": json.loads}


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``--db`` / ``DELIB_DB`` / the default file."""
    target = db or os.environ.get("DELIB_DB") or str(default_path())
    if "://" in target:
        return target
    return "sqlite:///" + str(Path(target).expanduser().resolve())


def database_file(db: str | None = None) -> Path | None:
    """The SQLite file behind ``--db`` / ``DELIB_DB`` / the default (None: a server database)."""
    try:
        parsed = make_url(resolve_url(db))
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


@dataclass
class Store:
    """An open database: its engine and whether it is read-only."""

    engine: Engine
    url: str
    readonly: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose errors become :class:`StoreError` (and are rolled back)."""
        with Session(self.engine, expire_on_commit=False) as session:
            if self.readonly and not self.is_sqlite:
                # One snapshot for the whole read: an auditor's verify must not see a clerk's
                # commit between reading the acts and reading their events.
                session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            try:
                yield session
            except OperationalError as exc:
                session.rollback()
                raise store_error(self.url, exc) from None
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                    raise
                session.rollback()
                raise refused_to_role(self.url, exc) from None

    def dispose(self) -> None:
        self.engine.dispose()


# ---------------------------------------------------------------- concurrency

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def lock_chain(session: Session, council_id: str) -> None:
    """Hold the council's chain until the transaction ends, so appends queue instead of colliding.

    PostgreSQL: the council's own row, locked ``FOR NO KEY UPDATE`` (released at commit or
    rollback). Taken just before the append, it makes a second clerk of the same council wait only
    for the first one's commit, then read the new end of the chain; clerks of other councils never
    wait. Without it, both would compute the same ``seq`` and the loser's whole transaction would
    be rerun. A row lock rather than an advisory lock: row-level security hides another council's
    row from a clerk, so no clerk can take (and hold) the chain lock of a council not theirs, while
    anyone may take any advisory lock. ``NO KEY``: the rows that reference the council (their
    foreign-key checks take ``KEY SHARE``) are not blocked. SQLite needs nothing: ``BEGIN
    IMMEDIATE`` already admits one writer at a time. ``UNIQUE (council_id, seq)`` stays the
    guarantee; this only spares the reruns.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT 1 FROM council WHERE id = :id FOR NO KEY UPDATE"), {"id": council_id})


def lost_race(exc: DBAPIError) -> bool:
    """Did this transaction lose a race that running it again resolves?

    Either a concurrent append took its place in the council's chain (the only unique constraint
    of ``event`` besides its key is ``(council_id, seq)``), or PostgreSQL aborted it to break a
    deadlock or a serialization failure.
    """
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    if not isinstance(exc, IntegrityError):
        return False
    diag = getattr(orig, "diag", None)
    if diag is not None:  # PostgreSQL
        return orig.sqlstate == "23505" and diag.table_name == "event"  # type: ignore[union-attr]
    return str(orig).startswith("UNIQUE constraint failed: event.")  # SQLite


def pause_before_retry(attempt: int) -> None:
    """A short random wait (growing with the attempts) so that two losers do not collide again."""
    time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 5)))


def _sqlite_pragmas(readonly: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off; ``_sqlite_begin`` emits BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
        if not readonly:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return on_connect


def _sqlite_begin(readonly: bool) -> Any:
    """Writers start with ``BEGIN IMMEDIATE``: they take SQLite's single write lock at once.

    A deferred transaction that reads and then writes cannot wait for the lock: if another writer
    committed since it read, SQLite refuses it at once (SQLITE_BUSY, whatever the busy_timeout).
    Taking the lock first makes a second clerk wait (busy_timeout) and then read the fresh rows;
    readers (WAL) never wait. It also makes DDL transactional, for the migrations. A connection
    with the execution option ``delib_reading`` only reads: plain ``BEGIN``.
    """

    def on_begin(connection: Any) -> None:
        reading = readonly or connection.get_execution_options().get("delib_reading", False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return on_begin


def open_store(db: str | None = None, *, readonly: bool = False, create: bool = True, check: bool = True) -> Store:
    """Open the store, checking that its schema is this délib's (see ``workflow.store.schema``).

    ``create``: a writable store may be created or migrated when that is automatic (a new or older
    SQLite file, an empty PostgreSQL database); ``check=False`` skips the check (``delib db``).
    """
    url = resolve_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"'{url}' is neither a file path nor a database URL.",
            f"« {url} » n'est ni un chemin de fichier ni une URL de base de données.",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database or "", readonly)
    else:
        try:
            timeouts = _pg_timeouts(readonly, parsed.query.get("options"))
            engine = create_engine(url, pool_pre_ping=True, connect_args=timeouts, **JSON_TEXT)
        except (ArgumentError, ImportError) as exc:
            raise store_error(url, exc) from None
    store = Store(engine, url, readonly)
    if not check:
        return store
    from workflow.store.schema import prepare

    try:
        prepare(store, migrate=create and not readonly)
    except (OperationalError, DatabaseError) as exc:
        store.dispose()
        raise store_error(url, exc) from None
    except StoreError:
        store.dispose()
        raise
    return store


def _pg_timeouts(readonly: bool, given: str | tuple[str, ...] | None = None) -> dict[str, Any]:
    """Every PostgreSQL session bounds its waits: ``lock_timeout`` (a row, table or advisory lock
    held by another) and, for writers, ``statement_timeout``; beyond them the command ends with
    the "busy" message (exit 8) instead of hanging, and holds no lock itself for long."""
    settings = [f"-c lock_timeout={int(busy_timeout() * 1000)}"]
    if not readonly:
        settings.append(f"-c statement_timeout={int(env_seconds('DELIB_STATEMENT_TIMEOUT', STATEMENT_TIMEOUT) * 1000)}")
    already = " ".join(given) if isinstance(given, tuple) else given  # e.g. -csearch_path=delib, kept
    return {"options": " ".join(filter(None, [already, *settings]))}


def _make_folder(url: str, path: Path) -> None:
    """Only délib's default location gets its folders created; elsewhere the folder must exist
    (a mistyped ``--db`` must not silently start a new database in a new folder)."""
    if path.parent.is_dir():
        return
    if path.resolve() != default_path().resolve():
        raise StoreError(
            f"The folder {path.parent} does not exist: no database is created there. Check --db or "
            f"DELIB_DB, or create the database with `delib db init {path}`.",
            f"Le dossier {path.parent} n'existe pas : aucune base n'y est créée. Vérifiez --db ou "
            f"DELIB_DB, ou créez la base avec `delib db init {path}`.",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise store_error(url, exc) from None


def _sqlite_engine(url: str, path: str, readonly: bool) -> Engine:
    if readonly:
        if not Path(path).exists():
            raise StoreError(f"There is no délib database at {path}.", f"Il n'y a pas de base délib à {path}.")
        engine = create_engine(
            f"sqlite:///file:{path}?mode=ro&uri=true",
            connect_args={"check_same_thread": False},
            **JSON_TEXT,
        )
    else:
        if path and path != ":memory:":
            _make_folder(url, Path(path))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout()}, **JSON_TEXT)
    sa_event.listen(engine, "connect", _sqlite_pragmas(readonly))
    sa_event.listen(engine, "begin", _sqlite_begin(readonly))
    return engine
