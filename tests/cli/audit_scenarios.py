"""Building acts through the service, for audit tests that need an order the demo does not take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from workflow import service
from workflow.service import Context
from workflow.store.database import open_store


def carry_until_vote(db_url: str, facts: dict[str, Any], slug: str) -> Context:
    """The seed's council, session and act under ``slug``, convened, opened and adopted."""
    ctx = Context(store=open_store(db_url), actor="clerk")
    council, sitting_facts, act = facts["council"], facts["session"], facts["act"]
    service.add_council(ctx, slug, name="Ordre des étapes", kind=council["kind"], population=council["population"])
    service.add_members(ctx, slug, [council["mayor"]], mayor=True)
    service.add_members(ctx, slug, [m for m in council["members"] if m != council["mayor"]])
    held = datetime.fromisoformat(str(sitting_facts["held_at"]))
    sitting = service.add_session(ctx, slug, held_at=held, place=sitting_facts["place"])
    created = service.add_act(ctx, sitting.id, subject=act["subject"], number=str(act["number"]), nature=act["nature"])
    service.convene_session(ctx, sitting.id, on=date.fromisoformat(str(sitting_facts["convocation_sent_on"])))
    service.open_session(
        ctx,
        sitting.id,
        present=sitting_facts["present"],
        proxies=list(sitting_facts["proxies"].items()),
        secretary=sitting_facts["secretary"],
        president=sitting_facts["president"],
    )
    vote = act["vote"]
    service.vote_act(ctx, created.id, for_=vote["for"], against=vote["against"], abstain=vote["abstain"])
    return ctx
