"""Who acts, on which store, and when: the :class:`Context` every use case receives."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from workflow.dates import utc_now

if TYPE_CHECKING:
    from workflow.store.database import Store
    from workflow.store.reader import Reader


def current_actor(explicit: str | None = None) -> str:
    """Who is acting: ``--actor``, else ``DELIB_ACTOR``, else the login name."""
    if explicit:
        return explicit
    if os.environ.get("DELIB_ACTOR"):
        return os.environ["DELIB_ACTOR"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Context:
    """Who acts, on which store, and when (``now`` is injectable for tests)."""

    store: Store
    actor: str
    now: Callable[[], datetime] = utc_now
    overrides: Mapping[str, str] = field(default_factory=dict)
    # A read command on SQLite: the database read without the database stack (the ``store`` is
    # then opened on first use, for what the reader does not serve; see workflow.store.reader).
    reader: Reader | None = None


def login_role(store: Store) -> str:
    """On a server database, who acts by default is the role the database knows you as
    (``session_user``), not the name of your account on this machine."""
    from sqlalchemy import text

    with store.session() as session:
        return str(session.execute(text("SELECT session_user")).scalar_one())
