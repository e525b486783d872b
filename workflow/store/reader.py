"""Reading an SQLite database without the database stack: the light path of the read commands.

``delib act show`` or ``delib status`` need a few rows; importing SQLAlchemy, SQLModel and its
pydantic models, mapping the tables and inspecting the schema would cost them more than the
reading itself (``import sqlmodel`` alone is about 0.35 s). A :class:`Reader` is a read-only
``sqlite3`` connection (``mode=ro``: it cannot write, WAL readers never wait) whose schema is
checked by one query: the recorded revision must be this délib's head. Anything else — another
revision, no version table, a file that is not a database, a server URL — gets ``None`` from
:func:`open_reader`, and the command opens the full store, whose check refuses the database with
its own message and exit code (``workflow.store.schema``).

The rows come back as :class:`Row` objects with the attributes of the models (dates as ``date``,
JSON as values), so the views that show a model show a row alike (``workflow.service.views``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

# The columns of the ``act`` row (a test checks them against ``workflow.history.ACT_COLUMNS``).
ACT_COLUMNS = (
    "id",
    "council_id",
    "session_id",
    "number",
    "rank",
    "subject",
    "state",
    "version",
    "matiere",
    "nature",
    "kind",
    "subject_to_transmission",
    "attendance",
    "vote",
    "voted_on",
    "posted_on",
    "filed_on",
    "ack",
    "executory_on",
    "irregular",
    "corrected_on",
    "corrects",
    "text_sha256",
    "annexes",
    "election",
)
DATES = frozenset(
    {"voted_on", "posted_on", "filed_on", "executory_on", "corrected_on", "legal_date", "since", "left_on", "born"}
)
JSONS = frozenset({"attendance", "vote", "annexes", "election", "facts", "verdicts"})
FLAGS = frozenset({"subject_to_transmission", "irregular", "urgent", "is_mayor", "in_office"})
MOMENTS = frozenset({"recorded_at", "created_at"})


class Row:
    """One stored row, as attributes named after its columns (``row.state``, ``row.voted_on``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # a column the row lacks (typed Any for the views)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"Row({self.__dict__!r})"


def _decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATES:
        return date.fromisoformat(value)
    if name in JSONS:
        return json.loads(value)
    if name in FLAGS:
        return bool(value)
    if name in MOMENTS:
        from datetime import UTC

        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def decode(columns: tuple[str, ...], values: tuple[Any, ...]) -> Row:
    return Row({name: _decode(name, value) for name, value in zip(columns, values, strict=True)})


class Reader:
    """A read-only ``sqlite3`` connection to a délib database at this délib's head revision."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self.connection.execute(sql, parameters)
        except sqlite3.Error as exc:
            from workflow.store.failures import store_error

            raise store_error(f"sqlite:///{self.path}", exc) from None

    def act(self, act_id: str) -> Row | None:
        found = self.execute(f"SELECT {', '.join(ACT_COLUMNS)} FROM act WHERE id = ?", (act_id,)).fetchone()
        return None if found is None else decode(ACT_COLUMNS, found)

    def acts(self, council_id: str | None = None) -> Iterator[tuple[Row, str]]:
        """Every act (of one council), in the order of ``delib status``, with its council's
        definition; streamed from the cursor."""
        where, parameters = ("WHERE act.council_id = ? ", (council_id,)) if council_id else ("", ())
        cursor = self.execute(
            f"SELECT {', '.join('act.' + c for c in ACT_COLUMNS)}, council.definition FROM act "
            f"JOIN council ON council.id = act.council_id {where}"
            "ORDER BY act.council_id, act.session_id, act.rank",
            parameters,
        )
        for values in cursor:
            yield decode(ACT_COLUMNS, values[:-1]), values[-1]

    def act_lines(self, council_id: str | None = None) -> Iterator[tuple[str, str, str, str, bool, str, str | None]]:
        """What a line of ``delib status`` shows of each act — id, session, subject, state,
        irregular, definition, kind (its next steps depend on it) — in its order, streamed (no
        JSON decoded)."""
        where, parameters = ("WHERE act.council_id = ? ", (council_id,)) if council_id else ("", ())
        cursor = self.execute(
            "SELECT act.id, act.session_id, act.subject, act.state, act.irregular, council.definition, act.kind "
            f"FROM act JOIN council ON council.id = act.council_id {where}"
            "ORDER BY act.council_id, act.session_id, act.rank",
            parameters,
        )
        for act_id, session, subject, state, irregular, definition, kind in cursor:
            yield act_id, session, subject, state, bool(irregular), definition, kind

    def has_council(self, council_id: str) -> bool:
        return self.execute("SELECT 1 FROM council WHERE id = ?", (council_id,)).fetchone() is not None

    def rectified_by(self, act_id: str) -> list[str]:
        """The délibérations rectificatives that correct ``act_id``."""
        return [row[0] for row in self.execute("SELECT id FROM act WHERE corrects = ? ORDER BY id", (act_id,))]

    def close(self) -> None:
        self.connection.close()


def open_reader(db: str | None = None) -> Reader | None:
    """A :class:`Reader` on the SQLite file ``db`` names when its recorded revision is this délib's
    head (one query); None for anything else (a server URL, another revision, not a database):
    the caller opens the full store, which migrates or refuses with its own message."""
    from workflow.store.location import sqlite_path
    from workflow.store.schema import HEAD, VERSION_TABLE

    path = sqlite_path(db)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=10.0)
    except sqlite3.Error:
        return None
    try:
        found = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    except sqlite3.Error:
        found = []
    if found != [(HEAD,)]:
        connection.close()
        return None
    connection.execute("PRAGMA query_only=ON")
    return Reader(connection, path)


class LazyStore:
    """The full read-only store (``workflow.store.database.Store``), opened — and its schema
    checked — on first use: a command served by its :class:`Reader` never imports the stack."""

    def __init__(self, db: str | None) -> None:
        self._db = db
        self._store: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._store is None:
            from workflow.store.database import open_store

            self._store = open_store(self._db, readonly=True)
        return getattr(self._store, name)

    @property
    def is_sqlite(self) -> bool:
        return True

    def dispose(self) -> None:
        if self._store is not None:
            self._store.dispose()
