"""Entry point of the ``delib`` command. Keep imports light: ``delib --help`` must answer at once."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from cli import (
    act,
    audit_cmds,
    council,
    db_cmds,
    defaults,
    definitions_cmds,
    due_cmds,
    export_cmds,
    import_cmds,
    review_cmds,
    session,
)
from cli.context import Options
from cli.i18n import activate, active, detect_lang
from cli.typer_l10n import localize, localize_error, usage_error_class


def _plain_text_parameters() -> None:
    """Text options and arguments taken as given, without a pydantic validator.

    typer (0.2x) coerces every value through a pydantic ``TypeAdapter``: importing pydantic and
    building one adapter per parameter costs a read command ~0.08 s, more than its reading. A
    ``str`` (or ``list[str]``) parameter receives text from the command line, which the adapter
    would hand back unchanged; délib checks its arguments itself (``_screen_arguments``, the
    callbacks). So are flags given as booleans and whole numbers written in digits; anything else
    (a path, a malformed number) goes to typer's coercion, with its messages."""
    import typer.core as core

    build: Any = getattr(core, "build_runtime_param", None)
    runtime: Any = getattr(core, "RuntimeParam", None)
    if build is None or runtime is None or getattr(build, "delib_plain", False):
        return  # another typer: its own coercion

    class PlainText(runtime):  # type: ignore[misc, valid-type]
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = self.annotation
            if kind is str and isinstance(value, str):
                return value
            if kind is bool and isinstance(value, bool):
                return value
            if kind is int and isinstance(value, int) and not isinstance(value, bool):
                return value
            if kind is int and isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit():
                return int(value)
            if kind == list[str] and isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                return list(value)
            return build(self.descriptor)._coerce_value(value, param=param, ctx=ctx)  # typer's, and its errors

    def plain(descriptor: Any) -> Any:
        if descriptor.file_annotation is None and descriptor.annotation in (str, bool, int, list[str]):
            found = PlainText(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            object.__setattr__(found, "descriptor", descriptor)
            return found
        return build(descriptor)

    plain.delib_plain = True  # type: ignore[attr-defined]
    core.build_runtime_param = plain  # type: ignore[attr-defined]


_plain_text_parameters()


def _lang_in(args: list[str]) -> str | None:
    """The value of ``--lang`` among the arguments, read before parsing (the help needs it)."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


class DelibGroup(TyperGroup):
    """Speaks the invocation's language (typer's own texts included), and turns every domain error
    into its one-paragraph message and exit code, never a traceback."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        activate(detect_lang(_lang_in(list(args))))
        localize(self)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except usage_error_class() as exc:
            localize_error(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            _screen_arguments(ctx)
            return super().invoke(ctx)
        except usage_error_class() as exc:
            localize_error(exc)
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
            from cli.render import report_error

            code = report_error(exc, getattr(ctx.obj, "lang", active()))
            if code is None:
                raise
            ctx.exit(code)


def _screen_arguments(ctx: Any) -> None:
    """Every argument valid UTF-8, without control characters, of a sane length (before any work)."""
    from workflow.names import check_argument

    given = [v for v in ctx.params.values() if isinstance(v, str)]
    rest = [*getattr(ctx, "_protected_args", ()), *getattr(ctx, "protected_args", ()), *ctx.args]
    for value in [*given, *rest]:
        check_argument(value)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"délib {version('delib')}")
        raise typer.Exit()


app = typer.Typer(
    cls=DelibGroup,
    name="delib",
    help="délib — the deliberations of French local councils, from convocation to executory force.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


@app.callback()
def main(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="DELIB_DB", help="Database: a file path or a SQLAlchemy URL."),
    actor: str = typer.Option(None, "--actor", envvar="DELIB_ACTOR", help="Who acts (default: your login name)."),
    lang: str = typer.Option(None, "--lang", metavar="fr|en", help="fr or en (default: from the locale)."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version of délib and exit."
    ),
) -> None:
    """délib — the deliberations of French local councils, from convocation to executory force."""
    ctx.obj = Options(db=db, actor=actor, lang=detect_lang(lang))
    activate(ctx.obj.lang)


app.add_typer(council.app, name="council", help="Councils (assemblées délibérantes).")
app.add_typer(council.member_app, name="member", help="Members of a council (conseillers).")
app.add_typer(session.app, name="session", help="Sessions (séances): add, convene, open.")
app.add_typer(act.app, name="act", help="Acts (délibérations): add, vote, post, file, show, history.")
app.add_typer(definitions_cmds.app, name="definitions", help="Workflow definitions (one per kind of council).")
app.add_typer(db_cmds.app, name="db", help="The database schema: current revision, upgrade (migrations).")
app.add_typer(export_cmds.app, name="export", help="Export: SCDL open data, @CTES (ACTES) metadata, iCalendar, Popolo.")
app.add_typer(import_cmds.app, name="import", help="Import deliberations from another system (SCDL).")
app.command("extract")(export_cmds.extract)
app.add_typer(
    audit_cmds.app,
    name="audit",
    help="Audit (read-only): verify the hash chain, checkpoints, proofs, log, findings, export.",
)
act.register_top_level(app)
review_cmds.register(act.app)  # act request/answer/contest/uphold/annul/finalize/withdraw/postpone/remove/exempt
app.command("due")(due_cmds.due)
app.command("use")(defaults.use)


def run() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
