"""``delib audit ...``: verify the history, checkpoints and proofs, the log, findings, export.

Every command opens the database READ-ONLY (SQLite ``mode=ro``; a read-only transaction on
PostgreSQL): an audit cannot write, even by accident. ``verify-proof`` needs no database at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.context import YEAR_MAX, YEAR_MIN, bounded
from cli.context import FORCE, JSON, emit_json, options, output_file, service_context, write_file
from cli.i18n import t
from cli.render import console, err_console

if TYPE_CHECKING:
    from workflow.service import Context

app = typer.Typer(no_args_is_help=True)

COUNCIL_ARG = typer.Argument(None, metavar="[COUNCIL]", help="One council (default: all).")
PROGRESS_FROM = 50_000  # events: below this, verification is too quick for a progress bar


def _readonly(ctx: typer.Context) -> Context:
    return service_context(ctx, readonly=True)


def _day(value: str | None, what: str) -> Any:
    from workflow.dates import parse_date

    return parse_date(value, what) if value else None


def _write(ctx: typer.Context, path: str, data: Any, force: bool) -> None:
    write_file(ctx, path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", force=force)


def _read_json(path: str) -> Any:
    from workflow.errors import InvalidInput

    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"Cannot read {path}: {exc}.", f"Impossible de lire {path} : {exc}.") from None


@app.command("verify")
def audit_verify(
    ctx: typer.Context,
    council: str = COUNCIL_ARG,
    against: str = typer.Option(None, "--against", help="A published checkpoint (JSON) the log must extend."),
    json_: bool = JSON,
) -> None:
    """Recompute every hash and link, replay every act; name the first event where the chain breaks.

    Exit status 0 only when everything holds; 9 when the history does not verify.
    """
    from workflow.audit import checkpoint
    from workflow.audit.verify import events_to_verify, verify
    from workflow.errors import IntegrityFailure

    lang = options(ctx).lang
    published = checkpoint.load(against) if against else None
    sctx = _readonly(ctx)
    with sctx.store.session() as session:
        if council:
            from workflow.service import get_council

            get_council(session, council)
        total = events_to_verify(session, council)
        with _progress(total, json_, lang) as tick:
            result = verify(session, council, progress=tick)
        if published is not None:
            results, findings = checkpoint.check_against(session, published)
            result.checkpoint_checked = True
            result.checkpoint_findings = findings
    data = result.to_dict()
    if published is not None:
        data["checkpoint"] = {"taken_at": published.get("taken_at"), "councils": results}
    if json_:
        emit_json(data)
    else:
        from cli.render import verify_view

        console.print(verify_view(data, lang))
    if not result.ok:
        first = result.findings[0]
        raise IntegrityFailure(
            f"The history does not verify: {first.message('en')}.",
            f"L'historique ne se vérifie pas : {first.message('fr')}.",
        )


class _progress:
    """A rich progress bar on stderr for long verifications in a terminal; silent otherwise."""

    def __init__(self, total: int, quiet: bool, lang: str) -> None:
        self.enabled = total >= PROGRESS_FROM and not quiet and err_console.is_terminal
        self.total, self.lang = total, lang

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        )
        self.bar.__enter__()
        task = self.bar.add_task(t(self.lang, "verifying"), total=self.total)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)


@app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    council: str = COUNCIL_ARG,
    output: str = typer.Option(None, "--output", "-o", help="Write the checkpoint (JSON) to this file."),
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """A signed-off summary of the log (events, head hash, Merkle root, date) to publish or send."""
    from workflow.audit import checkpoint
    from workflow.dates import utc_now

    sctx = _readonly(ctx)
    with sctx.store.session() as session:
        doc = checkpoint.take(session, council, sctx.actor, utc_now())
    if output:
        _write(ctx, output, doc, force)
    if json_:
        emit_json(doc)
        return
    from cli.render import checkpoint_table

    lang = options(ctx).lang
    console.print(checkpoint_table(doc, lang))
    if output:
        console.print(t(lang, "checkpoint_written", path=output))


@app.command("prove")
def audit_prove(
    ctx: typer.Context,
    act_id: str = typer.Argument(..., metavar="ACT"),
    against: str = typer.Option(
        None, "--against", help="The published checkpoint to prove against (default: a fresh one)."
    ),
    output: str = typer.Option(None, "--output", "-o", help="Write the proof (JSON) to this file."),
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """Merkle inclusion proofs that the act's events belong to a checkpoint (checkable offline)."""
    from workflow.audit import checkpoint
    from workflow.audit.proof import prove
    from workflow.dates import utc_now

    published = checkpoint.load(against) if against else None
    sctx = _readonly(ctx)
    with sctx.store.session() as session:
        proof = prove(session, act_id, checkpoint=published, actor=sctx.actor, now=utc_now())
    if output:
        _write(ctx, output, proof, force)
    if json_ or not output:
        emit_json(proof)
        return
    lang = options(ctx).lang
    console.print(
        t(
            lang,
            "proof_written",
            path=output,
            count=len(proof["events"]),
            size=proof["tree_size"],
            root=proof["merkle_root"],
        )
    )


@app.command("verify-proof")
def audit_verify_proof(
    ctx: typer.Context,
    proof_file: str = typer.Argument(..., metavar="FILE"),
    published: str = typer.Option(None, "--checkpoint", help="The checkpoint the council published, to compare with."),
    json_: bool = JSON,
) -> None:
    """Check a proof from `delib audit prove` without any database; exit 9 if it does not hold."""
    from workflow.audit import checkpoint
    from workflow.audit.proof import verify_proof
    from workflow.errors import IntegrityFailure

    lang = options(ctx).lang
    theirs = checkpoint.load(published) if published else None
    result = verify_proof(_read_json(proof_file), theirs)
    if json_:
        emit_json(result)
    else:
        from cli.render import proof_table

        console.print(proof_table(result, lang))
    if not result["ok"]:
        first = result["problems"][0]
        where = f"#{first['seq']}: " if first["seq"] else ""
        raise IntegrityFailure(
            f"The proof does not hold: {where}{first['en']}.",
            f"La preuve ne tient pas : {where}{first['fr']}.",
        )


@app.command("log")
def audit_log(
    ctx: typer.Context,
    council: str = typer.Option(None, "--council", help="Only this council."),
    actor: str = typer.Option(None, "--actor", help="Only the steps recorded by this actor."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD), inclusive."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD), inclusive."),
    trigger: str = typer.Option(None, "--trigger", help="Only this transition (convene, open, vote, post, file...)."),
    recorded: bool = typer.Option(False, "--recorded", help="Filter by the recording day rather than the legal date."),
    limit: int = typer.Option(200, "--limit", callback=bounded(0, 1_000_000_000), help="Rows shown in the terminal (0: all); --json gives all."),
    json_: bool = JSON,
) -> None:
    """The history across acts, oldest first, filtered.

    Dates filter the LEGAL date of each step; events without one (set-up, putting an act on the
    agenda) by the day they were recorded. --recorded: filter every event by its recording day.
    """
    from workflow.audit.source import events_query, stream
    from workflow.service import event_view

    query = events_query(
        council=council,
        actor=actor,
        trigger=trigger,
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        recorded=recorded,
    )
    sctx = _readonly(ctx)
    lang = options(ctx).lang
    with sctx.store.session() as session:
        rows = (event_view(row) for row in stream(session, query))
        if json_:
            _stream_json_list(rows)
            return
        from cli.render import audit_log_table

        shown: list[dict[str, Any]] = []
        more = 0
        for view in rows:
            if limit and len(shown) >= limit:
                more += 1
            else:
                shown.append(view)
    if not shown:
        console.print(t(lang, "no_events"))
        return
    console.print(audit_log_table(shown, lang))
    if more:
        console.print(t(lang, "log_more", count=more))


def _stream_json_list(items: Any) -> None:
    """A JSON list written item by item (constant memory)."""
    out = sys.stdout
    first = True
    for item in items:
        out.write(("[\n" if first else ",\n") + json.dumps(item, ensure_ascii=False, default=str))
        first = False
    out.write("[]\n" if first else "\n]\n")


@app.command("report")
def audit_report(
    ctx: typer.Context,
    council: str = COUNCIL_ARG,
    year: int = typer.Option(None, "--year", callback=bounded(YEAR_MIN, YEAR_MAX), help="Only the acts of that year's sessions."),
    format_: str = typer.Option("table", "--format", help="table (terminal), md (Markdown) or json."),
    backdating_days: int = typer.Option(
        7,
        "--backdating-days",
        callback=bounded(0, 1_000_000),
        help="A step recorded more than N days after its legal date is reported.",
    ),
    list_days: int = typer.Option(
        7,
        "--list-days",
        callback=bounded(0, 1_000_000),
        help="Publication later than N days after the session (CGCT L2121-25: one week).",
    ),
    transmission_days: int = typer.Option(
        15, "--transmission-days", callback=bounded(0, 1_000_000), help="Transmission later than N days after the session."
    ),
    json_: bool = JSON,
) -> None:
    """Per act, what an auditor must see: overrides, late steps, never executory, chain breaks."""
    from workflow.audit.report import Thresholds, report, to_markdown
    from workflow.errors import InvalidInput

    if format_ not in ("table", "md", "json"):
        raise InvalidInput("--format takes table, md or json.", "--format prend table, md ou json.")
    if min(backdating_days, list_days, transmission_days) < 0:
        raise InvalidInput(
            "Thresholds are numbers of days, not negative.",
            "Les seuils sont des nombres de jours, non négatifs.",
        )
    limits = Thresholds(backdating_days, list_days, transmission_days)
    sctx = _readonly(ctx)
    with sctx.store.session() as session:
        data = report(session, council, year=year, thresholds=limits)
    lang = options(ctx).lang
    if json_ or format_ == "json":
        emit_json(data)
    elif format_ == "md":
        sys.stdout.write(to_markdown(data, lang))
    else:
        from cli.render import report_table

        console.print(report_table(data, lang))


@app.command("export")
def audit_export(
    ctx: typer.Context,
    format_: str = typer.Option("jsonl", "--format", help="jsonl (one event a line), json (one list) or csv."),
    council: str = typer.Option(None, "--council", help="Only this council."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD), inclusive."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD), inclusive."),
    recorded: bool = typer.Option(False, "--recorded", help="Filter by the recording day rather than the legal date."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file rather than stdout."),
    force: bool = FORCE,
    json_: bool = typer.Option(False, "--json", help="Same as --format json."),
) -> None:
    """Stream every event (constant memory, millions of events): jsonl, json or csv.

    Dates filter the LEGAL date of each step; events without one (set-up, putting an act on the
    agenda) by the day they were recorded. --recorded: filter every event by its recording day.
    """
    from workflow.audit.export import export

    fmt = "json" if json_ else format_
    first, last = _day(since, "--since"), _day(until, "--until")
    sctx = _readonly(ctx)
    with sctx.store.session() as session:
        if output:
            with output_file(ctx, output, force=force) as out:
                written = export(session, out, fmt, council=council, since=first, until=last, recorded=recorded)
            err_console.print(t(options(ctx).lang, "exported", count=written, path=output))
        else:
            export(
                session,
                sys.stdout,
                fmt,
                council=council,
                since=first,
                until=last,
                recorded=recorded,
            )
