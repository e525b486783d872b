"""How the CLI shows a council, a session, an act and an event (the ``--json`` keys included), and
the status of every act with the next steps its definition allows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from workflow.store.history import format_recorded_at

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.history import ActState, SittingState
    from workflow.service.context import Context
    from workflow.store.models import Act, Council, Event, Member, Sitting
    from workflow.store.reader import Row

# The database stack (sqlmodel, the models, ``reading``) is imported inside the functions that use
# it: the read commands served by ``ctx.reader`` (``act show``, ``status``) never import it.


def act_view(act: Act | ActState | Row) -> dict[str, Any]:
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
        "kind": act.kind,
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
        "corrected_on": iso(act.corrected_on),
        "corrects": act.corrects,
        "text_sha256": act.text_sha256,
        "annexes": list(act.annexes or []),
        "election": dict(act.election) if act.election else None,
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
    from workflow.service.reading import get_sitting, sitting_acts
    from workflow.service.record import sitting_state

    with ctx.store.session() as session:
        sitting = get_sitting(session, sitting_id)
        return sitting_view(sitting, sitting_acts(session, sitting_id), sitting_state(session, sitting))


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
    return list(status_stream(ctx, council_id))


def status_stream(ctx: Context, council_id: str | None = None, *, brief: bool = False) -> Iterator[dict[str, Any]]:
    """:func:`status`, one act at a time as the rows come (constant memory, whatever the size of
    the log). ``brief``: only what a line of ``delib status`` shows (id, session, subject, state,
    irregular, next), without decoding the rest of the row. An unknown council is refused before
    the first act."""
    nexts = _next_steps()
    if ctx.reader is not None:
        reader = ctx.reader
        if council_id and not reader.has_council(council_id):
            from workflow.errors import unknown_council

            raise unknown_council(council_id)
        if brief:
            for act_id, session_id, subject, state, irregular, name, kind in reader.act_lines(council_id):
                yield {
                    "id": act_id,
                    "session": session_id,
                    "subject": subject,
                    "state": state,
                    "irregular": irregular,
                    "next": nexts(name, state, kind),
                }
            return
        for row, name in reader.acts(council_id):
            view = act_view(row)
            view["next"] = nexts(name, row.state, row.kind)
            yield view
        return
    from sqlmodel import col, select

    from workflow.service.reading import get_council
    from workflow.store.models import Act, Council

    with ctx.store.session() as session:
        query = select(Act, Council.definition).join(Council, col(Council.id) == col(Act.council_id))
        if council_id:
            get_council(session, council_id)
            query = query.where(Act.council_id == council_id)
        query = query.order_by(Act.council_id, Act.session_id, col(Act.rank)).execution_options(yield_per=500)
        for act, name in session.exec(query):
            view = act_view(act)
            view["next"] = nexts(name, act.state, act.kind)
            yield view
            session.expunge(act)


def _next_steps() -> Any:
    """``nexts(definition, state, kind)``: the triggers the definition allows from the state (from
    the cached table of ``workflow.next_steps``; a definition or state it lacks is asked directly),
    less ``vote`` for an appointment (it is elected, round by round) and ``elect`` for the rest."""
    from workflow.next_steps import next_steps

    table = next_steps()

    def nexts(name: str, state: str, kind: str | None = None) -> list[str]:
        found = table.get(name, {}).get(state)
        if found is None:
            from workflow import definition as definitions

            found = definitions.get(name).triggers_from(state)
        other = "vote" if kind in ("election", "designation") else "elect"
        return [trigger for trigger in found if trigger != other]

    return nexts


def iso(value: date | None) -> str | None:
    """A date in ISO form, or None."""
    return value.isoformat() if value else None


# ---------------------------------------------------------------- read use cases (the CLI opens no session)


def act_overview(
    ctx: Context, act_id: str, *, as_of: date | None = None, basis: str = "legal", transmission: bool = False
) -> dict[str, Any]:
    """An act's view as it stands, or as it stood at the end of ``as_of`` (replayed by the fold);
    ``transmission``: with its @CTES identifier (None unless its council has a department and a SIREN)."""
    with ctx.store.session() as session:
        return _act_overview(session, act_id, as_of=as_of, basis=basis, transmission=transmission)


def _act_overview(
    session: Session, act_id: str, *, as_of: date | None = None, basis: str = "legal", transmission: bool = False
) -> dict[str, Any]:
    from workflow.service.publication import transmission_id_of
    from workflow.service.reading import get_act

    if as_of is not None:
        from workflow.audit.replay import act_as_of

        return {**act_view(act_as_of(session, act_id, as_of, basis)), "as_of": as_of.isoformat(), "basis": basis}
    act = get_act(session, act_id)
    view = act_view(act)
    if transmission:
        view["transmission_id"] = transmission_id_of(session, act)
    return view


def act_history(ctx: Context, act_id: str) -> list[dict[str, Any]]:
    """Every event of an act, oldest first (an unknown act is refused)."""
    from workflow.service.reading import act_events, get_act

    with ctx.store.session() as session:
        get_act(session, act_id)
        return [event_view(e) for e in act_events(session, act_id)]


def council_exists(ctx: Context, council_id: str) -> bool:
    from workflow.store.models import Council

    with ctx.store.session() as session:
        return session.get(Council, council_id) is not None


def require_council(ctx: Context, council_id: str) -> None:
    """Refuse an unknown council (NotFound)."""
    from workflow.service.reading import get_council

    with ctx.store.session() as session:
        get_council(session, council_id)


def councils_overview(ctx: Context) -> list[dict[str, Any]]:
    """Every council with its members in office."""
    from sqlmodel import col, select

    from workflow.service.reading import members_in_office
    from workflow.store.models import Council

    with ctx.store.session() as session:
        return [
            council_view(c, members_in_office(session, c.id))
            for c in session.exec(select(Council).order_by(col(Council.id)))
        ]


def council_overview(ctx: Context, council_id: str) -> dict[str, Any]:
    """A council with its members in office and its measures."""
    from workflow.service.reading import get_council, members_in_office
    from workflow.service.record import council_measures

    with ctx.store.session() as session:
        council = get_council(session, council_id)
        return council_view(council, members_in_office(session, council_id), council_measures(session, council))


def council_proxies(ctx: Context, council_id: str) -> list[dict[str, Any]]:
    """The proxies recorded ahead for a council's sessions, with the sessions each covers."""
    from workflow.service.proxies import recorded_proxies, sessions_covered
    from workflow.service.reading import get_council

    with ctx.store.session() as session:
        get_council(session, council_id)
        return [
            {**p, "sessions_covered": sessions_covered(session, council_id, p)}
            for p in recorded_proxies(session, council_id)
        ]


def sitting_items(ctx: Context, sitting_id: str) -> tuple[str, list[tuple[str, str]]]:
    """A séance's council definition and its items with their states (for a step taken item by item)."""
    from workflow.service.reading import get_council, get_sitting, sitting_acts

    with ctx.store.session() as session:
        sitting = get_sitting(session, sitting_id)
        council = get_council(session, sitting.council_id)
        return council.definition, [(a.id, a.state) for a in sitting_acts(session, sitting_id)]


def live_snapshot(ctx: Context, sitting_id: str) -> dict[str, Any]:
    """What the live sitting shows: the items, the members in office, the attendance of the last
    item voted (else of the opening)."""
    from workflow.service.reading import get_sitting, members_in_office, sitting_acts

    with ctx.store.session() as session:
        sitting = get_sitting(session, sitting_id)
        acts = sitting_acts(session, sitting_id)
        voted = [a for a in acts if a.attendance]
        return {
            "items": [{"id": a.id, "subject": a.subject, "state": a.state, "rank": a.rank} for a in acts],
            "members": [m.name for m in members_in_office(session, sitting.council_id)],
            "attendance": dict((voted[-1].attendance if voted else sitting.attendance) or {}),
        }


def sittings_overview(ctx: Context, council_id: str) -> list[dict[str, Any]]:
    """A council's séances, oldest first, each with the number of items on its agenda."""
    from workflow.service.reading import council_sittings

    with ctx.store.session() as session:
        return [{**sitting_view(sitting), "items": count} for sitting, count in council_sittings(session, council_id)]


def act_overview_with_links(
    ctx: Context, act_id: str, *, as_of: date | None = None, basis: str = "legal"
) -> dict[str, Any]:
    """:func:`act_overview` with the délibérations rectificatives that correct the act (one
    database session; on the light path, two ``sqlite3`` queries)."""
    if ctx.reader is not None and as_of is None:
        row = ctx.reader.act(act_id)
        if row is None:
            from workflow.errors import unknown_act

            raise unknown_act(act_id)
        view = act_view(row)
        view["corrected_by"] = ctx.reader.rectified_by(act_id)
        return view
    from workflow.service.corrections import rectified_by

    with ctx.store.session() as session:
        view = _act_overview(session, act_id, as_of=as_of, basis=basis)
        view["corrected_by"] = rectified_by(session, act_id)
    return view


def members_on(ctx: Context, council_id: str, day: date) -> list[Any]:
    """The members in office on ``day`` (an unknown council is refused)."""
    from workflow.service.reading import get_council, members_in_office

    with ctx.store.session() as session:
        get_council(session, council_id)
        members = members_in_office(session, council_id, day)
        session.expunge_all()
        return list(members)
