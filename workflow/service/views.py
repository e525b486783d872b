"""How the CLI shows a council, a session, an act and an event (the ``--json`` keys included), and
the status of every act with the next steps its definition allows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from workflow.service.context import Context
from workflow.service.reading import get_council
from workflow.store.history import format_recorded_at
from workflow.store.models import Act, Council, Event, Member, Sitting

if TYPE_CHECKING:
    from workflow.history import ActState, SittingState


def act_view(act: Act | ActState) -> dict[str, Any]:
    """The act as the CLI shows it (``--json`` keys included)."""
    return {
        "id": act.id,
        "council": act.council_id,
        "session": act.session_id,
        "number": act.number,
        "rank": act.rank,
        "subject": act.subject,
        "matiere": act.matiere,
        "nature": act.nature,
        "state": act.state,
        "vote": act.vote,
        "attendance": act.attendance,
        "voted_on": iso(act.voted_on),
        "posted_on": iso(act.posted_on),
        "filed_on": iso(act.filed_on),
        "ack": act.ack,
        "executory_on": iso(act.executory_on),
        "irregular": act.irregular,
        "version": act.version,
    }


def event_view(event: Event) -> dict[str, Any]:
    """An event of the history as the CLI shows it (hashes included, for auditors)."""
    return {
        "id": event.id,
        "seq": event.seq,
        "council": event.council_id,
        "act": event.act_id,
        "session": event.session_id,
        "trigger": event.trigger,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "legal_date": iso(event.legal_date),
        "recorded_at": format_recorded_at(event.recorded_at),
        "actor": event.actor,
        "facts": event.facts,
        "verdicts": event.verdicts,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def sitting_view(sitting: Sitting, acts: Sequence[Act] = (), record: SittingState | None = None) -> dict[str, Any]:
    """The session as the CLI shows it; with its ``record`` (read from its events) when given."""
    view: dict[str, Any] = {
        "id": sitting.id,
        "council": sitting.council_id,
        "held_at": sitting.held_at.isoformat(timespec="minutes"),
        "place": sitting.place,
        "status": sitting.status,
        "convened_on": iso(sitting.convened_on),
        "urgent": sitting.urgent,
        "attendance": sitting.attendance,
        "acts": [a.id for a in acts],
        "items": [
            {
                "id": a.id,
                "number": a.number,
                "subject": a.subject,
                "state": a.state,
                "irregular": a.irregular,
            }
            for a in acts
        ],
    }
    if record is not None:
        view.update(record.to_dict())
        view["irregular"] = record.irregular or any(a.irregular for a in acts)
    return view


def sitting_overview(ctx: Context, sitting_id: str) -> dict[str, Any]:
    """A séance's view as it stands: its row, its agenda and what its own events record."""
    from workflow.service.reading import get_sitting, session_acts
    from workflow.service.record import sitting_state

    with ctx.store.session() as session:
        sitting = get_sitting(session, sitting_id)
        return sitting_view(sitting, session_acts(session, sitting_id), sitting_state(session, sitting))


def council_view(
    council: Council,
    members: Sequence[Member] = (),
    measures: Mapping[str, int | None] | None = None,
) -> dict[str, Any]:
    """The council as the CLI shows it, with its members in office and its measures when given."""
    return {
        "id": council.id,
        "name": council.name,
        "kind": council.kind,
        "population": council.population,
        "largest_commune_population": (measures or {}).get("largest_commune_population"),
        "siren": council.siren,
        "department": council.department,
        "definition": council.definition,
        "members_in_office": len(members),
        "members": [{"name": m.name, "mayor": m.is_mayor} for m in members],
    }


def status(ctx: Context, council_id: str | None = None) -> list[dict[str, Any]]:
    """Every act with its state and the next steps its definition allows."""
    from workflow import definition as definitions  # only here: ``act show`` does not need it

    with ctx.store.session() as session:
        query = select(Act, Council.definition).join(Council, col(Council.id) == col(Act.council_id))
        if council_id:
            get_council(session, council_id)
            query = query.where(Act.council_id == council_id)
        rows = session.exec(query.order_by(Act.council_id, Act.session_id, col(Act.rank))).all()
        result = []
        for act, definition_name in rows:
            definition = definitions.get(definition_name)
            view = act_view(act)
            view["next"] = definition.triggers_from(act.state)
            result.append(view)
        return result


def iso(value: date | None) -> str | None:
    """A date in ISO form, or None."""
    return value.isoformat() if value else None
