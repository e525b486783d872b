"""Building acts through the service, for audit tests that need an order the demo does not take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workflow.service.context import Context
from workflow.service.setup import add_act, add_council, add_members, add_sitting
from workflow.service.sitting import convene_sitting, open_sitting
from workflow.service.vote import vote_act
from workflow.store.database import open_store


def carry_until_vote(db_url: str, facts: dict[str, Any], slug: str) -> Context:
    """The seed's council, session and act under ``slug``, convened, opened and adopted."""
    ctx = Context(store=open_store(db_url), actor="clerk")
    council, sitting_facts, act = facts["council"], facts["session"], facts["act"]
    add_council(ctx, slug, name="Ordre des étapes", kind=council["kind"], population=council["population"])
    add_members(ctx, slug, [council["mayor"]], mayor=True)
    add_members(ctx, slug, [m for m in council["members"] if m != council["mayor"]])
    held = datetime.fromisoformat(str(sitting_facts["held_at"]))
    sitting = add_sitting(ctx, slug, held_at=held, place=sitting_facts["place"])
    created = add_act(ctx, sitting.id, subject=act["subject"], number=str(act["number"]), nature=act["nature"])
    convene_sitting(ctx, sitting.id, on=date.fromisoformat(str(sitting_facts["convocation_sent_on"])))
    open_sitting(
        ctx,
        sitting.id,
        present=sitting_facts["present"],
        proxies=list(sitting_facts["proxies"].items()),
        secretary=sitting_facts["secretary"],
        president=sitting_facts["president"],
    )
    vote = act["vote"]
    vote_act(ctx, created.id, for_=vote["for"], against=vote["against"], abstain=vote["abstain"])
    return ctx
