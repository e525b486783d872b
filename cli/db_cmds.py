"""``delib db ...``: the schema's revision, and migrations (Alembic, shipped with délib)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.context import JSON, emit_json, existing_db, options
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
    "initialised": (
        "{db}: new délib database created at schema revision {after}.",
        "{db} : nouvelle base délib créée, révision de schéma {after}.",
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
    from workflow.store.database import open_store
    from workflow.store.failures import describe

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
    from workflow.store.database import open_store
    from workflow.store.failures import describe

    store = open_store(existing_db(ctx), check=False)
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


@app.command("init")
def db_init(
    ctx: typer.Context,
    target: str = typer.Argument(None, metavar="[PATH|URL]", help="Where to create it (default: --db, DELIB_DB)."),
    json_: bool = JSON,
) -> None:
    """Create a new délib database (an SQLite file, with its folder; or an empty PostgreSQL
    database) at this délib's schema. An existing file is never touched."""
    from workflow.errors import InvalidInput
    from workflow.store import schema
    from workflow.store.database import database_file, open_store, resolve_url
    from workflow.store.failures import describe

    where = target or options(ctx).db
    if not where:
        raise InvalidInput(
            "Give the PATH (or URL) of the new database.", "Donnez le CHEMIN (ou l'URL) de la nouvelle base."
        )
    file = database_file(where)
    if file is not None:
        if file.exists():
            raise InvalidInput(
                f"{file} already exists: `delib db init` creates only a new database (see `delib db upgrade`).",
                f"{file} existe déjà : `delib db init` ne crée qu'une nouvelle base (voir `delib db upgrade`).",
            )
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(
                f"Cannot create {file.parent}: {exc.strerror}.", f"Impossible de créer {file.parent} : {exc.strerror}."
            ) from None
    store = open_store(where, check=False)
    try:
        before = schema.revision(store)
        if before.current is not None:
            raise InvalidInput(
                f"{describe(store.url)} is already a délib database (revision {before.current}); "
                "see `delib db upgrade`.",
                f"{describe(store.url)} est déjà une base délib (révision {before.current}) ; voir `delib db upgrade`.",
            )
        _, after = schema.upgrade(store)
    finally:
        store.dispose()
    view = _view(describe(resolve_url(where)), store.engine.dialect.name, after)
    if json_:
        emit_json(view)
        return
    console.print(_say(options(ctx).lang, "initialised", db=view["database"], after=after.current))
