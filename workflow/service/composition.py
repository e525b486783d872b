"""The council over time: a member leaves office (resignation, death...), the council's name,
population, SIREN, SIRET or department change. Each change is an event with its legal date; the
rows are what the fold (:mod:`workflow.history`) gives for it, and the rules read the value in
force on a step's legal date (:func:`workflow.service.reading.council_on`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.errors import InvalidInput
from workflow.history import (
    COUNCIL_EDIT,
    LEAVE_REASONS,
    MEMBER_LEAVE,
    CouncilState,
    Step,
    evolve_council,
    member_left,
)
from workflow.identifiers import check_department, check_siren
from workflow.names import match_name
from workflow.service.chain import append_event, new_step, retrying
from workflow.service.context import Context
from workflow.service.reading import get_council, member_state, members_in_office
from workflow.store.models import Council, Member

REASONS_FR = {"resignation": "démission", "death": "décès", "other": "autre"}


def leave_member(ctx: Context, council_id: str, name: str, *, on: date, reason: str) -> Member:
    """Record that a member leaves office on ``on`` (the event's legal date): from that day the
    member no longer counts among those in office (*en exercice*), the base of the quorum
    (L2121-17). A resignation is final once the mayor receives it (L2121-4)."""
    if reason not in LEAVE_REASONS:
        raise InvalidInput(
            f"--reason must be one of {', '.join(LEAVE_REASONS)} (not '{reason}').",
            f"--reason doit valoir {', '.join(LEAVE_REASONS)} (et non « {reason} »).",
        )

    def work(session: Session) -> Member:
        get_council(session, council_id)
        current = {m.name: m for m in members_in_office(session, council_id)}
        member = current[match_name(name, list(current))]
        if member.since is not None and on < member.since:
            raise InvalidInput(
                f"{member.name} was installed on {member.since.isoformat()}: they cannot leave office "
                f"on {on.isoformat()}, before.",
                f"{member.name} a été installé(e) le {member.since.isoformat()} : il ou elle ne peut quitter "
                f"ses fonctions le {on.isoformat()}, avant.",
            )
        facts = {"name": member.name, "name_key": member.name_key, "reason": reason}
        now = ctx.now()
        after = member_left(member_state(member), Step(council_id, MEMBER_LEAVE, now, legal_date=on, facts=facts))
        session.execute(update(Member).where(col(Member.id) == member.id).values(**after.columns()))
        append_event(
            session, ctx, new_step(ctx, council_id, trigger=MEMBER_LEAVE, legal_date=on, facts=facts, recorded_at=now)
        )
        session.refresh(member)
        return member

    return retrying(ctx, work)


def edit_council(
    ctx: Context,
    council_id: str,
    *,
    on: date | None = None,
    name: str | None = None,
    population: int | None = None,
    siren: str | None = None,
    siret: str | None = None,
    department: str | None = None,
) -> Council:
    """Change the council's name, population, SIREN, SIRET or department, in force from ``on``
    (the event's legal date; today in France when not given). A population that would call for
    another workflow definition than the council's is refused (the definition is chosen once, at
    ``council add``); a SIRET must be an establishment of the council's SIREN (SCDL schema)."""
    from workflow.formats.scdl import check_siret

    changes: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise InvalidInput("--name cannot be empty.", "--name ne peut être vide.")
        changes["name"] = " ".join(name.split())
    if population is not None:
        if population < 0:
            raise InvalidInput("--population cannot be negative.", "--population ne peut être négatif.")
        changes["population"] = population
    if siren is not None:
        changes["siren"] = check_siren(siren)
    if department is not None:
        changes["department"] = check_department(department)
    if not changes and siret is None:
        raise InvalidInput(
            "Nothing to change: give --name, --population, --siren, --siret or --department.",
            "Rien à modifier : donnez --name, --population, --siren, --siret ou --department.",
        )
    day = on or legal_today(ctx.now())

    def work(session: Session) -> Council:
        council = get_council(session, council_id)
        if siret is not None:
            owner = Council(**{**council.model_dump(), "siren": changes.get("siren", council.siren)})
            changes["siret"] = check_siret(siret, owner)
        if "population" in changes:
            _check_definition(council, changes["population"])
        before = _state(session, council)
        facts = {"changes": changes}
        now = ctx.now()
        after = evolve_council(before, Step(council_id, COUNCIL_EDIT, now, legal_date=day, facts=facts))
        values = {k: v for k, v in after.columns().items() if k != "created_at" and getattr(council, k) != v}
        if values:
            session.execute(update(Council).where(col(Council.id) == council_id).values(**values))
        append_event(
            session, ctx, new_step(ctx, council_id, trigger=COUNCIL_EDIT, legal_date=day, facts=facts, recorded_at=now)
        )
        session.info.pop("delib.council_events", None)
        session.info.pop("delib.councils", None)
        session.refresh(council)
        return council

    return retrying(ctx, work)


def _state(session: Session, council: Council) -> CouncilState:
    """The council as its whole log makes it (its row, with the date of each edited value)."""
    from workflow.history import fold
    from workflow.store.models import Event

    events = session.exec(
        select(Event)
        .where(Event.council_id == council.id, col(Event.trigger).in_(("council_add", COUNCIL_EDIT)))
        .order_by(col(Event.seq))
    )
    state = fold(events, {}).councils.get(council.id)
    if state is None:  # a council whose creation is not in the log (verify names it)
        return CouncilState(council.id, council.name, council.kind, council.definition, council.created_at)
    return state


def _check_definition(council: Council, population: int) -> None:
    chosen = definitions.for_council(council.kind, population)
    if chosen.name != council.definition:
        raise InvalidInput(
            f"A population of {population} calls for the definition {chosen.name}, not {council.definition} "
            f"that {council.id} follows: the definition is chosen when the council is added.",
            f"Une population de {population} relève de la définition {chosen.name}, et non de "
            f"{council.definition} que suit {council.id} : la définition est choisie à l'ajout de l'assemblée.",
        )
