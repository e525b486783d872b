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
    publication: str | None = None,
    by: str | None = None,
) -> Council:
    """Change the council's name, population, SIREN, SIRET or department, in force from ``on``
    (the event's legal date; today in France when not given). ``publication`` (posting, paper or
    electronic) with ``by``: a commune under 3,500 chooses its mode of publication by a
    deliberation (CGCT art. L2131-1 IV), in force from the day that deliberation is executory
    (the event's legal date; ``on`` is not given with it). A population that would call for
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
    _check_publication(publication, by, on)
    if not changes and siret is None and publication is None:
        raise InvalidInput(
            "Nothing to change: give --name, --population, --siren, --siret, --department or --publication.",
            "Rien à modifier : donnez --name, --population, --siren, --siret, --department ou --publication.",
        )

    def work(session: Session) -> Council:
        council = get_council(session, council_id)
        day = on or legal_today(ctx.now())
        if publication is not None and by is not None:
            day = _publication_choice(session, council, publication, by)
            changes["publication"] = {"mode": publication, "by": by}
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


PUBLICATION_MODES = ("posting", "paper", "electronic")


def _check_publication(publication: str | None, by: str | None, on: date | None) -> None:
    """``--publication MODE --by ACT`` go together, without ``--on`` (the act gives the date)."""
    if publication is None and by is None:
        return
    if publication is None or by is None:
        raise InvalidInput(
            "--publication MODE and --by ACT go together: the mode is chosen by a deliberation.",
            "--publication MODE et --by ACTE vont ensemble : le mode est choisi par une délibération.",
        )
    if publication not in PUBLICATION_MODES:
        raise InvalidInput(
            f"--publication takes posting, paper or electronic, not '{publication}'.",
            f"--publication prend posting, paper ou electronic, pas « {publication} ».",
        )
    if on is not None:
        raise InvalidInput(
            "--publication is in force from the day its deliberation (--by) is executory: give no --on.",
            "--publication s'applique du jour où sa délibération (--by) est exécutoire : ne donnez pas --on.",
        )


def _publication_choice(session: Session, council: Council, mode: str, act_id: str) -> date:
    """The day the deliberation ``act_id`` choosing ``mode`` takes effect: its executory date. It
    must be the council's, executory, and the council one that may choose (its definition's
    ``publication`` tier has a default mode, L2131-1 IV)."""
    from workflow.service.reading import get_act
    from workflow.service.record import council_measures

    act = get_act(session, act_id)
    if act.council_id != council.id or act.executory_on is None:
        raise InvalidInput(
            f"{act_id} is not an executory deliberation of {council.id}: the mode of publication is chosen by "
            "one (record its publication and transmission first).",
            f"{act_id} n'est pas une délibération exécutoire de {council.id} : le mode de publication est choisi "
            "par l'une d'elles (enregistrez d'abord sa publication et sa transmission).",
        )
    law = definitions.get(council.definition).params_of(
        "publication_mode", council_measures(session, council, act.executory_on)
    )
    if law.get("default") is None:
        modes = ", ".join(law.get("modes", ()))
        raise InvalidInput(
            f"{council.id} publishes its acts by {modes} ({law.get('article')}): it has no mode to choose.",
            f"{council.id} publie ses actes par {modes} ({law.get('article')}) : elle n'a pas de mode à choisir.",
        )
    return act.executory_on


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
