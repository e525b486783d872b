"""``delib export scdl|actes|ics|popolo`` (open data, @CTES metadata, calendars) and ``delib extract``."""

from __future__ import annotations

import sys
from itertools import chain
from pathlib import Path
from typing import Any

import typer

from cli.context import (
    FORCE,
    JSON,
    YEAR_MAX,
    YEAR_MIN,
    bounded,
    check_output,
    emit_json,
    options,
    output_file,
    service_context,
    write_file,
)
from cli.defaults import ACT
from cli.i18n import t
from cli.render import console, err_console

app = typer.Typer(no_args_is_help=True)

OUTPUT = typer.Option(None, "-o", "--output", help="Write to this file (default: standard output).")
ANNEX = typer.Option([], "--annex", help="An annex sent with the act (repeat).")


def write_output(
    ctx: typer.Context, content: str | bytes, output: Path | None, *, force: bool = False, encoding: str = "utf-8"
) -> None:
    """Write to ``output`` (atomically, never over the database, never over a file without
    ``--force``) or to standard output."""
    data = content.encode(encoding) if isinstance(content, str) else content
    if output is None:
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode(encoding))
        sys.stdout.flush()
        return
    write_file(ctx, output, data, force=force)


def _done(ctx: typer.Context, output: Path | None, json_: bool, summary: dict, content: str | None = None) -> None:
    if json_:
        emit_json(
            {
                **summary,
                "output": str(output) if output else None,
                **({"content": content} if output is None else {}),
            }
        )
    elif output is not None:
        console.print(t(options(ctx).lang, "written", path=str(output)))


@app.command("scdl")
def export_scdl(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    year: int = typer.Option(
        None, "--year", callback=bounded(YEAR_MIN, YEAR_MAX), help="Only the deliberations of this year."
    ),
    siret: str = typer.Option(None, "--siret", help="The council's SIRET (SIREN + NIC, 14 digits), for COLL_SIRET."),
    output: Path = OUTPUT,
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """The SCDL « Délibérations » open-data file: one row per executory deliberation."""
    check_output(ctx, output, force)
    from workflow.formats import scdl

    lang = options(ctx).lang
    sctx = service_context(ctx, readonly=True)
    from workflow.service.formats import export_scdl_rows

    omitted: list[Any] = []
    rows = export_scdl_rows(sctx, council_id, omitted, year=year, siret=siret)
    first = next(rows, None)  # a refusal (no SIRET…) comes before anything is written
    every = chain([first] if first is not None else [], rows)
    if json_:
        from workflow.files import spreadsheet_safe_csv

        listed = list(every)  # --json embeds the file's text: it is held whole
        text: str | None = spreadsheet_safe_csv(listed, scdl.FIELDS)  # OWASP: no cell read as a formula
        if output is not None:
            write_output(ctx, text or "", output, force=force)
        written = len(listed)
    else:
        text = None
        if output is None:
            written = _stream_csv(every, scdl.FIELDS, _stdout_bytes())
        else:
            with output_file(ctx, output, force=force, binary=True) as out:
                written = _stream_csv(every, scdl.FIELDS, out.write)
    for act_id, problems in omitted:
        err_console.print(
            t(
                lang,
                "scdl_omitted",
                id=act_id,
                reasons="; ".join(p.message(lang) for p in problems),
            ),
            markup=False,
        )
    _done(
        ctx,
        output,
        json_,
        {
            "rows": written,
            "omitted": [{"act": a, "problems": [p.to_dict() for p in ps]} for a, ps in omitted],
        },
        text,
    )


def _stdout_bytes() -> Any:
    def write(data: bytes) -> None:
        if hasattr(sys.stdout, "buffer"):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.decode("utf-8"))

    return write


def _stream_csv(rows: Any, fields: Any, write: Any, every: int = 500) -> int:
    """The CSV of :func:`workflow.files.spreadsheet_safe_csv`, written ``every`` rows at a time
    as UTF-8 bytes; the number of rows."""
    import csv
    import io

    from workflow.files import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        count += 1
        if count % every == 0:
            write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    write(buffer.getvalue().encode("utf-8"))
    if hasattr(sys.stdout, "flush"):
        sys.stdout.flush()
    return count


def extract(
    ctx: typer.Context,
    act_id: str = ACT,
    format_: str = typer.Option("md", "--format", help="md, html or pdf."),
    certified: str = typer.Option(
        None, "--certified-on", help="Date of the certification (pour copie conforme; default today)."
    ),
    output: Path = OUTPUT,
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """The extract of the register (extrait du registre des délibérations) of one act."""
    check_output(ctx, output, force)
    from workflow.errors import InvalidInput
    from workflow.formats import extract as extracts

    if format_ not in extracts.FORMATS:
        raise InvalidInput(
            f"Unknown format '{format_}': md, html or pdf.",
            f"Format « {format_} » inconnu : md, html ou pdf.",
        )
    if format_ == "pdf" and output is None and sys.stdout.isatty():
        raise InvalidInput(
            "A PDF is not written to a terminal: give -o FILE.pdf.",
            "Un PDF ne s'écrit pas dans un terminal : donnez -o FICHIER.pdf.",
        )
    sctx = service_context(ctx, readonly=True)
    from workflow.dates import parse_date
    from workflow.service.formats import extract_data

    data = extract_data(sctx, act_id, certified=parse_date(certified, "--certified-on") if certified else None)
    content = extracts.render(data, format_)
    if json_:
        summary = {"act": act_id, "format": format_, "data": data}
        if output is not None:
            write_output(ctx, content, output, force=force)
        _done(ctx, output, True, summary, content if isinstance(content, str) else None)
        return
    write_output(ctx, content, output, force=force)
    _done(ctx, output, False, {})


@app.command("actes")
def export_actes(
    ctx: typer.Context,
    act_id: str = ACT,
    annex: list[str] = ANNEX,
    output: Path = OUTPUT,
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """The @CTES transmission metadata of an act (ACTES XML v1.1, ISO-8859-1, XSD-checked)."""
    check_output(ctx, output, force)
    from workflow.formats import actes

    sctx = service_context(ctx, readonly=True)
    from workflow.service.formats import export_actes

    transmission, content = export_actes(sctx, act_id, annexes=tuple(annex))
    if not json_ or output is not None:
        write_output(ctx, content, output, force=force)
    _done(ctx, output, json_, transmission.to_dict(), content.decode(actes.ENCODING))


@app.command("popolo")
def export_popolo(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    year: int = typer.Option(
        None, "--year", callback=bounded(YEAR_MIN, YEAR_MAX), help="Only the sessions and votes of this year."
    ),
    output: Path = OUTPUT,
    force: bool = FORCE,
) -> None:
    """Popolo JSON: the council, its members and memberships, sessions, motions and vote events
    (counts and, for roll calls, each member's vote)."""
    check_output(ctx, output, force)
    import json

    sctx = service_context(ctx, readonly=True)
    from workflow.service.formats import export_popolo

    document = export_popolo(sctx, council_id, year=year)
    write_output(ctx, json.dumps(document, ensure_ascii=False, indent=2) + "\n", output, force=force)
    if output is not None:
        console.print(t(options(ctx).lang, "written", path=str(output)))


@app.command("ics")
def export_ics(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    output: Path = OUTPUT,
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """The council's sessions and deadlines as an iCalendar file (.ics)."""
    check_output(ctx, output, force)

    sctx = service_context(ctx, readonly=True)
    from workflow.service.formats import export_ics

    content, sessions, deadlines = export_ics(sctx, council_id)
    if not json_ or output is not None:
        write_output(ctx, content, output, force=force)
    _done(ctx, output, json_, {"sessions": sessions, "deadlines": deadlines}, content.decode())
