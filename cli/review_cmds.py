"""``delib act ...`` after the vote and around the agenda: review, finality, withdrawal, annulment,
postponement, removal from the agenda, exemption from transmission (registered on ``act``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from cli.context import (
    JSON,
    OVERRIDE,
    REASON,
    checked_text,
    emit_json,
    options,
    parse_overrides,
    service_context,
)
from cli.defaults import ACT
from cli.render import act_panel, console


def _on(on: str | None) -> Any:
    from workflow.dates import parse_date

    return parse_date(on, "--on") if on else None


YES = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")
RULED_ON = typer.Option(..., "--on", help="Date of the ruling.")
RULING = typer.Option(..., "--ruling", help="The judgment's reference.")


def _confirm(ctx: typer.Context, yes: bool, key: str, act_id: str) -> None:
    """Ask before an irreversible step (answer y/yes, or o/oui); anything else cancels: exit 1,
    nothing written."""
    if yes:
        return
    import sys

    from cli.i18n import t
    from cli.render import err_console

    lang = options(ctx).lang
    err_console.print(t(lang, key, act=act_id) + " " + t(lang, "confirm_choices"), end=" ", markup=False)
    answer = sys.stdin.readline().strip().casefold()
    if answer not in ("y", "yes", "o", "oui"):
        err_console.print(t(lang, "cancelled"))
        raise typer.Exit(1)


def _show(ctx: typer.Context, act: Any, json_: bool) -> None:
    from workflow.service.views import act_view

    view = act_view(act)
    if json_:
        emit_json(view)
    else:
        console.print(act_panel(view, options(ctx).lang))


def request(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(..., "--on", help="Date of the request, YYYY-MM-DD."),
    by: str = typer.Option(..., "--by", help="prefect | third-party"),
    kind: str = typer.Option(
        "gracieux",
        "--kind",
        help="documents | gracieux | communication (the prefect); gracieux (a third party).",
    ),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """A request that extends a window: the prefect's request for documents or recours gracieux,
    a third party's recours gracieux."""
    from workflow.service.review import request_review

    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    _show(ctx, request_review(sctx, act_id, on=_on(on), by=by, kind=kind), json_)


def answer(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(..., "--on", help="Date of the answer (documents received, rejection)."),
    by: str = typer.Option(None, "--by", help="Answer the pending request of: prefect | third-party."),
    json_: bool = JSON,
) -> None:
    """The council's answer to the oldest pending request: the window runs again from it."""
    from workflow.service.review import answer_request

    sctx = service_context(ctx)
    _show(ctx, answer_request(sctx, act_id, on=_on(on), by=by), json_)


def contest(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(..., "--on", help="Date the appeal was lodged."),
    by: str = typer.Option(..., "--by", help="prefect (déféré) | third-party (recours)"),
    reference: str = typer.Option(None, "--ref", callback=checked_text(), help="The court's case number."),
    json_: bool = JSON,
) -> None:
    """An appeal lodged against the act (not suspensive): the act is contested until the ruling."""
    from workflow.service.review import contest_act

    sctx = service_context(ctx)
    _show(ctx, contest_act(sctx, act_id, on=_on(on), by=by, reference=reference), json_)


def uphold(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = RULED_ON,
    ruling: str = RULING,
    json_: bool = JSON,
) -> None:
    """The court dismissed the appeal: the act stands."""
    from workflow.service.review import uphold_act

    sctx = service_context(ctx)
    _show(ctx, uphold_act(sctx, act_id, on=_on(on), ruling=ruling), json_)


def annul(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = RULED_ON,
    ruling: str = RULING,
    json_: bool = JSON,
) -> None:
    """The court annulled the act."""
    from workflow.service.review import annul_act

    sctx = service_context(ctx)
    _show(ctx, annul_act(sctx, act_id, on=_on(on), ruling=ruling), json_)


def finalize(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(None, "--on", help="Date (default: today in France)."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """The act becomes final (définitif): the prefect's and third parties' windows are closed."""
    from workflow.service.review import finalize_act

    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    _show(ctx, finalize_act(sctx, act_id, on=_on(on)), json_)


def withdraw(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(..., "--on", help="Date of the deliberation that withdraws the act."),
    basis: str = typer.Option(
        "illegality",
        "--basis",
        help="illegality (within the definition's delay) | fraud | subsidy | beneficiary_request",
    ),
    grounds: str = typer.Option(..., "--grounds", help="Why the act is withdrawn."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    yes: bool = YES,
    json_: bool = JSON,
) -> None:
    """Withdrawal (retrait) by the council: for illegality within the definition's delay, for fraud,
    for a subsidy whose conditions were not met, or at the beneficiary's request."""
    from workflow.service.review import withdraw_act

    _confirm(ctx, yes, "confirm_withdraw", act_id)
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    _show(ctx, withdraw_act(sctx, act_id, on=_on(on), basis=basis, grounds=grounds), json_)


def postpone(
    ctx: typer.Context,
    act_id: str = ACT,
    to: str = typer.Option(None, "--to", help="The later session (COUNCIL/YYYY-MM-DD), not yet convened."),
    on: str = typer.Option(None, "--on", help="Date of the decision (default: the session's day if open, else today)."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Put an item off before its vote, onto a later session's agenda (--to)."""
    from workflow.service.review import postpone_act

    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    from cli.defaults import qualify

    _show(ctx, postpone_act(sctx, act_id, to=qualify(to, "YYYY-MM-DD"), on=_on(on)), json_)


def remove(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(None, "--on", help="Date (default: the session's day if open, else today)."),
    yes: bool = YES,
    json_: bool = JSON,
) -> None:
    """Take an item off the agenda before its vote."""
    from workflow.service.review import remove_from_agenda

    _confirm(ctx, yes, "confirm_remove", act_id)
    sctx = service_context(ctx)
    _show(ctx, remove_from_agenda(sctx, act_id, on=_on(on)), json_)


def exempt(
    ctx: typer.Context,
    act_id: str = ACT,
    ground: str = typer.Option(
        ..., "--ground", help="voirie | fonction_publique (the grounds of the council's definition)"
    ),
    json_: bool = JSON,
) -> None:
    """Declare the act exempt from transmission: executory on publication alone."""
    from workflow.service.publication import exempt_from_transmission

    sctx = service_context(ctx)
    _show(ctx, exempt_from_transmission(sctx, act_id, ground=ground), json_)


COMMANDS: dict[str, Callable[..., None]] = {
    "request": request,
    "answer": answer,
    "contest": contest,
    "uphold": uphold,
    "annul": annul,
    "finalize": finalize,
    "withdraw": withdraw,
    "postpone": postpone,
    "remove": remove,
    "exempt": exempt,
}


def register(app: typer.Typer) -> None:
    """Add these commands to ``delib act``."""
    for name, command in COMMANDS.items():
        app.command(name)(command)
