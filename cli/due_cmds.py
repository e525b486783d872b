"""``delib due [COUNCIL] [--within 14d]``: what each act and session needs next, and by when."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from cli.context import emit_json_stream, options, service_context
from cli.defaults import COUNCIL
from cli.i18n import day, t
from cli.render import console, id_column, show_long, text_column

HEADERS = ("due_due", "due_days", "status", "due_subject", "due_what", "article")


def parse_within(text: str) -> int:
    """``14d``, ``14`` or ``2w`` → a number of days."""
    from workflow.errors import InvalidInput

    match = re.fullmatch(r"\s*(\d{1,4})\s*([dDwWjJsS]?)\s*", text or "")
    if not match:
        raise InvalidInput(
            f"--within '{text}': expected a number of days such as 14d (or weeks: 2w).",
            f"--within « {text} » : nombre de jours attendu, ex. 14d (ou semaines : 2w).",
        )
    count, unit = int(match[1]), match[2].lower()
    return count * 7 if unit in ("w", "s") else count


def due_table(items: Sequence[dict[str, Any]], lang: str) -> Table:
    fr = lang == "fr"
    table = Table(title=t(lang, "due_title"), title_justify="left")
    for key in HEADERS:
        if key == "due_subject":
            id_column(table, t(lang, key), [item["subject"] for item in items])
        elif key in ("due_due", "due_days"):
            table.add_column(t(lang, key), no_wrap=True)
        else:
            text_column(table, t(lang, key), ratio=3 if key == "due_what" else None)
    for item in items:
        key = "overdue" if item["overdue"] else item["kind"]
        style = "bold red" if item["overdue"] else ("green" if item["kind"] == "ready" else "")
        days = item["days_left"]
        table.add_row(
            Text(day(lang, item["due"], "medium") if item["due"] else "—", style=style),
            Text("—" if days is None else str(days), style=style),
            Text(t(lang, "due_" + key), style=style),
            item["subject"],
            item["messages"]["fr" if fr else "en"],
            item["article"],
        )
    return table


def due(
    ctx: typer.Context,
    council_id: str = COUNCIL,
    within: str = typer.Option(None, "--within", help="Only what is overdue or due within this delay, e.g. 14d."),
    today: str = typer.Option(None, "--today", help="Count from this day instead of today (YYYY-MM-DD)."),
    pending: bool = typer.Option(False, "--pending", help="Only what is to be done (no window to wait for)."),
    year: int = typer.Option(None, "--year", help="Only what falls due in that year."),
    json_: bool = typer.Option(False, "--json", help="Print JSON on stdout (for scripts)."),
) -> None:
    """What each act and session needs next and by when: list of deliberations, transmission,
    minutes, the prefect's and third parties' windows; overdue first."""
    from workflow.dates import parse_date
    from workflow.service.due import due_stream

    within_days = parse_within(within) if within is not None else None
    start = parse_date(today, "--today") if today else None
    sctx = service_context(ctx, readonly=True)
    items = (
        i.to_dict()
        for i in due_stream(sctx, council_id, today=start, within_days=within_days)
        if (not pending or i.kind in ("deadline", "pending"))
        and (year is None or (i.due is not None and i.due.year == year))
    )
    lang = options(ctx).lang
    if json_:
        emit_json_stream(items)
    elif not show_long(items, lambda screen: due_table(screen, lang), lambda rest: due_lines(rest, lang)):
        console.print(t(lang, "due_nothing"))


def due_lines(items: Iterable[dict[str, Any]], lang: str) -> Iterator[str]:
    """One tab-separated line an item (for a pipe): due date, days left, status, act or session, what."""
    for item in items:
        key = "overdue" if item["overdue"] else item["kind"]
        days = "—" if item["days_left"] is None else str(item["days_left"])
        message = item["messages"]["fr" if lang == "fr" else "en"]
        yield f"{item['due'] or '—'}\t{days}\t{t(lang, 'due_' + key)}\t{item['subject']}\t{message}\t{item['article']}"
