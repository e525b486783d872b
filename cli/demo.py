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


def load_example() -> dict[str, Any]:
    text = resources.files("workflow").joinpath("data/example-2024121302.facts.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def run_demo(ctx: typer.Context, json_: bool) -> None:
    from workflow import service
    from workflow.store.database import describe
    from workflow.store.models import Council

    facts = load_example()
    sctx = service_context(ctx)
    lang = options(ctx).lang
    act_id = f"{DEMO_COUNCIL}/{facts['act']['number']}"
    with sctx.store.session() as session:
        exists = session.get(Council, DEMO_COUNCIL) is not None
    if exists:
        if not json_:
            console.print(t(lang, "demo_exists", id=DEMO_COUNCIL, db=describe(sctx.store.url)))
    else:
        carry(sctx, facts, DEMO_COUNCIL)
    with sctx.store.session() as session:
        view = service.act_view(service.get_act(session, act_id))
        events = [service.event_view(e) for e in service.act_events(session, act_id)]
    if json_:
        emit_json({"act": view, "history": events})
        return
    console.print(t(lang, "demo_db", db=describe(sctx.store.url)))
    console.print(act_panel(view, lang))
    console.print(history_timeline(events, lang, t(lang, "history_of", id=act_id), verbose=True))


def carry(sctx: Any, facts: dict[str, Any], slug: str) -> str:
    """Replay the example's facts through the service, step by step, as a clerk would."""
    from datetime import datetime

    from workflow import service

    council, sitting_facts, act = facts["council"], facts["session"], facts["act"]
    service.add_council(
        sctx,
        slug,
        name="Conseil municipal (exemple du 13/12/2024)",
        kind=council["kind"],
        population=council["population"],
    )
    mayor = council["mayor"]
    service.add_members(sctx, slug, [mayor], mayor=True)
    service.add_members(sctx, slug, [m for m in council["members"] if m != mayor])
    held_at = sitting_facts["held_at"]
    held = held_at if isinstance(held_at, datetime) else datetime.fromisoformat(str(held_at))
    sitting = service.add_session(sctx, slug, held_at=held, place=sitting_facts["place"])
    created = service.add_act(sctx, sitting.id, subject=act["subject"], number=str(act["number"]), nature=act["nature"])
    service.convene_session(sctx, sitting.id, on=_day(sitting_facts["convocation_sent_on"]))
    service.open_session(
        sctx,
        sitting.id,
        present=sitting_facts["present"],
        proxies=list(sitting_facts["proxies"].items()),
        secretary=sitting_facts["secretary"],
        president=sitting_facts["president"],
    )
    vote = act["vote"]
    service.vote_act(sctx, created.id, for_=vote["for"], against=vote["against"], abstain=vote["abstain"])
    service.file_act(sctx, created.id, on=_day(act["transmitted_on"]))
    service.post_act(sctx, created.id, on=_day(act["posted_on"]))
    return created.id


def _day(value: Any) -> Any:
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))
