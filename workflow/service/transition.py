"""One step of the law: the facts a rule reads, then :func:`advance` moves one act (engine, then the
act's row and its event, in the same transaction), or :func:`check_step` checks a step that is not
a transition of an act (an act's number, a proxy, the list of deliberations, the minutes).

The act's row is updated only if its ``version`` is still the one read, else
:class:`ConcurrentChange` (why optimistic: see :func:`workflow.service.chain.retrying`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import bindparam, exists, or_
from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.dates import legal_today
from workflow.engine import Outcome, engine_for
from workflow.errors import ConcurrentChange
from workflow.facts import Facts
from workflow.history import (
    ACT_COLUMNS,
    COUNCIL_EDIT,
    SITTING_COLUMNS,
    ActState,
    MemberState,
    SittingState,
    Step,
    evolve_act,
    executory_date,
)
from workflow.service.chain import fold_and_append, remember_head
from workflow.service.classification import TRIGGER as CLASSIFICATION
from workflow.service.context import Context
from workflow.service.reading import count_in_office, get_act, get_council, population_on
from workflow.service.record import council_measures, second_convocation_of
from workflow.store.models import Act, Council, Event, Member, Sitting
from workflow.verdict import Verdict


def check_step(
    session: Session, ctx: Context, council: Council, step: str, facts: Facts, *, subject_id: str
) -> list[Verdict]:
    """Check a step of the council's definition that is not a transition of an act (``steps:``):
    every verdict, to record in the step's event, or :class:`RuleRefused`."""
    return engine_for(council.definition).check_step(
        step,
        facts,
        population=council_measures(session, council, facts.legal_date),
        subject_id=subject_id,
        overrides=ctx.overrides,
    )


@dataclass(frozen=True)
class Loaded:
    """What a transition of one act reads, in two statements (:func:`load_for_transition`): the act,
    its séance and council rows, the few events the rules look at, and the council's members."""

    act: ActState
    sitting: SittingState
    council_id: str
    definition: str
    population: int | None
    department: str | None
    siren: str | None
    previous_date: date | None  # the legal date of the act's last dated event
    second_convocation: bool  # its séance's ``session_add`` says so
    first_convocation_irregular: bool  # …and that the first meeting's convocation was overridden
    previous_vote: Mapping[str, Any] | None  # the facts of the séance's last vote (or round of an election)
    classification: Mapping[str, Any] | None  # the council's last classification loaded
    population_edited: bool  # a ``council edit`` changed the population: read it as of the day
    members: tuple[MemberState, ...]  # every member, in the order they were added

    def members_in_office(self, on: date | None = None) -> list[MemberState]:
        """In office on ``on`` (installed by then and not gone), else in office now."""
        if on is None:
            return [m for m in self.members if m.in_office]
        return [m for m in self.members if m.in_office_on(on)]


def _read_statement(classification: bool) -> Any:
    """act ⋈ séance ⋈ council, with the events the rules read as scalar subqueries (each on an index:
    ``(act_id, seq)``, ``session_id``, ``(council_id, seq)``)."""
    act, sitting, council, event = (m.__table__ for m in (Act, Sitting, Council, Event))  # type: ignore[union-attr]

    def last(column: Any, *where: Any) -> Any:
        return select(column).where(*where).order_by(event.c.seq.desc()).limit(1).scalar_subquery()

    columns = [
        *(act.c[name].label("a_" + name) for name in ACT_COLUMNS),
        *(sitting.c[name].label("s_" + name) for name in SITTING_COLUMNS),
        council.c.definition,
        council.c.population,
        council.c.department,
        council.c.siren,
        last(event.c.legal_date, event.c.act_id == act.c.id, event.c.legal_date.is_not(None)).label("previous_date"),
        last(event.c.facts, event.c.session_id == act.c.session_id, event.c.trigger == "session_add").label("added"),
        last(
            event.c.facts,
            event.c.session_id == act.c.session_id,
            or_(event.c.trigger == "vote", event.c.trigger == "elect"),
        ).label("voted"),
        exists().where(event.c.council_id == council.c.id, event.c.trigger == COUNCIL_EDIT).label("population_edited"),
        last(event.c.seq, event.c.council_id == council.c.id).label("head_seq"),
        last(event.c.hash, event.c.council_id == council.c.id).label("head_hash"),
    ]
    if classification:
        columns.append(
            last(event.c.facts, event.c.council_id == council.c.id, event.c.trigger == CLASSIFICATION).label(
                "classification"
            )
        )
    return (
        select(*columns)
        .select_from(
            act.join(sitting, sitting.c.id == act.c.session_id).join(council, council.c.id == act.c.council_id)
        )
        .where(act.c.id == bindparam("act_id"))
    )


_READS: dict[bool, Any] = {}
_MEMBER = Member.__table__  # type: ignore[attr-defined]
_MEMBERS = (
    select(*(_MEMBER.c[name] for name in MemberState.__dataclass_fields__))
    .where(_MEMBER.c.council_id == bindparam("council_id"))
    .order_by(_MEMBER.c.id)
)


def load_for_transition(session: Session, act_id: str, *, classification: bool = False) -> Loaded:
    """Everything a transition of ``act_id`` reads, in two statements on the transaction's connection
    (no ORM object): the act ⋈ séance ⋈ council row with the events the rules look at, and the
    council's members. ``classification``: the council's last classification too (a transmission).

    On SQLite the chain's head comes in the same statement (``BEGIN IMMEDIATE`` holds the write
    lock already); on PostgreSQL it is read after the chain lock, by the append."""
    statement = _READS.get(classification)
    if statement is None:
        statement = _READS[classification] = _read_statement(classification)
    connection = session.connection()
    row = connection.execute(statement, {"act_id": act_id}).first()
    if row is None:
        get_act(session, act_id)  # NotFound, naming the shape of an id
        raise AssertionError(act_id)  # an act without its séance or council: the foreign keys forbid it
    values = row._mapping
    if connection.dialect.name == "sqlite" and values["head_seq"] is not None:
        remember_head(session, values["a_council_id"], values["head_seq"], values["head_hash"])
    members = connection.execute(_MEMBERS, {"council_id": values["a_council_id"]})
    return Loaded(
        act=ActState(**{name: values["a_" + name] for name in ACT_COLUMNS}),
        sitting=SittingState(**{name: values["s_" + name] for name in SITTING_COLUMNS}),
        council_id=values["a_council_id"],
        definition=values["definition"],
        population=values["population"],
        department=values["department"],
        siren=values["siren"],
        previous_date=values["previous_date"],
        second_convocation=bool((values["added"] or {}).get("second_convocation", False)),
        first_convocation_irregular=bool((values["added"] or {}).get("first_convocation_irregular", False)),
        previous_vote=values["voted"],
        classification=values["classification"] if classification else None,
        population_edited=bool(values["population_edited"]),
        members=tuple(MemberState(*m) for m in members),
    )


def measures_of(session: Session, loaded: Loaded, on: date | None) -> dict[str, int | None]:
    """The council's measures as :func:`council_measures` gives them, from what was loaded (the
    events of the council are read only when a ``council edit`` changed them, or for an EPCI)."""
    if loaded.population_edited or definitions.get(loaded.definition).uses_measure("largest_commune_population"):
        return council_measures(session, get_council(session, loaded.council_id), on)
    return {"population": loaded.population, "largest_commune_population": None}


def loaded_facts(session: Session, ctx: Context, loaded: Loaded, trigger: str, legal_date: date) -> Facts:
    """The facts every transition of the loaded act reads (as :func:`base_facts`)."""
    held_on = loaded.sitting.held_at.date()
    return Facts(
        trigger=trigger,
        legal_date=legal_date,
        recorded_on=legal_today(ctx.now()),
        previous_date=loaded.previous_date,
        session_date=held_on,
        convocation_date=loaded.sitting.convened_on,
        population=measures_of(session, loaded, legal_date)["population"],
        members_in_office=len(loaded.members_in_office(held_on)),
        posted_on=loaded.act.posted_on,
        filed_on=loaded.act.filed_on,
        urgent=loaded.sitting.urgent,
        second_convocation=loaded.second_convocation,
        extra={
            "subject_to_transmission": loaded.act.subject_to_transmission,
            **(
                {"first_convocation_irregular": True}
                if loaded.second_convocation and loaded.first_convocation_irregular
                else {}
            ),
        },
    )


def advance_loaded(session: Session, ctx: Context, loaded: Loaded, trigger: str, facts: Facts) -> ActState:
    """:func:`advance` for a loaded act: the engine judges the trigger, the act's row becomes
    what the fold gives and the event is appended; the act as written."""
    measures = measures_of(session, loaded, facts.legal_date)
    return _judge_and_record(session, ctx, loaded.act, loaded.definition, measures, trigger, facts)


def base_facts(
    session: Session,
    ctx: Context,
    act: Act,
    sitting: Sitting,
    trigger: str,
    legal_date: date,
    record: SittingState | None = None,
) -> Facts:
    """The facts every transition of ``act`` reads: dates, members in office, the session's
    convocation; ``record`` (the session's, when already read) saves reading it again."""
    council = get_council(session, act.council_id)
    if record is not None:
        second, irregular_first = record.second_convocation, record.first_convocation_irregular
    else:
        second, irregular_first = second_convocation_of(session, sitting)
    last = session.exec(
        select(col(Event.legal_date))
        .where(Event.act_id == act.id, Event.legal_date != None)  # noqa: E711
        .order_by(col(Event.seq).desc())
        .limit(1)
    ).first()
    return Facts(
        trigger=trigger,
        legal_date=legal_date,
        recorded_on=legal_today(ctx.now()),
        previous_date=last,
        session_date=sitting.held_at.date(),
        convocation_date=sitting.convened_on,
        population=population_on(session, council, legal_date),
        members_in_office=count_in_office(session, council.id, sitting.held_at.date()),
        posted_on=act.posted_on,
        filed_on=act.filed_on,
        urgent=sitting.urgent,
        second_convocation=second,
        quorum_failed_on=record.quorum_failed_on if record else None,
        extra={
            "subject_to_transmission": act.subject_to_transmission,
            **({"first_convocation_irregular": True} if second and irregular_first else {}),
        },
    )


def advance(
    session: Session, ctx: Context, act: Act, trigger: str, facts: Facts, *, moves_to: str | None = None
) -> Act:
    """Apply one trigger to one act: the engine judges it, then the act's row becomes what the
    fold gives for the new event, and the event is appended, in the same transaction.
    ``moves_to`` is the séance the item moves to (reconvened, postponed to another séance)."""
    council = get_council(session, act.council_id)
    measures = council_measures(session, council, facts.legal_date)
    _judge_and_record(session, ctx, act, council.definition, measures, trigger, facts, moves_to=moves_to)
    return act


def _judge_and_record(
    session: Session,
    ctx: Context,
    act: Act | ActState,
    definition: str,
    measures: dict[str, int | None],
    trigger: str,
    facts: Facts,
    *,
    moves_to: str | None = None,
) -> ActState:
    outcome: Outcome = engine_for(definition).apply(
        act.state,
        trigger,
        facts,
        population=measures["population"],
        subject_id=act.id,
        overrides=ctx.overrides,
        measures=measures,
    )
    return record_act_event(
        session,
        ctx,
        act,
        trigger=trigger,
        session_id=moves_to or act.session_id,
        from_state=outcome.from_state,
        to_state=outcome.to_state,
        legal_date=facts.legal_date,
        facts=facts.to_record(),
        verdicts=[v.to_dict() for v in outcome.verdicts],
    )


def record_act_event(
    session: Session,
    ctx: Context,
    act: Act | ActState,
    *,
    trigger: str,
    session_id: str,
    from_state: str | None,
    to_state: str | None,
    legal_date: date | None,
    facts: dict[str, Any],
    verdicts: list[dict[str, Any]],
) -> ActState:
    """Append an event of ``act`` and write its row as :func:`workflow.history.evolve_act` makes
    it (version-checked): the row is the fold's result, never computed beside it. The executory
    date the fold reaches is recorded in the event's facts, for the reader of the log (the event
    appended, executory date included, is the event folded). ``act``: its ORM object (left as
    written) or its row as the fold's value; the act as written."""
    step = Step(
        council_id=act.council_id,
        trigger=trigger,
        recorded_at=ctx.now(),
        act_id=act.id,
        session_id=session_id,
        from_state=from_state,
        to_state=to_state,
        legal_date=legal_date,
        facts=facts,
        verdicts=verdicts,
    )
    before = act if isinstance(act, ActState) else act_state(act)
    reached = executory_date(evolve_act(before, step)) if to_state == "executory" else None
    if reached is not None and before.executory_on is None:
        step = replace(step, facts={**facts, "executory_on": reached.isoformat()})
    after, _ = fold_and_append(
        session,
        ctx,
        Act.__table__,  # type: ignore[attr-defined]
        before,
        step,
        evolve_act,
        refused=ConcurrentChange(
            f"{act.id} was changed by someone else meanwhile; nothing was written. Look at it "
            f"again (delib act show {act.id}).",
            f"{act.id} a été modifié par quelqu'un d'autre entre-temps ; rien n'a été enregistré. "
            f"Consultez-le à nouveau (delib act show {act.id}).",
        ),
        row=None if isinstance(act, ActState) else act,
    )
    return after


def act_state(act: Act) -> ActState:
    """The act's row as the fold's value (what the next event evolves)."""
    return ActState(**{name: getattr(act, name) for name in ACT_COLUMNS})
