"""``delib demo``: the real deliberation n° 2024121302 (council of 13/12/2024), carried to executory."""

from __future__ import annotations

from importlib import resources
from typing import Any

import typer
import yaml

from cli.context import emit_json, options, service_context
from cli.i18n import t
from cli.render import act_panel, console, history_timeline

DEMO_COUNCIL = "exemple"
# The act does not print the council's identifiers, which the @CTES identifier of its transmission
# needs: the placeholder SIREN of the domain rules (valid Luhn key) and the Nord.
DEMO_SIREN, DEMO_DEPARTMENT = "215900002", "59"


def load_example() -> dict[str, Any]:
    text = resources.files("workflow").joinpath("data/example-2024121302.facts.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def example_text() -> bytes:
    """The text of the seed deliberation (the exposé and the decision), as the act prints it."""
    return resources.files("workflow").joinpath("data/example-2024121302.text.md").read_bytes()


def run_demo(ctx: typer.Context, json_: bool) -> None:
    from workflow.service.views import act_history, act_overview, council_exists
    from workflow.store.failures import describe

    facts = load_example()
    sctx = service_context(ctx)
    lang = options(ctx).lang
    act_id = f"{DEMO_COUNCIL}/{facts['act']['number']}"
    if council_exists(sctx, DEMO_COUNCIL):
        if not json_:
            console.print(t(lang, "demo_exists", id=DEMO_COUNCIL, db=describe(sctx.store.url)))
    else:
        carry(sctx, facts, DEMO_COUNCIL)
    view, events = act_overview(sctx, act_id), act_history(sctx, act_id)
    if json_:
        emit_json({"act": view, "history": events})
        return
    console.print(t(lang, "demo_db", db=describe(sctx.store.url)))
    console.print(act_panel(view, lang))
    console.print(history_timeline(events, lang, t(lang, "history_of", id=act_id), verbose=True))


def carry(sctx: Any, facts: dict[str, Any], slug: str) -> str:
    """Replay the example's facts through the service, step by step, as a clerk would."""
    from datetime import datetime

    from workflow.ctes import transmission_id
    from workflow.service.publication import file_act, post_act
    from workflow.service.setup import add_act, add_council, add_members, add_sitting
    from workflow.service.sitting import convene_sitting, open_sitting
    from workflow.service.vote import vote_act

    council, sitting_facts, act = facts["council"], facts["session"], facts["act"]
    add_council(
        sctx,
        slug,
        name="Conseil municipal (exemple du 13/12/2024)",
        kind=council["kind"],
        population=council["population"],
        siren=DEMO_SIREN,
        department=DEMO_DEPARTMENT,
    )
    mayor, roll = council["mayor"], council["members"]
    before = roll[: roll.index(mayor)]  # the roll in the order the act names them
    if before:
        add_members(sctx, slug, before)
    add_members(sctx, slug, [mayor], mayor=True)
    add_members(sctx, slug, roll[roll.index(mayor) + 1 :])
    held_at = sitting_facts["held_at"]
    held = held_at if isinstance(held_at, datetime) else datetime.fromisoformat(str(held_at))
    sitting = add_sitting(sctx, slug, held_at=held, place=sitting_facts["place"])
    created = add_act(
        sctx, sitting.id, subject=act["subject"], number=str(act["number"]), nature=act["nature"], text=example_text()
    )
    convene_sitting(sctx, sitting.id, on=_day(sitting_facts["convocation_sent_on"]))
    open_sitting(
        sctx,
        sitting.id,
        present=sitting_facts["present"],
        proxies=list(sitting_facts["proxies"].items()),
        secretary=sitting_facts["secretary"],
        president=sitting_facts["president"],
    )
    vote = act["vote"]
    vote_act(sctx, created.id, for_=vote["for"], against=vote["against"], abstain=vote["abstain"])
    transmitted = _day(act["transmitted_on"])
    ack = transmission_id(DEMO_DEPARTMENT, DEMO_SIREN, sitting.held_at.date(), str(act["number"]), act["nature"])
    file_act(sctx, created.id, on=transmitted, ack=ack)
    post_act(sctx, created.id, on=_day(act["posted_on"]))
    return created.id


def _day(value: Any) -> Any:
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))
