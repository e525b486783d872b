"""``delib import scdl COUNCIL FILE`` and ``delib import ar DIR``: what other systems hand over.

Exit codes besides the README's: ``10`` when some rows (or acknowledgements) were refused and the
others done (each refusal printed with its reasons).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.context import JSON, bounded, emit_json, options, service_context
from cli.i18n import t
from cli.render import console, err_console

if TYPE_CHECKING:
    from workflow.service.imports import ImportReport

app = typer.Typer(no_args_is_help=True)

FILE = typer.Argument(..., metavar="FILE", help="An SCDL « Délibérations » CSV file, as published.")
PARTLY_REFUSED = 10  # some rows refused, the others imported


@app.command("scdl")
def import_scdl(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    file: Path = FILE,
    batch_size: int = typer.Option(
        1000, "--batch-size", callback=bounded(1, 1_000_000), help="Rows written per transaction."
    ),
    json_: bool = JSON,
) -> None:
    """Import deliberations from an SCDL file: each row an executory act and an 'import' event.

    The file is read as published: UTF-8 (BOM or not) or Windows-1252, ',' or ';', headers in
    any case or accents, optional columns missing (a warning), DD/MM/YYYY dates (converted, a
    warning), DELIB_ID kept as published beside the ACTES number derived from it. Rows already
    in délib are counted as already there; broken rows are refused with their reasons. Exit code
    10 when rows were refused (the valid ones are imported), 2 when the file cannot be read.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from workflow.service.imports import import_scdl as run

    lang = options(ctx).lang
    sctx = service_context(ctx)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=json_,
        transient=False,
    ) as bar:
        task = bar.add_task(t(lang, "import_progress", file=file.name), total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = _read_or_refuse(lambda: run(sctx, council_id, file, batch_size=batch_size, progress=progress), file)
    if json_:
        emit_json(report.to_dict())
    else:
        _print_report(report, lang)
    if report.refused:
        raise typer.Exit(PARTLY_REFUSED)


def _print_report(report: ImportReport, lang: str) -> None:
    """The file's warnings, each refused row and each warned row (one line each), the summary."""
    err_console.print(
        t(lang, "import_read_as", file=report.file, encoding=report.encoding, separator=repr(report.separator)),
        markup=False,
    )
    for warning in report.file_warnings:
        err_console.print(t(lang, "import_file_warning", reason=warning.message(lang)), markup=False)
    for refusal in report.refused:
        reasons = "; ".join(p.message(lang) for p in refusal.problems)
        err_console.print(
            t(lang, "import_refused_line", line=refusal.line, number=refusal.number or "—", reasons=reasons),
            markup=False,
        )
    for warned in report.warned:
        reasons = "; ".join(w.message(lang) for w in warned.warnings)
        err_console.print(
            t(lang, "import_warned_line", line=warned.line, number=warned.number, reasons=reasons), markup=False
        )
    console.print(
        t(
            lang,
            "import_summary",
            file=report.file,
            rows=report.rows,
            imported=report.imported,
            skipped=len(report.skipped),
            refused=len(report.refused),
            warnings=report.warnings,
            blank=report.blank_lines,
            seconds=f"{report.seconds:.1f}",
            rate=f"{report.rows_per_second:,.0f}",
        ),
        markup=False,
    )


@app.command("ar")
def import_ar(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., metavar="DIR", help="A folder of ACTES messages (ARActe and others)."),
    json_: bool = JSON,
) -> None:
    """File every act a folder of prefecture acknowledgements (ARActe) acknowledges, each on its own.

    Each act is found by the SIREN and number of the @CTES identifier, filed on the date of
    receipt and checked as 'act file --ar' checks it. Other ACTES messages (Acte, AnomalieActe,
    envelopes) are ignored and listed; an act already filed with that identifier is left as it
    is. Exit code 10 when some files were refused (the others filed).
    """
    from workflow.service.acknowledgement import file_folder

    lang = options(ctx).lang
    report = file_folder(service_context(ctx), folder)
    if json_:
        emit_json(report.to_dict())
    else:
        for outcome in report.outcomes:
            line = t(lang, f"ar_{outcome.status}", file=outcome.file, act=outcome.act_id, reason=outcome.message(lang))
            (err_console if outcome.status in ("refused", "ignored") else console).print(line, markup=False)
        console.print(
            t(
                lang,
                "ar_summary",
                folder=report.folder,
                filed=report.count("filed"),
                already=report.count("already"),
                ignored=report.count("ignored"),
                refused=report.count("refused"),
            ),
            markup=False,
        )
    if report.count("refused"):
        raise typer.Exit(PARTLY_REFUSED)


def _read_or_refuse(run: Any, file: Path) -> Any:
    """A file the CSV reader cannot read (a field over its limit, a broken quote) is refused as a
    whole: the import checks every row before it writes any, so nothing was written."""
    import csv

    from workflow.errors import InvalidInput

    try:
        return run()
    except csv.Error as exc:
        raise InvalidInput(
            f"{file.name} cannot be read as CSV ({exc}); nothing was imported.",
            f"{file.name} ne se lit pas comme un CSV ({exc}) ; rien n'a été importé.",
        ) from None
