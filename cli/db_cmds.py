"""``delib db ...``: the schema's revision, and migrations (Alembic, shipped with délib)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.context import JSON, emit_json, options
from cli.render import console

if TYPE_CHECKING:
    from workflow.store.schema import Revision

app = typer.Typer(no_args_is_help=True)


TEXT = {
    "current": (
        "{db}: schema revision {current} (this délib: {head}) — {verdict}.",
        "{db} : révision de schéma {current} (ce délib : {head}) — {verdict}.",
    ),
    "up_to_date": ("up to date", "à jour"),
    "behind": ("run `delib db upgrade`", "lancez `delib db upgrade`"),
    "none": ("none", "aucune"),
    "upgraded": (
        "{db}: schema upgraded from revision {before} to {after}.",
        "{db} : schéma mis à jour de la révision {before} à {after}.",
    ),
    "already": (
        "{db}: schema already at revision {after}; nothing to do.",
        "{db} : schéma déjà à la révision {after} ; rien à faire.",
    ),
}


def _say(lang: str, key: str, **values: Any) -> str:
    en, fr = TEXT[key]
    return (fr if lang == "fr" else en).format(**values)


def _view(db: str, dialect: str, state: Revision) -> dict[str, Any]:
    return {
        "database": db,
        "dialect": dialect,
        "current": state.current,
        "head": state.head,
        "up_to_date": state.up_to_date,
    }


@app.command("current")
def db_current(ctx: typer.Context, json_: bool = JSON) -> None:
    """Show the database's schema revision and the one this délib expects (reads nothing else)."""
    from workflow.store import schema
    from workflow.store.database import describe, open_store

    store = open_store(options(ctx).db, readonly=True, check=False)
    try:
        state = schema.revision(store)
    finally:
        store.dispose()
    view = _view(describe(store.url), store.engine.dialect.name, state)
    if json_:
        emit_json(view)
        return
    lang = options(ctx).lang
    verdict = _say(lang, "up_to_date" if state.up_to_date else "behind")
    current = state.current or _say(lang, "none")
    console.print(_say(lang, "current", db=view["database"], current=current, head=state.head, verdict=verdict))


@app.command("upgrade")
def db_upgrade(ctx: typer.Context, json_: bool = JSON) -> None:
    """Create the schema, or bring it to this délib's revision (one transaction, under a lock)."""
    from workflow.store import schema
    from workflow.store.database import describe, open_store

    store = open_store(options(ctx).db, check=False)
    try:
        before, after = schema.upgrade(store)
    finally:
        store.dispose()
    view = {
        **_view(describe(store.url), store.engine.dialect.name, after),
        "previous": before.current,
    }
    if json_:
        emit_json(view)
        return
    lang = options(ctx).lang
    if before.up_to_date:
        console.print(_say(lang, "already", db=view["database"], after=after.current))
    else:
        previous = before.current or _say(lang, "none")
        console.print(_say(lang, "upgraded", db=view["database"], before=previous, after=after.current))
