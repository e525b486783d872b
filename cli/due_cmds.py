"""``delib due [COUNCIL] [--within 14d]``: what each act and session needs next, and by when."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from cli.context import emit_json, options, service_context
from cli.render import console

HEADERS = {
    "en": ("Due", "Days", "Status", "Act / session", "What", "Article"),
    "fr": ("Échéance", "Jours", "Statut", "Acte / séance", "Quoi", "Article"),
}
STATUS = {
    "overdue": ("OVERDUE", "EN RETARD"),
    "deadline": ("to do", "à faire"),
    "window": ("window open", "délai en cours"),
    "ready": ("possible from", "possible dès"),
    "pending": ("to do, no legal delay", "à faire, sans délai légal"),
}
NOTHING = ("Nothing due.", "Rien à faire.")
TITLE = ("What is due, overdue first", "Échéances, retards d'abord")


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
    table = Table(title=TITLE[fr], title_justify="left")
    for header in HEADERS[lang if lang in HEADERS else "en"]:
        table.add_column(header)
    for item in items:
        key = "overdue" if item["overdue"] else item["kind"]
        style = "bold red" if item["overdue"] else ("green" if item["kind"] == "ready" else "")
        days = item["days_left"]
        table.add_row(
            Text(item["due"] or "—", style=style),
            Text("—" if days is None else str(days), style=style),
            Text(STATUS[key][fr], style=style),
            item["subject"],
            item["messages"]["fr" if fr else "en"],
            item["article"],
        )
    return table


def due(
    ctx: typer.Context,
    council_id: str = typer.Argument(None, metavar="[COUNCIL]"),
    within: str = typer.Option(None, "--within", help="Only what is overdue or due within this delay, e.g. 14d."),
    today: str = typer.Option(None, "--today", help="Count from this day instead of today (YYYY-MM-DD)."),
    json_: bool = typer.Option(False, "--json", help="Print JSON on stdout (for scripts)."),
) -> None:
    """What each act and session needs next and by when: list of deliberations, transmission,
    minutes, the prefect's and third parties' windows; overdue first."""
    from workflow.dates import parse_date
    from workflow.service.due import due as due_items

    within_days = parse_within(within) if within is not None else None
    day = parse_date(today, "--today") if today else None
    sctx = service_context(ctx, readonly=True)
    items = [i.to_dict() for i in due_items(sctx, council_id, today=day, within_days=within_days)]
    lang = options(ctx).lang
    if json_:
        emit_json(items)
    elif not items:
        console.print(NOTHING[lang == "fr"])
    else:
        console.print(due_table(items, lang))
