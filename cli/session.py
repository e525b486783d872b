"""``delib session ...``: plan, convene and open sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from cli.context import JSON, OVERRIDE, REASON, checked_text, emit_json, options, parse_overrides, service_context
from cli.defaults import COUNCIL, SESSION
from cli.i18n import state_name, t
from cli.render import console

app = typer.Typer(no_args_is_help=True)


@app.command("add")
def session_add(
    ctx: typer.Context,
    council_id: str = COUNCIL,
    date: str = typer.Option(..., "--date", help="YYYY-MM-DD or YYYY-MM-DDTHH:MM (time in France)."),
    place: str = typer.Option(None, "--place", callback=checked_text(spaces_ok=True)),
    json_: bool = JSON,
) -> None:
    """Plan a session; prints its id (COUNCIL/YYYY-MM-DD)."""
    from workflow.dates import parse_datetime
    from workflow.service.setup import add_sitting
    from workflow.service.views import sitting_view

    if council_id is None:
        from workflow.errors import InvalidInput

        raise InvalidInput(
            "Which council? Give COUNCIL, or choose a default council with `delib use COUNCIL`.",
            "Quelle assemblée ? Donnez ASSEMBLÉE, ou choisissez une assemblée par défaut avec `delib use ASSEMBLÉE`.",
        )
    held_at = parse_datetime(date, "--date")
    sctx = service_context(ctx)
    sitting = add_sitting(sctx, council_id, held_at=held_at, place=place)
    if json_:
        emit_json(sitting_view(sitting))
    else:
        console.print(sitting.id)


@app.command("convene")
def session_convene(
    ctx: typer.Context,
    session_id: str = SESSION,
    on: str = typer.Option(..., "--on", help="Date the convocation was sent (YYYY-MM-DD)."),
    urgent: bool = typer.Option(False, "--urgent", help="Urgency: shorter delay, at least one clear day."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Send the convocation: every act on the agenda becomes convened (delay in clear days
    checked)."""
    from workflow.dates import parse_date
    from workflow.service.sitting import convene_sitting
    from workflow.service.views import act_view

    day = parse_date(on, "--on")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    acts = convene_sitting(sctx, session_id, on=day, urgent=urgent)
    if json_:
        emit_json([act_view(a) for a in acts])
    else:
        console.print(t(options(ctx).lang, "convened", count=len(acts), session=session_id))


def _proxy_pairs(proxies: list[str]) -> list[tuple[str, str]]:
    from workflow.errors import InvalidInput

    pairs = []
    for item in proxies:
        giver, sep, holder = item.partition("=")
        if not sep or not giver.strip() or not holder.strip():
            raise InvalidInput(
                f"--proxy '{item}' must read GIVER=HOLDER, e.g. --proxy \"LEBRUN Nathalie=PROUVEUR Aurore\".",
                f'--proxy « {item} » doit s\'écrire MANDANT=MANDATAIRE, ex. --proxy "LEBRUN Nathalie=PROUVEUR Aurore".',
            )
        pairs.append((giver.strip(), holder.strip()))
    return pairs


@app.command("open")
def session_open(
    ctx: typer.Context,
    session_id: str = SESSION,
    present: list[str] = typer.Option(
        [],
        "--present",
        help="A member present (repeat). Default: all but --absent and proxy givers.",
    ),
    absent: list[str] = typer.Option([], "--absent", help="A member absent (repeat)."),
    proxy: list[str] = typer.Option(
        [],
        "--proxy",
        help='"GIVER=HOLDER" (repeat); replaces a proxy recorded ahead by that giver.',
    ),
    secretary: str = typer.Option(
        None, "--secretary", help="Secretary of session, a member present (required to open)."
    ),
    president: str = typer.Option(
        None,
        "--president",
        help="President of session, a member present (default: the mayor if present, "
        "else the first deputy present, else the first councillor present).",
    ),
    urgency_accepted: bool = typer.Option(
        False, "--urgency-accepted", help="Convened under urgency: the council accepts the urgency."
    ),
    urgency_rejected: bool = typer.Option(
        False,
        "--urgency-rejected",
        help="Convened under urgency: the council refuses it; the items are postponed.",
    ),
    record_quorum_failure: bool = typer.Option(
        False,
        "--record-quorum-failure",
        help="Quorum not reached: record the failed meeting (the acts stay convened), then reconvene.",
    ),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Open the session: quorum, proxies (those recorded ahead included), secretary, urgency."""
    from workflow.errors import InvalidInput
    from workflow.service.sitting import open_sitting
    from workflow.service.views import act_view

    if urgency_accepted and urgency_rejected:
        raise InvalidInput(
            "--urgency-accepted and --urgency-rejected exclude each other.",
            "--urgency-accepted et --urgency-rejected s'excluent.",
        )
    urgency = "accepted" if urgency_accepted else "rejected" if urgency_rejected else None
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    acts = open_sitting(
        sctx,
        session_id,
        present=present,
        absent=absent,
        proxies=_proxy_pairs(proxy),
        secretary=secretary,
        president=president,
        urgency=urgency,
        record_quorum_failure=record_quorum_failure,
    )
    if json_:
        emit_json([act_view(a) for a in acts])
        return
    lang = options(ctx).lang
    if record_quorum_failure:
        console.print(t(lang, "quorum_failed", count=len(acts), session=session_id))
    elif acts and all(a.state == "postponed" for a in acts):
        console.print(t(lang, "adjourned", count=len(acts), session=session_id))
    else:
        console.print(t(lang, "opened", count=len(acts), session=session_id))


@app.command("reconvene")
def session_reconvene(
    ctx: typer.Context,
    session_id: str = SESSION,
    on: str = typer.Option(..., "--on", help="Date the new convocation was sent (YYYY-MM-DD)."),
    date: str = typer.Option(..., "--date", help="The new meeting: YYYY-MM-DD or YYYY-MM-DDTHH:MM (time in France)."),
    urgent: bool = typer.Option(False, "--urgent", help="Postponed items only: convened under urgency."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Convene again: the second convocation after a quorum failure (no quorum needed then,
    within the definition's delay), or the items the council postponed."""
    from workflow.dates import parse_date, parse_datetime
    from workflow.service.sitting import reconvene_sitting
    from workflow.service.views import act_view

    day = parse_date(on, "--on")
    held_at = parse_datetime(date, "--date")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    sitting, acts = reconvene_sitting(sctx, session_id, on=day, held_at=held_at, urgent=urgent)
    if json_:
        from workflow.service.views import sitting_overview

        view = sitting_overview(sctx, sitting.id)
        emit_json({**view, "moved": [act_view(a) for a in acts]})
    else:
        console.print(t(options(ctx).lang, "reconvened", count=len(acts), session=sitting.id))


@app.command("list-posted")
def session_list_posted(
    ctx: typer.Context,
    session_id: str = SESSION,
    on: str = typer.Option(..., "--on", help="Date the list of deliberations was posted and put online."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """The list of the session's deliberations, posted and online within the definition's delay."""
    from workflow.dates import parse_date
    from workflow.service.register import post_list

    day = parse_date(on, "--on")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    view = post_list(sctx, session_id, on=day)
    _print_session(ctx, view, json_)


@app.command("minutes")
def session_minutes(
    ctx: typer.Context,
    session_id: str = SESSION,
    approved_at: str = typer.Option(
        ..., "--approved-at", help="The session that approved the minutes: the council's next one."
    ),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """The minutes (procès-verbal) approved at the start of the next session."""
    from workflow.service.register import approve_minutes

    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    from cli.defaults import qualify

    approved = qualify(approved_at, "YYYY-MM-DD") or approved_at
    _print_session(ctx, approve_minutes(sctx, session_id, approved_at=approved), json_)


@app.command("minutes-online")
def session_minutes_online(
    ctx: typer.Context,
    session_id: str = SESSION,
    on: str = typer.Option(..., "--on", help="Date the approved minutes were put online."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """The approved minutes put online, within the definition's delay after their approval."""
    from workflow.dates import parse_date
    from workflow.service.register import publish_minutes

    day = parse_date(on, "--on")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    _print_session(ctx, publish_minutes(sctx, session_id, on=day), json_)


@app.command("show")
def session_show(ctx: typer.Context, session_id: str = SESSION, json_: bool = JSON) -> None:
    """Show a session: its attendance, its agenda (irregular acts marked), its register steps."""
    from workflow.service.views import sitting_overview

    _print_session(ctx, sitting_overview(service_context(ctx, readonly=True), session_id), json_)


@app.command("close")
def session_close(
    ctx: typer.Context,
    session_id: str = SESSION,
    at: str = typer.Option(None, "--at", help="The time the president closed the meeting (HH:MM), as in the minutes."),
    json_: bool = JSON,
) -> None:
    """Close the meeting (la séance est levée): every item voted, postponed or taken off first."""
    from workflow.service.sitting import close_sitting
    from workflow.service.views import sitting_overview

    sctx = service_context(ctx)
    close_sitting(sctx, session_id, closed_at=at)
    _print_session(ctx, sitting_overview(sctx, session_id), json_)


def _print_session(ctx: typer.Context, view: dict, json_: bool) -> None:
    if json_:
        emit_json(view)
        return
    from cli.render import session_panel

    console.print(session_panel(view, options(ctx).lang))


@app.command("list")
def session_list(ctx: typer.Context, council_id: str = COUNCIL, json_: bool = JSON) -> None:
    """The council's sessions, oldest first: date, status, items on the agenda."""
    from workflow.errors import InvalidInput

    if council_id is None:
        raise InvalidInput(
            "Which council? Give COUNCIL, or choose a default council with `delib use COUNCIL`.",
            "Quelle assemblée ? Donnez ASSEMBLÉE, ou choisissez une assemblée par défaut avec `delib use ASSEMBLÉE`.",
        )
    sctx = service_context(ctx, readonly=True)
    from workflow.service.views import sittings_overview

    rows = sittings_overview(sctx, council_id)
    if json_:
        emit_json(rows)
        return
    from cli.render import sessions_table

    lang = options(ctx).lang
    console.print(sessions_table(rows, lang, council_id) if rows else t(lang, "no_sessions"))


def _batch(ctx: typer.Context, session_id: str, trigger: str, step: Callable[[Any, str], Any]) -> None:
    """Apply one step to every act of the session that can take it, each act on its own (its own
    transaction: an act is moved whole or not at all), then a summary. Exit code: 0 when none was
    refused, else the first refusal's."""
    from workflow import definition as definitions
    from workflow.errors import DelibError

    lang = options(ctx).lang
    sctx = service_context(ctx)
    from workflow.service.views import sitting_items

    definition_name, acts = sitting_items(sctx, session_id)
    definition = definitions.get(definition_name)
    done, refused, skipped, first_code = 0, 0, 0, 0
    for act_id, state in acts:
        if trigger not in definition.triggers_from(state):
            skipped += 1
            console.print(t(lang, "batch_skipped", act=act_id, state=state_name(lang, state)))
            continue
        try:
            moved = step(sctx, act_id)
        except DelibError as exc:
            refused += 1
            first_code = first_code or exc.exit_code
            console.print(t(lang, "batch_refused", act=act_id, reason=exc.message(lang)), style="red")
            continue
        done += 1
        console.print(
            t(
                lang,
                "batch_done",
                act=act_id,
                from_state=state_name(lang, state),
                to_state=state_name(lang, moved.state),
            )
        )
    summary = t(lang, "batch_summary", session=session_id, count=done, refused=refused, skipped=skipped)
    console.print(summary, style="bold red" if refused else "bold")
    if first_code:
        raise typer.Exit(first_code)


@app.command("post")
def session_post(
    ctx: typer.Context,
    session_id: str = SESSION,
    on: str = typer.Option(..., "--on", help="Date of publication (posting or online), YYYY-MM-DD."),
    mode: str = typer.Option(
        "electronic",
        "--mode",
        help="electronic, posting or paper (as for delib act post).",
    ),
) -> None:
    """Publish every act of the session that can be: each checked on its own, a summary at the end."""
    from workflow.dates import parse_date
    from workflow.service.publication import post_act

    day = parse_date(on, "--on")
    _batch(ctx, session_id, "post", lambda sctx, act_id: post_act(sctx, act_id, on=day, mode=mode))


@app.command("file")
def session_file(
    ctx: typer.Context,
    session_id: str = SESSION,
    on: str = typer.Option(..., "--on", help="Date of the prefecture's acknowledgement, YYYY-MM-DD."),
) -> None:
    """Transmit every act of the session that can be: each checked on its own, a summary at the end."""
    from workflow.dates import parse_date
    from workflow.service.publication import file_act

    day = parse_date(on, "--on")
    _batch(ctx, session_id, "file", lambda sctx, act_id: file_act(sctx, act_id, on=day))


@app.command("live")
def session_live(ctx: typer.Context, session_id: str = SESSION) -> None:
    """The live sitting: one process for the whole meeting. Shows the agenda, who is present, the
    quorum and the proxies; takes short commands (aide/help lists them): arrivals, departures,
    recusals, the vote of the current item, postpone, next. Each is the same event as the
    one-shot command; a refusal is shown in place."""
    from cli.live import run

    run(service_context(ctx), session_id, options(ctx).lang)


@app.command("documents")
def session_documents(
    ctx: typer.Context,
    session_id: str = SESSION,
    output: str = typer.Option(..., "-o", "--output", metavar="DIR", help="The folder to write the documents in."),
    format_: str = typer.Option("md", "--format", help="md, html or pdf (PDF/A-3b)."),
    certified: str = typer.Option(
        None, "--certified-on", help="Date of the certification of the extracts (pour copie conforme; default today)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace documents already in the folder."),
    json_: bool = JSON,
) -> None:
    """Write the documents of a session: convocation and agenda, list of the deliberations, minutes
    skeleton, the extract of each act voted; each carries the hash of the event it comes from."""
    from cli.context import protected
    from workflow.dates import parse_date
    from workflow.files import write_all
    from workflow.service.session_documents import session_documents as documents

    day = parse_date(certified, "--certified-on") if certified else None
    sctx = service_context(ctx, readonly=True)
    files = documents(sctx, session_id, format_, certified=day)
    written = write_all(output, files, force=force, protected=protected(ctx))
    if json_:
        emit_json({"session": session_id, "format": format_, "files": [str(p) for p in written]})
        return
    lang = options(ctx).lang
    for path in written:
        console.print(t(lang, "written", path=str(path)))
