"""Rendering for the terminal with rich: tables, the history as a timeline, errors as one paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
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
        rows.append(
            (t(lang, "vote"), f"{vote['for']} / {vote['against']} / {vote['abstain']} ({vote.get('took_part')})")
        )
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
                rules.append(
                    f"⚠ {v['rule']} ({v['article']}): {message} — {v.get('override_reason')}\n", style="bold red"
                )
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


# ---------------------------------------------------------------- audit


def as_of_panel(view: dict[str, Any], lang: str) -> Panel:
    """An act as it stood on a past date (``delib act show --as-of``)."""
    panel = act_panel(view, lang)
    panel.title = f"{panel.title} — {t(lang, 'as_of', date=view['as_of'])}"
    panel.subtitle = t(lang, "as_of_" + view.get("basis", "legal"))
    return panel


def findings_table(findings: Sequence[dict[str, Any]], lang: str) -> Table:
    table = Table(title=t(lang, "findings"), title_justify="left", show_lines=True)
    table.add_column(t(lang, "kind"), style="bold red")
    table.add_column(t(lang, "event"))
    table.add_column(t(lang, "act"))
    table.add_column(t(lang, "finding"))
    for f in findings:
        where = f"{f['council']}#{f['seq']}" if f.get("seq") is not None else f["council"]
        table.add_row(f["kind"], where, f.get("act") or "—", f["messages"].get(lang) or f["messages"]["en"])
    return table


def verify_view(data: dict[str, Any], lang: str) -> Group:
    table = Table(title=t(lang, "verify_title"), title_justify="left")
    for key in ("council", "events", "head", "chain"):
        table.add_column(t(lang, key))
    for c in data["councils"]:
        mark = Text("✔", style="green") if c["ok"] else Text("✘", style="bold red")
        table.add_row(c["council"], str(c["events"]), f"#{c['head_seq']} {c['head_hash'][:16]}…", mark)
    parts: list[Any] = [table]
    for c in data.get("checkpoint", {}).get("councils", []):
        parts.append(
            Text(
                t(lang, "extends", council=c["council"], certified=c["certified_events"], events=c["events"]),
                style="green",
            )
            if c["extends"]
            else Text("")
        )
    if data["findings"]:
        parts.append(findings_table(data["findings"], lang))
    summary = "audit_ok" if data["ok"] else "audit_failed"
    parts.append(
        Text(
            t(lang, summary, events=data["events"], acts=data["acts"]), style="bold green" if data["ok"] else "bold red"
        )
    )
    return Group(*parts)


def checkpoint_table(doc: dict[str, Any], lang: str) -> Table:
    table = Table(
        title=t(lang, "checkpoint_title", date=doc["taken_at"], actor=doc["taken_by"]),
        title_justify="left",
        caption=f"seal {doc['seal']}",
        caption_justify="left",
    )
    for key in ("council", "events", "head", "merkle_root"):
        table.add_column(t(lang, key))
    for c in doc["councils"]:
        table.add_row(c["council"], str(c["events"]), f"#{c['head_seq']} {c['head_hash']}", c["merkle_root"])
    return table


def proof_table(result: dict[str, Any], lang: str) -> Group:
    table = Table(title=t(lang, "proof_title", act=result["act"], size=result["tree_size"]), title_justify="left")
    for key in ("event", "transition", "legal_date", "chain"):
        table.add_column(t(lang, key))
    for e in result["events"]:
        mark = Text("✔", style="green") if e["ok"] else Text("✘", style="bold red")
        table.add_row(f"{result['council']}#{e['seq']}", str(e["trigger"]), e["legal_date"] or "—", mark)
    lines = [
        Text(
            f"#{p['seq']}: {p[lang if lang == 'fr' else 'en']}" if p["seq"] else p[lang if lang == "fr" else "en"],
            style="bold red",
        )
        for p in result["problems"]
    ]
    verdict = Text(
        t(lang, "proof_ok" if result["ok"] else "proof_failed", root=result["merkle_root"]),
        style="bold green" if result["ok"] else "bold red",
    )
    return Group(table, *lines, verdict)


def audit_log_table(events: Sequence[dict[str, Any]], lang: str) -> Table:
    table = Table(title=t(lang, "log_title"), title_justify="left")
    for key in ("event", "act", "legal_date", "recorded_at", "actor", "transition"):
        table.add_column(t(lang, key))
    for e in events:
        move = Text(f"{e['trigger']}: {state_name(lang, e['from_state'])} → {state_name(lang, e['to_state'])}")
        if any(v.get("overridden") for v in e["verdicts"]):
            move.append(f" ⚠ {t(lang, 'overridden')}", style="bold red")
        table.add_row(
            f"{e['council']}#{e['seq']}",
            e["act"] or "—",
            e["legal_date"] or "—",
            e["recorded_at"].replace("T", " ")[:19] + " UTC",
            e["actor"],
            move,
        )
    return table


def report_table(data: dict[str, Any], lang: str) -> Group:
    year = f", {data['year']}" if data["year"] else ""
    title = t(lang, "report_title", scope=data["council"] or "*", year=year)
    table = Table(title=title, title_justify="left", show_lines=True)
    for key in ("act", "session", "state", "kind", "finding"):
        table.add_column(t(lang, key))
    rows = [(e, f) for e in data["acts"] for f in e["findings"]]
    rows += [({"act": "—", "session_date": "—", "state": "—"}, f) for f in data["council_findings"]]
    for entry, f in rows:
        style = "bold red" if f["kind"] in ("chain", "overridden") else "yellow"
        where = f" (#{f['seq']})" if f.get("seq") else ""
        table.add_row(
            entry["act"],
            entry["session_date"],
            state_name(lang, entry["state"]) if entry["state"] != "—" else "—",
            Text(f["kind"], style=style),
            (f["messages"].get(lang) or f["messages"]["en"]) + where,
        )
    summary = ", ".join(f"{k} {n}" for k, n in data["summary"].items() if n) or t(lang, "no_findings")
    return Group(table, Text(t(lang, "report_summary", acts=data["acts_examined"], summary=summary)))


# ---------------------------------------------------------------- sessions (issue 3, items 2-7)


def session_panel(view: dict[str, Any], lang: str) -> Panel:
    """A session: its convocation, attendance, agenda (irregular acts in red), register steps."""
    from cli.i18n import CATALOG

    lines = Text()

    def row(label: str, value: Any, style: str = "") -> None:
        lines.append(f"{label}: ", style="bold")
        lines.append(f"{value}\n", style=style)

    row(t(lang, "session_held_at"), view["held_at"] + (f" — {view['place']}" if view.get("place") else ""))
    status_key = "session_status_" + view["status"]
    row(t(lang, "status"), t(lang, status_key) if status_key in CATALOG else view["status"])
    if view.get("convened_on"):
        row(t(lang, "convocation"), view["convened_on"] + (f" ({t(lang, 'urgent')})" if view.get("urgent") else ""))
    if view.get("urgency_ruling"):
        row(t(lang, "urgency"), t(lang, "urgency_" + view["urgency_ruling"]))
    if view.get("second_convocation"):
        row(t(lang, "second_convocation"), view.get("reconvened_from") or "—")
    if view.get("reconvened_as"):
        row(t(lang, "reconvened_as"), view["reconvened_as"])
    attendance = view.get("attendance") or {}
    if attendance:
        row(t(lang, "present"), f"{len(attendance.get('present', []))}: " + ", ".join(attendance.get("present", [])))
        for giver, holder in attendance.get("proxies", {}).items():
            row(t(lang, "proxy"), f"{giver} → {holder}")
        for giver, holder in attendance.get("lapsed", {}).items():
            row(t(lang, "proxy_lapsed"), f"{giver} → {holder}", "yellow")
        row(t(lang, "secretary"), attendance.get("secretary") or "—")
    for key in ("list_posted_on", "minutes_approved_at", "minutes_online_on"):
        if view.get(key):
            row(t(lang, key), view[key] + (f" ({view['minutes_approved_on']})" if key == "minutes_approved_at" else ""))
    for item in view.get("items", []):
        lines.append(f"  • {item['id']} ", style="bold")
        lines.append(f"{state_name(lang, item['state'])} — {item['subject']}")
        if item.get("irregular"):
            lines.append(f"  ⚠ {t(lang, 'irregular')}", style="bold red")
        lines.append("\n")
    if view.get("irregular"):
        lines.append(t(lang, "session_irregular") + "\n", style="bold red")
    return Panel(lines, title=f"{t(lang, 'session')} {view['id']}", expand=False)
