"""For developers: the next schema revision written by Alembic from what the models add to head.

Apart from :mod:`workflow.store.schema` (which the store imports to migrate on opening) because it
opens a store itself: ``python -c "from workflow.store.autogenerate import autogenerate;
autogenerate('act reporter')"``.
"""

from __future__ import annotations

from pathlib import Path

from workflow.store.database import open_store
from workflow.store.schema import alembic_config, head


def autogenerate(message: str) -> Path:
    """For developers: write the next revision (``0002``...) from what the models add to head.

    ``python -c "from workflow.store.autogenerate import autogenerate; autogenerate('act reporter')"``
    — then read the file: Alembic cannot guess a rename or a data migration, and a revision that
    rebuilds ``event`` on SQLite (batch mode) must create its triggers again.
    """
    import tempfile

    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "head.sqlite3"))
        try:
            with store.engine.connect() as connection, connection.begin():
                script = command.revision(
                    alembic_config(connection),
                    message=message,
                    autogenerate=True,
                    rev_id=f"{int(head()) + 1:04d}",
                )
        finally:
            store.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
