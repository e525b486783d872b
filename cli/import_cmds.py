"""``delib import scdl COUNCIL FILE``: existing deliberations from the national open-data format."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.context import JSON, emit_json, options, service_context
from cli.i18n import t
from cli.render import console, err_console

app = typer.Typer(no_args_is_help=True)

FILE = typer.Argument(..., metavar="FILE", help="An SCDL « Délibérations » CSV file.")


@app.command("scdl")
def import_scdl(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    file: Path = FILE,
    batch_size: int = typer.Option(1000, "--batch-size", help="Rows written per transaction."),
    json_: bool = JSON,
) -> None:
    """Import deliberations from an SCDL file: each row an executory act and an 'import' event.

    Rows already in délib (same council and act number) are skipped; broken rows are refused,
    one line each with the reasons; nothing is imported twice.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from workflow.formats import scdl

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

        report = scdl.import_file(sctx, council_id, file, batch_size=batch_size, progress=progress)
    if json_:
        emit_json(report.to_dict())
        return
    for refusal in report.refused:
        reasons = "; ".join(p.message(lang) for p in refusal.problems)
        err_console.print(
            t(
                lang,
                "import_refused_line",
                line=refusal.line,
                number=refusal.number or "—",
                reasons=reasons,
            ),
            markup=False,
        )
    console.print(
        t(
            lang,
            "import_summary",
            file=file.name,
            rows=report.rows,
            imported=report.imported,
            skipped=len(report.skipped),
            refused=len(report.refused),
            seconds=f"{report.seconds:.1f}",
            rate=f"{report.rows_per_second:,.0f}",
        )
    )
