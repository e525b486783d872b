"""Where the database lives, without the database stack (a read command checks it before it
imports SQLAlchemy; see ``workflow.store.reader``).

The location is, in order: ``--db``, ``DELIB_DB``, else ``delib.sqlite3`` in the user's data
directory (``platformdirs``). Either a path or a SQLAlchemy URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import os
from pathlib import Path

from workflow.errors import StoreError


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("delib", appauthor=False)) / "delib.sqlite3"


def sqlite_path(db: str | None = None) -> Path | None:
    """The SQLite file a ``--db``/``DELIB_DB`` path, a plain ``sqlite:///PATH`` URL or the
    default names; None for any other URL (a server, options, an in-memory database)."""
    target = db or os.environ.get("DELIB_DB") or str(default_path())
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
        if not target or "?" in target or target == ":memory:":
            return None
    elif "://" in target:
        return None
    return Path(target).expanduser().resolve()


def missing_database(db: str | None) -> Path | None:
    """The file a ``--db``/``DELIB_DB`` PATH names when it does not exist (None: it exists, or it is
    a URL, or the default location, which is created on first use)."""
    target = db or os.environ.get("DELIB_DB")
    if not target or "://" in target:
        return None
    path = Path(target).expanduser()
    return None if path.exists() else path


def no_database(path: Path) -> StoreError:
    return StoreError(
        f"There is no délib database at {path}. Check --db or DELIB_DB; to start a new one, run "
        f"`delib db init {path}`. Nothing was written.",
        f"Il n'y a pas de base délib à {path}. Vérifiez --db ou DELIB_DB ; pour en commencer une "
        f"nouvelle, lancez `delib db init {path}`. Rien n'a été enregistré.",
    )
