"""The schema's version: Alembic migrations shipped in the package, run from code.

No ``alembic.ini`` is needed: :func:`alembic_config` points Alembic at ``migrations/`` and hands it
the store's own connection (so SQLite's pragmas and PostgreSQL's ``search_path`` apply).

When migrations run by themselves (``open_store`` for writing):

- SQLite: always — a new file is created at the head revision, an older one is brought to it.
- PostgreSQL: only to create the schema of an empty database. A shared database that is behind is
  refused until an administrator runs ``delib db upgrade``: a clerk with a newer délib must not
  change the schema under the feet of colleagues, and a clerk role may not hold the rights to.

An upgrade is one transaction taken under a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock
on PostgreSQL): two processes never migrate at once, and a failed upgrade leaves nothing half done.
The append-only triggers on ``event`` are created by revision 0001.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

    from workflow.store.database import Store

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema created by délib before it had migrations (commit 8f452a1)
TABLES = frozenset({"council", "member", "session", "act", "event"})
VERSION_TABLE = "alembic_version"
MIGRATION_LOCK = 0x64E11B  # PostgreSQL advisory lock key held while migrating


@dataclass(frozen=True)
class Revision:
    """Where a database stands: its revision (None: none recorded) and this délib's head."""

    current: str | None
    head: str
    tables: frozenset[str]

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def empty(self) -> bool:
        return self.current is None and not (self.tables & TABLES)

    @property
    def unstamped(self) -> bool:
        """Tables created before délib had migrations: exactly revision 0001, not recorded."""
        return self.current is None and self.tables >= TABLES


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> object:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


HEAD = "i15d"  # the newest revision in migrations/versions (a test checks it against Alembic)


def head() -> str:
    """The revision this version of délib expects.

    A constant rather than Alembic's scan of the scripts, so that opening a database that is up
    to date does not import Alembic (every read command would pay ~0.1 s for it).
    """
    return HEAD


def alembic_head() -> str:
    """The head as Alembic computes it from the scripts (tests compare it with :data:`HEAD`)."""
    result = _scripts().get_current_head()  # type: ignore[attr-defined]
    assert result is not None
    return str(result)


def known(revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return _scripts().get_revision(revision) is not None  # type: ignore[attr-defined]
    except CommandError:
        return False


def revision_of(connection: Connection) -> Revision:
    from sqlalchemy import inspect, text

    tables = frozenset(inspect(connection).get_table_names())
    current = None
    if VERSION_TABLE in tables:
        current = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return Revision(current, head(), tables)


def revision(store: Store) -> Revision:
    from sqlalchemy.exc import DBAPIError

    from workflow.store.failures import database_error

    try:
        with store.engine.connect().execution_options(delib_reading=True) as connection:
            return revision_of(connection)
    except DBAPIError as exc:
        raise database_error(store.url, exc) from None


def upgrade(store: Store) -> tuple[Revision, Revision]:
    """Bring the database to the head revision (``delib db upgrade``); returns before and after."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from workflow.store.failures import database_error

    try:
        with store.engine.connect() as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                connection.execute(lock, {"key": MIGRATION_LOCK})
            before = revision_of(connection)
            _refuse_unmigratable(store, before)
            config = alembic_config(connection)
            if before.unstamped:
                command.stamp(config, BASELINE)
            if not before.up_to_date:
                command.upgrade(config, "head")
            after = revision_of(connection)
    except DBAPIError as exc:
        raise database_error(store.url, exc) from None
    return before, after


def prepare(store: Store, *, migrate: bool) -> None:
    """On opening: migrate when that is automatic (see the module's doc), else require the head."""
    state = revision(store)
    if state.up_to_date:
        return
    _refuse_unmigratable(store, state)
    if migrate and (store.is_sqlite or state.empty):
        upgrade(store)
        return
    _refuse(store, state)


def check_current(store: Store) -> None:
    """Refuse a database that is not at this délib's head revision (nothing is read or written)."""
    state = revision(store)
    if not state.up_to_date:
        _refuse(store, state)


def _refuse(store: Store, state: Revision) -> None:
    _refuse_unmigratable(store, state)
    from workflow.store.failures import describe

    where = describe(store.url)
    if state.empty:
        raise StoreError(
            f"The database {where} holds no délib schema yet. Create it with `delib db upgrade` "
            "(with --db or DELIB_DB pointing at it); nothing was read or written.",
            f"La base {where} ne contient pas encore de schéma délib. Créez-le avec "
            "`delib db upgrade` (avec --db ou DELIB_DB désignant cette base) ; rien n'a été lu ni "
            "écrit.",
        )
    current = state.current or f"{BASELINE} (unrecorded)"
    raise StoreError(
        f"The database {where} is at schema revision {current}; this délib needs {state.head}. Run "
        "`delib db upgrade` (with --db or DELIB_DB pointing at it, as a user allowed to change the "
        "schema); nothing was read or written.",
        f"La base {where} est à la révision de schéma {current} ; ce délib attend {state.head}. "
        "Lancez `delib db upgrade` (avec --db ou DELIB_DB désignant cette base, sous un compte "
        "autorisé à modifier le schéma) ; rien n'a été lu ni écrit.",
    )


def _refuse_unmigratable(store: Store, state: Revision) -> None:
    """Refuse a database that no upgrade may touch: a foreign one, or one from a newer délib."""
    from workflow.store.failures import describe

    where = describe(store.url)
    if state.current is None and (state.tables & TABLES) and not state.unstamped:
        missing = ", ".join(sorted(TABLES - state.tables))
        raise StoreError(
            f"The database {where} is not a délib database (missing tables: {missing}); nothing was changed.",
            f"La base {where} n'est pas une base délib (tables absentes : {missing}) ; rien n'a été modifié.",
        )
    if state.current is not None and not known(state.current):
        raise StoreError(
            f"The database {where} is at schema revision {state.current}, which this version "
            f"of délib does not know (it expects {state.head}): it was upgraded by a newer délib. "
            "Install that version; nothing was read or written.",
            f"La base {where} est à la révision de schéma {state.current}, inconnue de cette "
            f"version de délib (qui attend {state.head}) : une version plus récente l'a mise à "
            "jour. Installez celle-ci ; rien n'a été lu ni écrit.",
        )
