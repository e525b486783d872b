"""What every command shares: the database, the actor, the language, and JSON output."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from workflow.files import Protected
    from workflow.service import Context


JSON = typer.Option(False, "--json", help="Print JSON on stdout (for scripts).")
OVERRIDE = typer.Option([], "--override", help="Let the step through despite this rule (recorded as irregular).")
REASON = typer.Option(None, "--reason", help="Why the rule is overridden (required with --override).")
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
    from workflow.service import Context, current_actor
    from workflow.store.database import open_store

    opts = options(ctx)
    store = open_store(opts.db, readonly=readonly)
    return Context(store=store, actor=current_actor(opts.actor), overrides=overrides or {})


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


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
def output_file(ctx: typer.Context, path: str | Path, *, force: bool, binary: bool = False, mode: int = 0o644) -> Iterator[IO[Any]]:
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


def write_file(ctx: typer.Context, path: str | Path, data: str | bytes, *, force: bool, mode: int = 0o644) -> None:
    with output_file(ctx, path, force=force, binary=isinstance(data, bytes), mode=mode) as out:
        out.write(data)
