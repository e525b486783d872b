"""Rendering for the terminal with rich: tables, the history as a timeline, errors as one paragraph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cli.i18n import MESSAGES, day, finding_kind, hint, moment, rule_name, state_name, t, trigger_name

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def report_error(exc: BaseException, lang: str) -> int | None:
    """Print a one-paragraph message for a known error and return its exit code (None: unknown)."""
    from workflow.errors import DelibError, RuleRefused

    if isinstance(exc, RuleRefused):
        title = t(lang, "refused_title", trigger=trigger_name(lang, exc.trigger), act=exc.act)
        err_console.print(verdict_table(exc.verdicts, lang, title=title))
        reasons = " ".join(
            t(lang, "refused_reason", rule=rule_name(lang, v.rule), article=v.article, message=v.message(lang))
            for v in exc.failed
        )
        line = t(lang, "refused_line", trigger=trigger_name(lang, exc.trigger), act=exc.act, reasons=reasons)
        err_console.print(Text(line, style="bold red"))
        for text in remedy_lines(exc, lang):
            err_console.print(Text("→ " + text, style="yellow"))
        rules = " --override ".join(dict.fromkeys(v.rule for v in exc.failed))
        err_console.print(Text("→ " + t(lang, "override_hint", rules=rules), style="dim"))
        return exc.exit_code
    if isinstance(exc, DelibError):
        err_console.print(Text(t(lang, "error_line", message=exc.message(lang)), style="bold red"))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        err_console.print(t(lang, "interrupted"))
        return 130
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover
        return None
    if isinstance(exc, SQLAlchemyError):
        from workflow.store.failures import store_error

        err = store_error("the database", exc)
        err_console.print(Text(t(lang, "error_line", message=err.message(lang)), style="bold red"))
        return err.exit_code
    return None


def colon(lang: str) -> str:
    """The colon between a name and what follows: French sets a space before it (« règle : … »)."""
    return " : " if lang == "fr" else ": "


def id_column(table: Table, header: str, values: Sequence[str] = ()) -> None:
    """A column of ids: never wrapped nor cut (the other columns wrap or fold first)."""
    width = max([len(header), *(len(v) for v in values)])
    table.add_column(header, no_wrap=True, min_width=width, overflow="ignore")


def text_column(table: Table, header: str, **kwargs: Any) -> None:
    table.add_column(header, overflow="fold", **kwargs)


def verdict_message(data: dict[str, Any], lang: str) -> str:
    return data["messages"].get(lang) or data["messages"].get("en", "")


def remedy_lines(exc: Any, lang: str) -> list[str]:
    """One line of remedy for each failed rule that has one (cli.remedies)."""
    from cli.remedies import remedy

    lines = []
    for v in exc.failed:
        found = remedy(v.rule, v.figures, exc.trigger)
        if found is not None:
            key, values = found
            shown = {k: day(lang, x) if hasattr(x, "isoformat") or k in ("session",) else x for k, x in values.items()}
            lines.append(t(lang, key, session_id=exc.act, **shown))
    return lines


def verdict_table(verdicts: Sequence[Any], lang: str, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, title_justify="left")
    rows = [v if isinstance(v, dict) else v.to_dict() for v in verdicts]
    text_column(table, t(lang, "rule"))
    text_column(table, t(lang, "article"))
    text_column(table, t(lang, "verdict"))
    text_column(table, t(lang, "figures"), ratio=2)
    for data in rows:
        if data.get("overridden"):
            mark = Text(f"{t(lang, 'overridden')}{colon(lang)}{data.get('override_reason')}", style="bold red")
        elif data["passed"]:
            mark = Text("✔ " + t(lang, "passed"), style="green")
        else:
            mark = Text("✘ " + t(lang, "failed"), style="bold red")
        table.add_row(rule_name(lang, data["rule"]), data["article"], mark, verdict_message(data, lang))
    return table


def act_panel(view: dict[str, Any], lang: str) -> Panel:
    lines = Text()
    rows = [
        (t(lang, "number"), view["number"]),
        (t(lang, "subject"), view["subject"]),
        (t(lang, "session"), view["session"]),
        (t(lang, "state"), state_name(lang, view["state"])),
    ]
    if view.get("kind", "deliberation") != "deliberation":
        rows.append((t(lang, "act_kind"), t(lang, "kind_" + view["kind"])))
    if (view.get("attendance") or {}).get("president"):
        rows.append((t(lang, "president"), view["attendance"]["president"]))
    if view.get("vote"):
        vote = view["vote"]
        casting = f" — {t(lang, 'casting_vote')}" if vote.get("casting_vote") else ""
        rows.append(
            (
                t(lang, "vote"),
                f"{vote['for']} / {vote['against']} / {vote['abstain']} ({vote.get('took_part')}){casting}",
            )
        )
    rows.extend(election_rows(view.get("election"), lang))
    for key in ("posted_on", "filed_on"):
        if view.get(key):
            rows.append((t(lang, key), day(lang, view[key])))
    if view.get("executory_on"):
        rows.append((t(lang, "executory"), day(lang, view["executory_on"])))
    for label, value in rows:
        lines.append(t(lang, "field", label=label), style="bold")
        lines.append(f"{value}\n")
    if view.get("irregular"):
        lines.append(t(lang, "irregular") + "\n", style="bold red")
    from workflow.service.correction_text import correction_lines

    for line in correction_lines(view, lang):
        lines.append(line + "\n", style="bold yellow")
    return Panel(lines, title=f"{t(lang, 'act')} {view['id']}", expand=False)


def round_text(held: dict[str, Any], lang: str) -> str:
    """One round of an appointment: the candidates' votes, blank, null, cast, the majority
    required and who it elects."""
    candidates = ", ".join(f"{c.get('name')} {c.get('votes')}" for c in held.get("candidates", ()))
    parts = [
        t(
            lang,
            "round_figures",
            candidates=candidates,
            blank=held.get("blank", 0),
            null=held.get("null", 0),
            cast=held.get("cast", 0),
        ),
        t(lang, "round_absolute", needed=held.get("needed"))
        if held.get("majority") == "absolute"
        else t(lang, "round_relative"),
        t(lang, "round_elected", names=", ".join(held["elected"])) if held.get("elected") else t(lang, "round_none"),
    ]
    if held.get("by_age"):
        parts.append(t(lang, "round_by_age", names=", ".join(held["by_age"])))
    if held.get("secret") is False:
        parts.append(t(lang, "open_ballot"))
    return " — ".join(parts)


def election_rows(election: dict[str, Any] | None, lang: str) -> list[tuple[str, str]]:
    """The rows of an appointment in the act's panel: seats, each round, who is elected."""
    if not election:
        return []
    rows = [(t(lang, "seats"), str(election.get("seats", 1)))]
    for held in election.get("rounds", ()):
        rows.append((t(lang, "election_round", n=held.get("round")), round_text(held, lang)))
    rows.append((t(lang, "elected"), ", ".join(election.get("elected", ())) or "—"))
    return rows


def move_text(lang: str, event: dict[str, Any]) -> str:
    """``vote: in session → adopted`` in the language."""
    trigger = trigger_name(lang, event["trigger"])
    if event.get("from_state") is None and event.get("to_state") is None:
        return trigger  # a set-up event (a council, members, a session): no state moves
    from workflow.service.correction_text import correction_summary

    move = f"{trigger}{colon(lang)}{state_name(lang, event['from_state'])} → {state_name(lang, event['to_state'])}"
    held = (event.get("facts") or {}).get("election") if event.get("trigger") == "elect" else None
    if isinstance(held, dict):
        move += "\n" + round_text(held, lang)
    return move + correction_summary(event, lang)  # a correction: the original → the corrected figures


def history_timeline(events: Sequence[dict[str, Any]], lang: str, title: str, *, verbose: bool = False) -> Table:
    """The history of an act, oldest first. Compact: one line an event (legal date, transition,
    actor), and one more naming the rules that failed or were overridden. ``verbose``: every verdict
    and when each step was recorded."""
    if not verbose:
        return _compact_timeline(events, lang, title)
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t(lang, "legal_date"), no_wrap=True)
    text_column(table, t(lang, "recorded_at"))
    text_column(table, t(lang, "actor"))
    text_column(table, t(lang, "transition"))
    text_column(table, t(lang, "rules"), ratio=3)
    for event in events:
        rules = Text()
        for v in event["verdicts"]:
            message = verdict_message(v, lang)
            name = rule_name(lang, v["rule"])
            if v.get("overridden"):
                rules.append(
                    f"⚠ {name} ({v['article']}){colon(lang)}{message} — {v.get('override_reason')}\n", style="bold red"
                )
            else:
                mark = "✔" if v["passed"] else "✘"
                rules.append(f"{mark} {name}{colon(lang)}{message}\n", style="green" if v["passed"] else "red")
        table.add_row(
            str(event["seq"]),
            day(lang, event["legal_date"], "medium"),
            event["recorded_at"].replace("T", " ")[:19] + " UTC",
            event["actor"],
            move_text(lang, event),
            rules,
        )
    return table


def _compact_timeline(events: Sequence[dict[str, Any]], lang: str, title: str) -> Table:
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t(lang, "legal_date"), no_wrap=True)
    text_column(table, t(lang, "transition"), ratio=2)
    text_column(table, t(lang, "actor"), ratio=1)
    for event in events:
        table.add_row(
            str(event["seq"]), day(lang, event["legal_date"], "medium"), move_text(lang, event), event["actor"]
        )
        notes = Text()
        for v in event["verdicts"]:
            if v.get("overridden"):
                notes.append(
                    f"⚠ {rule_name(lang, v['rule'])} ({v['article']}){colon(lang)}{v.get('override_reason')} ",
                    style="bold red",
                )
            elif not v["passed"]:
                notes.append(f"✘ {rule_name(lang, v['rule'])}{colon(lang)}{verdict_message(v, lang)} ", style="red")
        if notes:
            table.add_row("", "", notes, "")
    return table


def status_table(rows: Sequence[dict[str, Any]], lang: str) -> Table:
    table = Table(title=t(lang, "status_title"), title_justify="left")
    id_column(table, t(lang, "act"), [row["id"] for row in rows])
    text_column(table, t(lang, "subject"), ratio=2)
    table.add_column(t(lang, "state"), overflow="fold")
    text_column(table, t(lang, "next"), ratio=2)
    for row in rows:
        hints = [hint(lang, n) for n in row["next"]]
        state = Text(state_name(lang, row["state"]), style="green" if row["state"] == "executory" else "")
        if row.get("irregular"):
            state.append(" ⚠", style="bold red")
        table.add_row(row["id"], row["subject"], state, "\n".join(hints) or "—")
    return table


def show_long(
    rows: Iterable[Any],
    table_of: Callable[[list[Any]], Table],
    lines_of: Callable[[Iterable[Any]], Iterable[str]],
) -> bool:
    """A list that may be long, its rows streamed: on a terminal, a table when they fit in a
    screenful, else plain lines (in a pager); piped, plain lines written as they come. Only a
    screenful of rows is ever held. False when there was no row."""
    if not console.is_terminal:
        import sys

        write, shown = sys.stdout.write, False
        for line in lines_of(rows):
            write(line + "\n")
            shown = True
        return shown
    rows = iter(rows)
    screen = list(islice(rows, max(console.height - 6, 1)))
    extra = next(rows, None)
    if extra is None:
        if screen:
            console.print(table_of(screen))
        return bool(screen)
    with console.pager(styles=False):
        for line in lines_of(chain(screen, [extra], rows)):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    return True


def status_lines(rows: Iterable[dict[str, Any]], lang: str) -> Iterator[str]:
    """One tab-separated line an act (for a pipe): id, state, next steps, subject."""
    for row in rows:
        nexts = ", ".join(trigger_name(lang, n) for n in row["next"]) or "—"
        mark = " ⚠" if row.get("irregular") else ""
        yield f"{row['id']}\t{state_name(lang, row['state'])}{mark}\t{nexts}\t{row['subject']}"


# ---------------------------------------------------------------- audit


def as_of_panel(view: dict[str, Any], lang: str) -> Panel:
    """An act as it stood on a past date (``delib act show --as-of``)."""
    panel = act_panel(view, lang)
    panel.title = f"{panel.title} — {t(lang, 'as_of', date=view['as_of'])}"
    panel.subtitle = t(lang, "as_of_" + view.get("basis", "legal"))
    return panel


def findings_table(findings: Sequence[dict[str, Any]], lang: str) -> Table:
    table = Table(title=t(lang, "findings"), title_justify="left", show_lines=True)
    wheres = [f"{f['council']}#{f['seq']}" if f.get("seq") is not None else f["council"] for f in findings]
    table.add_column(t(lang, "kind"), style="bold red", overflow="fold")
    id_column(table, t(lang, "event"), wheres)
    id_column(table, t(lang, "act"), [f.get("act") or "—" for f in findings])
    text_column(table, t(lang, "finding"), ratio=3)
    for f, where in zip(findings, wheres, strict=True):
        message = f["messages"].get(lang) or f["messages"]["en"]
        table.add_row(finding_kind(lang, f["kind"]), where, f.get("act") or "—", message)
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
    id_column(table, t(lang, "event"), [f"{e['council']}#{e['seq']}" for e in events])
    id_column(table, t(lang, "act"), [e["act"] or "—" for e in events])
    table.add_column(t(lang, "legal_date"), no_wrap=True)
    text_column(table, t(lang, "recorded_at"))
    text_column(table, t(lang, "actor"))
    text_column(table, t(lang, "transition"), ratio=2)
    for e in events:
        move = Text(move_text(lang, e))
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
    rows = [(e, f) for e in data["acts"] for f in e["findings"]]
    rows += [({"act": "—", "session_date": "—", "state": "—"}, f) for f in data["council_findings"]]
    id_column(table, t(lang, "act"), [e["act"] for e, _ in rows])
    table.add_column(t(lang, "session"), no_wrap=True)
    text_column(table, t(lang, "state"))
    text_column(table, t(lang, "kind"))
    text_column(table, t(lang, "finding"), ratio=3)
    for entry, f in rows:
        style = "bold red" if f["kind"] in ("chain", "overridden") else "yellow"
        where = f" (#{f['seq']})" if f.get("seq") else ""
        table.add_row(
            entry["act"],
            entry["session_date"],
            state_name(lang, entry["state"]) if entry["state"] != "—" else "—",
            Text(finding_kind(lang, f["kind"]), style=style),
            (f["messages"].get(lang) or f["messages"]["en"]) + where,
        )
    summary = ", ".join(f"{finding_kind(lang, k)} {n}" for k, n in data["summary"].items() if n)
    summary = summary or t(lang, "no_findings")
    return Group(table, Text(t(lang, "report_summary", acts=data["acts_examined"], summary=summary)))


# ---------------------------------------------------------------- sessions (issue 3, items 2-7)


def session_panel(view: dict[str, Any], lang: str) -> Panel:
    """A session: its convocation, attendance, agenda (irregular acts in red), register steps."""
    lines = Text()

    def row(label: str, value: Any, style: str = "") -> None:
        lines.append(t(lang, "field", label=label), style="bold")
        lines.append(f"{value}\n", style=style)

    row(
        t(lang, "session_held_at"), moment(lang, view["held_at"]) + (f" — {view['place']}" if view.get("place") else "")
    )
    status_key = "session_status_" + view["status"]
    row(t(lang, "status"), t(lang, status_key) if status_key in MESSAGES else view["status"])
    if view.get("convened_on"):
        urgent = f" ({t(lang, 'urgent')})" if view.get("urgent") else ""
        row(t(lang, "convocation"), day(lang, view["convened_on"]) + urgent)
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
        row(t(lang, "president"), attendance.get("president") or "—")
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


def sessions_table(rows: Sequence[dict[str, Any]], lang: str, council: str) -> Table:
    """A council's sessions: id, date, status, items."""
    table = Table(title=t(lang, "sessions_title", council=council), title_justify="left")
    id_column(table, t(lang, "session"), [row["id"] for row in rows])
    text_column(table, t(lang, "session_held_at"), ratio=2)
    text_column(table, t(lang, "status"))
    table.add_column(t(lang, "items"), justify="right", no_wrap=True)
    text_column(table, t(lang, "place"))
    for row in rows:
        key = "session_status_" + row["status"]
        status = t(lang, key) if key in MESSAGES else row["status"]
        table.add_row(row["id"], moment(lang, row["held_at"]), status, str(row["items"]), row.get("place") or "—")
    return table
