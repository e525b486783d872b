"""What every command shares: the database, the actor, the language, and JSON output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import typer

if TYPE_CHECKING:
    from workflow.files import Protected
    from workflow.service.context import Context
    from workflow.store.database import Store


JSON = typer.Option(False, "--json", help="Print JSON on stdout (for scripts).")
OVERRIDE = typer.Option([], "--override", help="Let the step through despite this rule (recorded as irregular).")


def _reason(param: typer.CallbackParam, value: Any) -> Any:
    return checked_text(TEXT_LIMIT, spaces_ok=True)(param, value)


REASON = typer.Option(None, "--reason", callback=_reason, help="Why the rule is overridden (required with --override).")
TEXT_LIMIT = 2000  # characters of a subject or a reason (a name: 200)
VOTES_MAX = 100_000  # no assembly has more members; the members in office are checked at the vote
# (negative counts reach the rule that refuses them, vote_counts, with its article)
YEAR_MIN, YEAR_MAX = 1900, 2199  # the years délib knows (the same bounds as every date given)
FORCE = typer.Option(False, "--force", help="Replace the output file if it already exists.")


@dataclass
class Options:
    db: str | None = None
    actor: str | None = None
    lang: str = "en"


def options(ctx: typer.Context) -> Options:
    root = ctx.find_root()
    if not isinstance(root.obj, Options):
        root.obj = Options()
    return root.obj


def service_context(ctx: typer.Context, *, readonly: bool = False, overrides: dict[str, str] | None = None) -> Context:
    """Open the store (imports the database stack only for commands that need it)."""
    from workflow.errors import InvalidInput
    from workflow.names import check_actor
    from workflow.service.context import Context, current_actor
    from workflow.store.database import open_store

    opts = options(ctx)
    if opts.actor is not None and not opts.actor.strip():
        raise InvalidInput(
            "--actor is empty: give who acts, or leave it out (DELIB_ACTOR, else your login name).",
            "--actor est vide : donnez qui agit, ou omettez-le (DELIB_ACTOR, sinon votre identifiant).",
        )
    actor = check_actor(current_actor(opts.actor))
    store = open_store(existing_db(ctx), readonly=readonly)
    if not store.is_sqlite and not opts.actor and not os.environ.get("DELIB_ACTOR"):
        actor = check_actor(_login_role(store))
    return Context(store=store, actor=actor, overrides=overrides or {})


def read_context(ctx: typer.Context) -> Context:
    """A read command's context: on an SQLite file at this délib's revision, a :class:`Reader`
    (``sqlite3``, one query to check the revision; the database stack imported only if a read
    needs it); elsewhere, the read-only store (``service_context``)."""
    from workflow.store.reader import open_reader

    opts = options(ctx)
    reader = open_reader(existing_db(ctx)) if opts.actor is None or opts.actor.strip() else None
    if reader is None:
        return service_context(ctx, readonly=True)
    from workflow.names import check_actor
    from workflow.service.context import Context, current_actor
    from workflow.store.reader import LazyStore

    return Context(store=cast("Store", LazyStore(opts.db)), actor=check_actor(current_actor(opts.actor)), reader=reader)


def _login_role(store: Any) -> str:
    from workflow.service.context import login_role

    return login_role(store)


def existing_db(ctx: typer.Context) -> str | None:
    """``--db``/``DELIB_DB``; a PATH that does not exist is refused (only the default location and
    ``delib db init PATH`` create a database)."""
    from workflow.store.location import missing_database, no_database

    db = options(ctx).db
    missing = missing_database(db)
    if missing is not None:
        raise no_database(missing)
    return db


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_json_stream(items: Iterable[Any]) -> None:
    """What :func:`emit_json` prints for the list of ``items``, written one item at a time."""
    write = sys.stdout.write
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2, default=str)
        write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
        first = False
    write("[]\n" if first else "\n]\n")


def parse_overrides(overrides: list[str], reason: str | None) -> dict[str, str]:
    from workflow.errors import InvalidInput

    if overrides and not (reason and reason.strip()):
        raise InvalidInput(
            "--override needs --reason TEXT: the history records why the rule was set aside.",
            "--override exige --reason TEXTE : l'historique enregistre pourquoi la règle a été écartée.",
        )
    return {rule: reason.strip() for rule in overrides} if reason else {}


def protected(ctx: typer.Context) -> Protected:
    """The files no output may touch: this command's database (and its companions), délib's data folder."""
    from workflow.files import Protected
    from workflow.store.database import database_file, default_path

    return Protected.around(database_file(options(ctx).db), [default_path().parent])


@contextmanager
def output_file(
    ctx: typer.Context, path: str | Path, *, force: bool, binary: bool = False, mode: int = 0o644
) -> Iterator[IO[Any]]:
    """Write ``path`` atomically, never over the database, never over a file without ``--force``;
    a replaced file is said on stderr (even with --json)."""
    from cli.i18n import t
    from cli.render import err_console
    from workflow.files import atomic_output

    existed = Path(path).exists()
    with atomic_output(path, force=force, protected=protected(ctx), binary=binary, mode=mode) as out:
        yield out
    if existed:
        err_console.print(t(options(ctx).lang, "replaced", path=str(path)), markup=False)


def check_output(ctx: typer.Context, path: str | Path | None, force: bool) -> None:
    """Refuse a forbidden or existing output file before any work is done."""
    if path is not None:
        from workflow.files import check_target

        check_target(path, force=force, protected=protected(ctx))


def write_file(ctx: typer.Context, path: str | Path, data: str | bytes, *, force: bool, mode: int = 0o644) -> None:
    with output_file(ctx, path, force=force, binary=isinstance(data, bytes), mode=mode) as out:
        out.write(data)


def checked_text(limit: int | None = None, *, spaces_ok: bool = False) -> Any:
    """A typer callback: the option's text (or each of its texts) one clean line, whole, not empty
    (see :func:`workflow.names.check_text`)."""
    from workflow.names import NAME_MAX

    def callback(param: typer.CallbackParam, value: Any) -> Any:
        from workflow.names import check_text

        what = _what(param)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None:
                check_text(item, what, limit=limit or NAME_MAX, spaces_ok=spaces_ok)
        return value

    return callback


def bounded(low: int, high: int) -> Any:
    """A typer callback: a whole number within ``low..high`` (a huge or negative count is refused
    before it reaches the database)."""

    def callback(param: typer.CallbackParam, value: Any) -> Any:
        from workflow.errors import InvalidInput

        what = _what(param)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item < 0 <= low:
                raise InvalidInput(
                    f"{what} cannot be negative ({item}). Nothing was written.",
                    f"{what} ne peut être négatif ({item}). Rien n'a été enregistré.",
                )
            if item is not None and not low <= item <= high:
                raise InvalidInput(
                    f"{what} takes a whole number from {low} to {high}, not {item}. Nothing was written.",
                    f"{what} prend un nombre entier de {low} à {high}, pas {item}. Rien n'a été enregistré.",
                )
        return value

    return callback


def _what(param: typer.CallbackParam) -> str:
    """How the user names the option or argument: ``--name``, or ``NAME...``."""
    if param.opts and param.opts[0].startswith("-"):
        return param.opts[0]
    return str(getattr(param, "metavar", None) or param.name or "?")
