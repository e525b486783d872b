"""What a failure of the database is told as: one paragraph naming the database (its URL without
the password), in English and French, never a traceback; and how long a command waits for a lock
held by another before it says the database is busy (exit 8).

Kept apart from :mod:`workflow.store.database` (which opens the store) and
:mod:`workflow.store.schema` (which migrates it), which both tell their failures this way.
"""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from workflow.errors import ConcurrentChange, StoreError


def describe(url: str) -> str:
    """The URL without its password, to show to a user."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


INSUFFICIENT_PRIVILEGE = "42501"  # also what a row-level security policy raises


def refused_to_role(url: str, exc: DBAPIError) -> StoreError:
    detail = str(exc.orig).strip().splitlines()[0]
    return StoreError(
        f"The database {describe(url)} refused this to your role ({detail}): a clerk writes only "
        "for the councils bound to their role, an auditor only reads (see docs/postgresql.md). "
        "Nothing was written.",
        f"La base {describe(url)} a refusé cela à votre rôle ({detail}) : un greffier n'écrit que "
        "pour les assemblées rattachées à son rôle, un auditeur ne fait que lire (voir "
        "docs/postgresql.md). Rien n'a été enregistré.",
    )


def database_error(url: str, exc: DBAPIError) -> StoreError | Busy:
    """The one-paragraph error for a failure of the database driver."""
    if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
        return refused_to_role(url, exc)
    return store_error(url, exc)


# ---------------------------------------------------------------- waiting for others

BUSY_TIMEOUT = 10.0  # seconds a command waits for a lock held by another (DELIB_BUSY_TIMEOUT)
STATEMENT_TIMEOUT = 300.0  # seconds one statement of a writer may run on PostgreSQL (DELIB_STATEMENT_TIMEOUT)
BUSY_SQLSTATES = {"55P03", "57014"}  # lock_not_available (lock_timeout), query_canceled (statement_timeout)


def env_seconds(variable: str, default: float) -> float:
    """A duration from the environment, in seconds (a malformed or negative value: the default)."""
    try:
        value = float(os.environ.get(variable, default))
    except ValueError:
        return default
    return value if 0 <= value <= 86_400 else default


def busy_timeout() -> float:
    return env_seconds("DELIB_BUSY_TIMEOUT", BUSY_TIMEOUT)


def is_busy(exc: Exception) -> bool:
    """A lock held by someone else beyond the timeout (SQLite ``database is locked``, PostgreSQL
    ``lock_timeout``/``statement_timeout``)."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


class Busy(ConcurrentChange):
    """Another command holds the database longer than this one waits (exit 8)."""


def busy_error(url: str) -> Busy:
    waited = f"{busy_timeout():g}"
    return Busy(
        f"The database {describe(url)} is busy: another command (an import, a migration, another clerk) "
        f"held it for more than {waited} s. Nothing was written; try again in a moment "
        "(DELIB_BUSY_TIMEOUT sets how long to wait, in seconds).",
        f"La base {describe(url)} est occupée : une autre commande (un import, une migration, un autre "
        f"greffier) la retient depuis plus de {waited} s. Rien n'a été enregistré ; réessayez dans un "
        "instant (DELIB_BUSY_TIMEOUT fixe l'attente, en secondes).",
    )


def store_error(url: str, exc: Exception) -> StoreError | Busy:
    if is_busy(exc):
        return busy_error(url)
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return StoreError(
        f"The database {describe(url)} cannot be used: {detail}. Check the path or URL given by "
        "--db or DELIB_DB, and that the file is a délib database that you may read and write.",
        f"La base {describe(url)} est inutilisable : {detail}. Vérifiez le chemin ou l'URL donnés "
        "par --db ou DELIB_DB, et que le fichier est une base délib lisible et modifiable.",
    )
