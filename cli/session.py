"""``delib session ...``: plan, convene and open sessions."""

from __future__ import annotations

import typer

from cli.context import emit_json, options, parse_overrides, service_context
from cli.i18n import t
from cli.render import console

app = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON on stdout (for scripts).")
OVERRIDE = typer.Option([], "--override", help="Let the step through despite this rule (recorded as irregular).")
REASON = typer.Option(None, "--reason", help="Why the rule is overridden (required with --override).")


@app.command("add")
def session_add(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    date: str = typer.Option(..., "--date", help="YYYY-MM-DD or YYYY-MM-DDTHH:MM (time in France)."),
    place: str = typer.Option(None, "--place"),
    json_: bool = JSON,
) -> None:
    """Plan a session; prints its id (COUNCIL/YYYY-MM-DD)."""
    from workflow import service
    from workflow.dates import parse_datetime

    held_at = parse_datetime(date, "--date")
    sctx = service_context(ctx)
    sitting = service.add_session(sctx, council_id, held_at=held_at, place=place)
    if json_:
        emit_json(service.sitting_view(sitting))
    else:
        console.print(sitting.id)


@app.command("convene")
def session_convene(
    ctx: typer.Context,
    session_id: str = typer.Argument(..., metavar="SESSION"),
    on: str = typer.Option(..., "--on", help="Date the convocation was sent (YYYY-MM-DD)."),
    urgent: bool = typer.Option(False, "--urgent", help="Urgency: shorter delay, at least one clear day."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Send the convocation: every act on the agenda becomes convened (delay in clear days checked)."""
    from workflow import service
    from workflow.dates import parse_date

    day = parse_date(on, "--on")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    acts = service.convene_session(sctx, session_id, on=day, urgent=urgent)
    if json_:
        emit_json([service.act_view(a) for a in acts])
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
                f"--proxy « {item} » doit s'écrire MANDANT=MANDATAIRE, ex. --proxy \"LEBRUN Nathalie=PROUVEUR Aurore\".",
            )
        pairs.append((giver.strip(), holder.strip()))
    return pairs


@app.command("open")
def session_open(
    ctx: typer.Context,
    session_id: str = typer.Argument(..., metavar="SESSION"),
    present: list[str] = typer.Option([], "--present", help="A member present (repeat). Default: all but --absent and proxy givers."),
    absent: list[str] = typer.Option([], "--absent", help="A member absent (repeat)."),
    proxy: list[str] = typer.Option([], "--proxy", help='"GIVER=HOLDER" (repeat).'),
    secretary: str = typer.Option(..., "--secretary", help="Secretary of session, a member present."),
    president: str = typer.Option(None, "--president", help="President of session (default: the mayor)."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Open the session: quorum, proxies and secretary are checked."""
    from workflow import service

    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    acts = service.open_session(
        sctx, session_id, present=present, absent=absent, proxies=_proxy_pairs(proxy),
        secretary=secretary, president=president,
    )
    if json_:
        emit_json([service.act_view(a) for a in acts])
    else:
        console.print(t(options(ctx).lang, "opened", count=len(acts), session=session_id))


@app.command("show")
def session_show(ctx: typer.Context, session_id: str = typer.Argument(..., metavar="SESSION"), json_: bool = JSON) -> None:
    """Show a session, its attendance and its agenda."""
    from workflow import service

    sctx = service_context(ctx, readonly=True)
    with sctx.store.session() as session:
        sitting = service.get_sitting(session, session_id)
        view = service.sitting_view(sitting, service.session_acts(session, session_id))
    if json_:
        emit_json(view)
        return
    console.print(f"[bold]{view['id']}[/bold] — {view['held_at']} — {view['place'] or ''} — {view['status']}")
    if view["convened_on"]:
        console.print(f"  convocation: {view['convened_on']}" + (" (urgent)" if view["urgent"] else ""))
    if view["attendance"]:
        att = view["attendance"]
        console.print(f"  present ({len(att['present'])}): {', '.join(att['present'])}")
        for giver, holder in att["proxies"].items():
            console.print(f"  proxy: {giver} → {holder}")
        console.print(f"  secretary: {att['secretary']}")
    for act_id in view["acts"]:
        console.print(f"  • {act_id}")
