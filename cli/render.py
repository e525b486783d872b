"""Rendering for the terminal with rich: tables, the history as a timeline, errors as one paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cli.i18n import TRIGGER_HINTS, state_name, t

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def report_error(exc: BaseException, lang: str) -> int | None:
    """Print a one-paragraph message for a known error and return its exit code (None: unknown)."""
    from workflow.errors import DelibError, RuleRefused

    if isinstance(exc, RuleRefused):
        err_console.print(verdict_table(exc.verdicts, lang, title=f"{t(lang, 'refused')}: {exc.trigger} — {exc.act}"))
        err_console.print(Text(exc.message(lang), style="bold red"))
        return exc.exit_code
    if isinstance(exc, DelibError):
        err_console.print(Text(f"{t(lang, 'error')}: {exc.message(lang)}", style="bold red"))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        err_console.print(t(lang, "interrupted"))
        return 130
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover
        return None
    if isinstance(exc, SQLAlchemyError):
        from workflow.store.database import _store_error

        err = _store_error("the database", exc)
        err_console.print(Text(f"{t(lang, 'error')}: {err.message(lang)}", style="bold red"))
        return err.exit_code
    return None


def verdict_table(verdicts: Sequence[Any], lang: str, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, title_justify="left")
    table.add_column(t(lang, "rule"))
    table.add_column(t(lang, "article"))
    table.add_column(t(lang, "verdict"))
    table.add_column(t(lang, "figures"))
    for v in verdicts:
        data = v if isinstance(v, dict) else v.to_dict()
        if data.get("overridden"):
            mark = Text(f"{t(lang, 'overridden')}: {data.get('override_reason')}", style="bold red")
        elif data["passed"]:
            mark = Text("✔ " + t(lang, "passed"), style="green")
        else:
            mark = Text("✘ " + t(lang, "failed"), style="bold red")
        message = data["messages"].get(lang) or data["messages"].get("en", "")
        table.add_row(data["rule"], data["article"], mark, message)
    return table


def act_panel(view: dict[str, Any], lang: str) -> Panel:
    lines = Text()
    rows = [
        (t(lang, "number"), view["number"]),
        (t(lang, "subject"), view["subject"]),
        (t(lang, "session"), view["session"]),
        (t(lang, "state"), state_name(lang, view["state"])),
    ]
    if view.get("vote"):
        vote = view["vote"]
        rows.append((t(lang, "vote"), f"{vote['for']} / {vote['against']} / {vote['abstain']} ({vote.get('took_part')})"))
    for key in ("posted_on", "filed_on"):
        if view.get(key):
            rows.append((t(lang, key), view[key]))
    if view.get("executory_on"):
        rows.append((t(lang, "executory"), view["executory_on"]))
    for label, value in rows:
        lines.append(f"{label}: ", style="bold")
        lines.append(f"{value}\n")
    if view.get("irregular"):
        lines.append(t(lang, "irregular") + "\n", style="bold red")
    return Panel(lines, title=f"{t(lang, 'act')} {view['id']}", expand=False)


def history_timeline(events: Sequence[dict[str, Any]], lang: str, title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column(t(lang, "legal_date"))
    table.add_column(t(lang, "recorded_at"))
    table.add_column(t(lang, "actor"))
    table.add_column(t(lang, "transition"))
    table.add_column(t(lang, "rules"))
    for event in events:
        move = f"{event['trigger']}: {state_name(lang, event['from_state'])} → {state_name(lang, event['to_state'])}"
        rules = Text()
        for v in event["verdicts"]:
            message = v["messages"].get(lang) or v["messages"].get("en", "")
            if v.get("overridden"):
                rules.append(f"⚠ {v['rule']} ({v['article']}): {message} — {v.get('override_reason')}\n", style="bold red")
            else:
                style = "green" if v["passed"] else "red"
                rules.append(f"✔ {v['rule']}: {message}\n", style=style)
        table.add_row(
            str(event["seq"]),
            event["legal_date"] or "—",
            event["recorded_at"].replace("T", " ")[:19] + " UTC",
            event["actor"],
            move,
            rules,
        )
    return table


def status_table(rows: Sequence[dict[str, Any]], lang: str) -> Table:
    table = Table(title=t(lang, "status_title"), title_justify="left")
    table.add_column(t(lang, "act"))
    table.add_column(t(lang, "subject"), max_width=40)
    table.add_column(t(lang, "state"))
    table.add_column(t(lang, "next"))
    for row in rows:
        hints = [TRIGGER_HINTS.get(n, (n, n))[1 if lang == "fr" else 0] for n in row["next"]]
        state = Text(state_name(lang, row["state"]), style="green" if row["state"] == "executory" else "")
        if row.get("irregular"):
            state.append(" ⚠", style="bold red")
        table.add_row(row["id"], row["subject"], state, "\n".join(hints) or "—")
    return table
