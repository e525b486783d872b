"""The clerk's use cases: each reads the facts from the store, asks the engine, and persists.

Every transition happens in one database transaction: the act's row is updated only if its
``version`` is still the one read (else :class:`ConcurrentChange`), and its event is appended to the
council's hash chain in the same transaction. When two appends race for the same place in the
chain, the loser's whole transaction is rolled back and run again from the start (``_retrying``).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from workflow import definition as definitions
from workflow.ctes import transmission_id
from workflow.dates import legal_today, utc_now
from workflow.deadlines import ActSnapshot, DueItem, Request, SessionSnapshot, collect
from workflow.engine import Outcome, engine_for
from workflow.errors import ConcurrentChange, InvalidInput, InvalidTransition, NotFound, RuleRefused
from workflow.facts import Attendance, Facts, VoteCount
from workflow.identifiers import (
    act_id as make_act_id,
)
from workflow.identifiers import (
    check_act_number,
    check_department,
    check_siren,
    check_slug,
    default_act_number,
)
from workflow.identifiers import (
    session_id as make_session_id,
)
from workflow.names import match_name, name_key
from workflow.rules.register import number_sequence
from workflow.store.database import Store, lock_chain, lost_race, pause_before_retry
from workflow.store.history import GENESIS, canonical_content, event_hash
from workflow.store.models import Act, Council, Event, Member, Sitting
from workflow.verdict import Verdict

T = TypeVar("T")


def current_actor(explicit: str | None = None) -> str:
    """Who is acting: ``--actor``, else ``DELIB_ACTOR``, else the login name."""
    if explicit:
        return explicit
    if os.environ.get("DELIB_ACTOR"):
        return os.environ["DELIB_ACTOR"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Context:
    """Who acts, on which store, and when (``now`` is injectable for tests)."""

    store: Store
    actor: str
    now: Callable[[], datetime] = utc_now
    overrides: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- reading


def get_council(session: Session, council_id: str) -> Council:
    """The council, read once per database session (kept referenced: the identity map is weak)."""
    known: dict[str, Council] = session.info.setdefault("delib.councils", {})
    if council_id not in known:
        council = session.get(Council, council_id)
        if council is None:
            raise NotFound(f"No council '{council_id}'.", f"Aucune assemblée « {council_id} ».")
        known[council_id] = council
    return known[council_id]


def get_sitting(session: Session, sitting_id: str) -> Sitting:
    sitting = session.get(Sitting, sitting_id)
    if sitting is None:
        raise NotFound(
            f"No session '{sitting_id}' (ids look like COUNCIL/2024-12-13).",
            f"Aucune séance « {sitting_id} » (les identifiants sont de la forme ASSEMBLÉE/2024-12-13).",
        )
    return sitting


def get_act(session: Session, act_id: str) -> Act:
    act = session.get(Act, act_id)
    if act is None:
        raise NotFound(
            f"No act '{act_id}' (ids look like COUNCIL/2024121302).",
            f"Aucun acte « {act_id} » (les identifiants sont de la forme ASSEMBLÉE/2024121302).",
        )
    return act


def count_in_office(session: Session, council_id: str) -> int:
    """Members in office (*en exercice*): the base of the quorum."""
    return session.exec(
        select(func.count())
        .select_from(Member)
        .where(Member.council_id == council_id, Member.in_office == True)  # noqa: E712
    ).one()


def members_in_office(session: Session, council_id: str) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .where(Member.council_id == council_id, Member.in_office == True)  # noqa: E712
            .order_by(Member.id)
        )
    )


def session_acts(session: Session, sitting_id: str) -> list[Act]:
    return list(session.exec(select(Act).where(Act.session_id == sitting_id).order_by(Act.rank)))


def act_events(session: Session, act_id: str) -> list[Event]:
    return list(session.exec(select(Event).where(Event.act_id == act_id).order_by(Event.seq)))


# ---------------------------------------------------------------- the chain


@dataclass(frozen=True)
class AppendedEvent:
    """What ``append_event`` wrote: the event's place in the chain and its hash."""

    council_id: str
    seq: int
    hash: str
    prev_hash: str


_CHAIN_HEADS = "delib.chain_heads"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_chain_heads(session: Session, _transaction: Any) -> None:
    """The chain heads remembered by ``append_event`` are valid only inside their transaction."""
    session.info.pop(_CHAIN_HEADS, None)


def append_event(
    session: Session,
    ctx: Context,
    council_id: str,
    *,
    trigger: str,
    act_id: str | None = None,
    session_id: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    legal_date: date | None = None,
    facts: dict[str, Any] | None = None,
    verdicts: list[dict[str, Any]] | None = None,
    recorded_at: datetime | None = None,
) -> AppendedEvent:
    """Append one event to the council's chain (in the caller's transaction).

    The chain is locked first (until commit) so that concurrent appends queue; the unique
    ``(council_id, seq)`` refuses a fork whatever happens, and ``_retrying`` reruns the loser.
    The head of the chain is read once per transaction and then remembered (the lock holds it),
    so a batch of appends (a session's acts, an import) costs one insert each.
    """
    heads: dict[str, tuple[int, str]] = session.info.setdefault(_CHAIN_HEADS, {})
    if council_id not in heads:
        lock_chain(session, council_id)
        last = session.exec(
            select(Event.seq, Event.hash)
            .where(Event.council_id == council_id)
            .order_by(col(Event.seq).desc())
            .limit(1)
        ).first()
        heads[council_id] = (last[0], last[1]) if last else (0, GENESIS)
    last_seq, prev_hash = heads[council_id]
    fields: dict[str, Any] = dict(
        council_id=council_id,
        seq=last_seq + 1,
        act_id=act_id,
        session_id=session_id,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        legal_date=legal_date,
        recorded_at=recorded_at or ctx.now(),
        actor=ctx.actor,
        facts=facts or {},
        verdicts=verdicts or [],
        prev_hash=prev_hash,
    )
    digest = event_hash(canonical_content(**fields))
    session.execute(insert(Event.__table__).values(**fields, hash=digest))  # type: ignore[attr-defined]
    heads[council_id] = (last_seq + 1, digest)
    return AppendedEvent(council_id, last_seq + 1, digest, prev_hash)


def _retrying(ctx: Context, work: Callable[[Session], T], attempts: int = 8) -> T:
    """Run ``work`` in a transaction; rerun it from the start when it lost a race to another clerk.

    Rerun: a concurrent append took its place in the council's chain, or PostgreSQL aborted it to
    break a deadlock or a serialization failure (``lost_race``); nothing of the lost attempt stays.
    Not rerun: an act that changed since it was read (``ConcurrentChange``: look again).

    Why ``_advance`` checks the act's ``version`` in its UPDATE (optimistic) rather than locking
    the row when reading it (``SELECT ... FOR UPDATE``): both stop a double step, but the step
    was decided on what was read, and the check refuses it as soon as that is stale, without
    holding the act locked while the rules run and the members and history are read; it costs
    nothing without a conflict (the common case: clerks on different acts), and it is the same
    on SQLite, which has no row locks. On PostgreSQL the second UPDATE waits for the first
    commit, then finds the version moved and changes nothing.
    """
    for attempt in range(attempts):
        with ctx.store.session() as session:
            try:
                result = work(session)
                session.commit()
                return result
            except DBAPIError as exc:
                session.rollback()
                if not lost_race(exc):
                    if isinstance(exc, IntegrityError):
                        raise _integrity_error(exc) from None
                    raise
                if attempt == attempts - 1:
                    raise ConcurrentChange(
                        "The council's history was being written by others; nothing was written. Try again.",
                        "L'historique de l'assemblée était en cours d'écriture ; rien n'a été enregistré. Réessayez.",
                    ) from None
            pause_before_retry(attempt)
    raise AssertionError("unreachable")


def _integrity_error(exc: IntegrityError) -> InvalidInput:
    detail = str(exc.orig).splitlines()[0]
    return InvalidInput(
        f"This would duplicate an existing record ({detail}); nothing was written.",
        f"Cela dupliquerait un enregistrement existant ({detail}) ; rien n'a été enregistré.",
    )


# ---------------------------------------------------------------- set-up commands


def add_council(
    ctx: Context,
    slug: str,
    *,
    name: str,
    kind: str,
    population: int | None,
    siren: str | None = None,
    department: str | None = None,
    largest_commune_population: int | None = None,
) -> Council:
    """Register a council; its workflow definition is chosen from its kind and population.

    ``largest_commune_population`` (an EPCI: its largest member commune, L5211-1) is kept in the
    ``council_add`` event and read back by :func:`council_measures`; it is refused for a council
    whose definition does not depend on it.
    """
    check_slug(slug)
    for value, option in (
        (population, "--population"),
        (largest_commune_population, "--largest-commune-population"),
    ):
        if value is not None and value < 0:
            raise InvalidInput(f"{option} cannot be negative.", f"{option} ne peut être négatif.")
    chosen = definitions.for_council(kind, population)
    if largest_commune_population is not None and not chosen.uses_measure(
        "largest_commune_population"
    ):
        raise InvalidInput(
            f"--largest-commune-population does not apply to a council of kind '{kind}' "
            f"(definition {chosen.name}): it chooses the delays of an EPCI (CGCT art. L5211-1).",
            f"--largest-commune-population ne s'applique pas à une assemblée de type « {kind} » "
            f"(définition {chosen.name}) : il fixe les délais d'un EPCI (CGCT art. L5211-1).",
        )
    council = Council(
        id=slug,
        name=name,
        kind=kind,
        population=population,
        siren=check_siren(siren) if siren else None,
        department=check_department(department) if department else None,
        definition=chosen.name,
        created_at=ctx.now(),
    )

    def work(session: Session) -> Council:
        if session.get(Council, slug) is not None:
            raise InvalidInput(
                f"Council '{slug}' already exists.", f"L'assemblée « {slug} » existe déjà."
            )
        session.add(council)
        session.flush()
        append_event(
            session,
            ctx,
            slug,
            trigger="council_add",
            legal_date=None,
            facts={
                "name": name,
                "kind": kind,
                "population": population,
                "siren": council.siren,
                "department": council.department,
                "definition": chosen.name,
                **(
                    {"largest_commune_population": largest_commune_population}
                    if largest_commune_population is not None
                    else {}
                ),
            },
        )
        return council

    return _retrying(ctx, work)


def add_members(
    ctx: Context, council_id: str, names: Sequence[str], *, mayor: bool = False
) -> list[Member]:
    """Add members in office; a name already present (ignoring case and accents) is refused."""
    cleaned = [" ".join(n.split()) for n in names]
    if not cleaned or any(not n for n in cleaned):
        raise InvalidInput("Give at least one non-empty name.", "Donnez au moins un nom non vide.")
    if mayor and len(cleaned) != 1:
        raise InvalidInput("--mayor names exactly one member.", "--mayor désigne un seul membre.")
    keys = [name_key(n) for n in cleaned]
    if len(set(keys)) != len(keys):
        raise InvalidInput("The same name is given twice.", "Le même nom est donné deux fois.")

    def work(session: Session) -> list[Member]:
        get_council(session, council_id)
        existing = {
            m.name_key: m.name
            for m in session.exec(select(Member).where(Member.council_id == council_id))
        }
        for key, name in zip(keys, cleaned, strict=True):
            if key in existing:
                raise InvalidInput(
                    f"'{name}' is already a member of {council_id} (as '{existing[key]}').",
                    f"« {name} » est déjà membre de {council_id} (sous le nom « {existing[key]} »).",
                )
        added = [
            Member(council_id=council_id, name=n, name_key=k, is_mayor=mayor)
            for n, k in zip(cleaned, keys, strict=True)
        ]
        session.add_all(added)
        session.flush()
        append_event(
            session, ctx, council_id, trigger="member_add", facts={"names": cleaned, "mayor": mayor}
        )
        return added

    return _retrying(ctx, work)


def add_session(
    ctx: Context, council_id: str, *, held_at: datetime, place: str | None = None
) -> Sitting:
    """Plan a session; its id is ``COUNCIL/YYYY-MM-DD`` (``-2`` for a second one the same day)."""

    def work(session: Session) -> Sitting:
        get_council(session, council_id)
        sitting = Sitting(
            id=_free_session_id(session, council_id, held_at),
            council_id=council_id,
            held_at=held_at,
            place=place,
        )
        session.add(sitting)
        session.flush()
        append_event(
            session,
            ctx,
            council_id,
            trigger="session_add",
            session_id=sitting.id,
            legal_date=held_at.date(),
            facts={"held_at": held_at.isoformat(timespec="minutes"), "place": place},
        )
        return sitting

    return _retrying(ctx, work)


def _free_session_id(session: Session, council_id: str, held_at: datetime) -> str:
    index = 1
    while session.get(Sitting, make_session_id(council_id, held_at.date(), index)) is not None:
        index += 1
    return make_session_id(council_id, held_at.date(), index)


def _last_in_sequence(session: Session, council_id: str, sequence: str, year: int) -> int | None:
    """The highest rank already given in a numbering sequence of the council (see
    :func:`workflow.rules.register.number_sequence`), or None when the sequence is empty."""
    rows = session.exec(
        select(Act.number, Sitting.held_at)
        .join(Sitting, col(Sitting.id) == col(Act.session_id))
        .where(Act.council_id == council_id)
    )
    ranks = [
        parts[1]
        for number, held_at in rows
        if (parts := number_sequence(number, held_at.year)) is not None and parts[0] == sequence
    ]
    return max(ranks) if ranks else None


def _next_default_number(session: Session, council_id: str, day: date) -> str:
    """Date + rank (practice, seed 2024121302): the next rank of that day's sequence, so that
    numbers follow each other without gap even across two sessions the same day."""
    last = _last_in_sequence(session, council_id, f"{day:%Y%m%d}", day.year)
    return default_act_number(day, (last or 0) + 1)


def _check_number(
    session: Session, ctx: Context, council: Council, sitting: Sitting, number: str, act_id: str
) -> list[Verdict]:
    """The ``number`` step of the council's definition (``act_number_sequence``), if it has one."""
    day = sitting.held_at.date()
    parts = number_sequence(number, day.year)
    last = _last_in_sequence(session, council.id, parts[0], day.year) if parts else None
    facts = Facts(
        trigger="create",
        legal_date=day,
        recorded_on=legal_today(ctx.now()),
        session_date=day,
        population=council.population,
        extra={"number": number, "last_in_sequence": last},
    )
    engine = engine_for(council.definition)
    if engine.definition.step_rules("number") is None:
        return []
    return engine.check_step(
        "number",
        facts,
        population=council_measures(session, council),
        subject_id=act_id,
        overrides=ctx.overrides,
    )


def add_act(
    ctx: Context,
    sitting_id: str,
    *,
    subject: str,
    matiere: str | None = None,
    number: str | None = None,
    nature: str = "DE",
    subject_to_transmission: bool = True,
) -> Act:
    """Put an act on a session's agenda, in state ``draft``; numbered date + rank unless given.

    The number is checked by the definition's ``number`` step (unique, without gap in its
    sequence, dated the session's day when it is a date + rank number); an override
    (``ctx.overrides``) lets an irregular number through and marks the act irregular.
    """
    if not subject.strip():
        raise InvalidInput("The subject cannot be empty.", "L'objet ne peut être vide.")
    if number is not None:
        check_act_number(number)

    def work(session: Session) -> Act:
        sitting = get_sitting(session, sitting_id)
        council = get_council(session, sitting.council_id)
        if sitting.status != "planned":
            raise InvalidInput(
                f"Session {sitting_id} is already {sitting.status}: its agenda is closed.",
                f"La séance {sitting_id} est déjà {sitting.status} : son ordre du jour est clos.",
            )
        rank = (
            session.exec(
                select(func.count()).select_from(Act).where(Act.session_id == sitting_id)
            ).one()
            or 0
        ) + 1
        act_number = number or _next_default_number(session, council.id, sitting.held_at.date())
        new_id = make_act_id(council.id, act_number)
        if session.get(Act, new_id) is not None:
            raise InvalidInput(
                f"Act number {act_number} is already used in {council.id}; give another with --number.",
                f"Le numéro {act_number} est déjà pris dans {council.id} ; donnez-en un autre avec --number.",
            )
        verdicts = _check_number(session, ctx, council, sitting, act_number, new_id)
        initial = definitions.get(council.definition).initial
        act = Act(
            id=new_id,
            council_id=council.id,
            session_id=sitting_id,
            number=act_number,
            rank=rank,
            subject=subject.strip(),
            matiere=matiere,
            nature=nature,
            subject_to_transmission=subject_to_transmission,
            state=initial,
            irregular=any(v.overridden for v in verdicts),
        )
        session.add(act)
        session.flush()
        append_event(
            session,
            ctx,
            council.id,
            trigger="create",
            act_id=act.id,
            session_id=sitting_id,
            to_state=initial,
            facts={
                "number": act_number,
                "rank": rank,
                "subject": act.subject,
                "matiere": matiere,
                "nature": nature,
            },
            verdicts=[v.to_dict() for v in verdicts],
        )
        return act

    return _retrying(ctx, work)


# ---------------------------------------------------------------- transitions


def _facts_record(facts: Facts) -> dict[str, Any]:
    """The facts as stored in the event (JSON-safe, no floats)."""
    record: dict[str, Any] = {"legal_date": facts.legal_date.isoformat()}
    for name in ("session_date", "convocation_date", "posted_on", "filed_on"):
        value = getattr(facts, name)
        if value is not None:
            record[name] = value.isoformat()
    if facts.members_in_office:
        record["members_in_office"] = facts.members_in_office
    if facts.population is not None:
        record["population"] = facts.population
    if facts.attendance is not None:
        record["attendance"] = facts.attendance.to_dict()
        record["took_part"] = facts.attendance.taking_part
    if facts.vote is not None:
        record["vote"] = facts.vote.to_dict()
    if facts.urgent:
        record["urgent"] = True
    if facts.urgency_ruling:
        record["urgency_ruling"] = facts.urgency_ruling
    if facts.second_convocation:
        record["second_convocation"] = True
    if facts.quorum_failed_on is not None:
        record["quorum_failed_on"] = facts.quorum_failed_on.isoformat()
    record.update(facts.extra)
    return record


# ---------------------------------------------------------------- facts read back from the chain


def council_measures(session: Session, council: Council) -> dict[str, int | None]:
    """The measures that choose a council's parameter tiers: its population and, for an EPCI,
    its largest member commune's (kept in the ``council_add`` event, None when not given)."""
    if not definitions.get(council.definition).uses_measure("largest_commune_population"):
        return {"population": council.population, "largest_commune_population": None}
    added = session.exec(
        select(Event.facts)
        .where(Event.council_id == council.id, Event.trigger == "council_add")
        .order_by(col(Event.seq))
        .limit(1)
    ).first()
    return {
        "population": council.population,
        "largest_commune_population": (added or {}).get("largest_commune_population"),
    }


@dataclass(frozen=True)
class SittingRecord:
    """What happened to a session, read back from its events (the chain is the record):
    a second convocation, a failed opening, the urgency ruling, the list, the minutes."""

    second_convocation: bool = False
    reconvened_from: str | None = None
    reconvened_as: str | None = None
    quorum_failed_on: date | None = None
    urgency_ruling: str | None = None
    list_posted_on: date | None = None
    minutes_approved_at: str | None = None
    minutes_approved_on: date | None = None
    minutes_online_on: date | None = None
    irregular: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "second_convocation": self.second_convocation,
            "reconvened_from": self.reconvened_from,
            "reconvened_as": self.reconvened_as,
            "quorum_failed_on": _iso(self.quorum_failed_on),
            "urgency_ruling": self.urgency_ruling,
            "list_posted_on": _iso(self.list_posted_on),
            "minutes_approved_at": self.minutes_approved_at,
            "minutes_approved_on": _iso(self.minutes_approved_on),
            "minutes_online_on": _iso(self.minutes_online_on),
            "irregular": self.irregular,
        }


def _second_convocation(session: Session, sitting: Sitting) -> bool:
    """Whether the session was convened a second time after a quorum failure (its
    ``session_add`` event says so): one indexed read, for every transition of its acts."""
    added = session.exec(
        select(Event.facts)
        .where(Event.session_id == sitting.id, Event.trigger == "session_add")
        .limit(1)
    ).first()
    return bool((added or {}).get("second_convocation", False))


def sitting_record(session: Session, sitting: Sitting) -> SittingRecord:
    """Fold the session's events (``session_id``) into a :class:`SittingRecord`."""
    found: dict[str, Any] = {}
    events = session.exec(
        select(Event).where(Event.session_id == sitting.id).order_by(col(Event.seq))
    )
    for event in events:
        facts = event.facts
        if event.trigger == "session_add":
            found["second_convocation"] = bool(facts.get("second_convocation", False))
            found["reconvened_from"] = facts.get("reconvened_from")
        elif event.trigger == "session_reconvene":
            found["reconvened_as"] = facts.get("reconvened_as")
        elif event.trigger == "quorum_failure":
            found["quorum_failed_on"] = event.legal_date
        elif event.trigger == "open" and facts.get("urgency_ruling"):
            found["urgency_ruling"] = facts["urgency_ruling"]
        elif event.trigger == "list_posted":
            found["list_posted_on"] = event.legal_date
        elif event.trigger == "minutes":
            found["minutes_approved_at"] = facts.get("approving_session")
            found["minutes_approved_on"] = event.legal_date
        elif event.trigger == "minutes_online":
            found["minutes_online_on"] = event.legal_date
        if any(v.get("overridden") for v in event.verdicts):
            found["irregular"] = True
    return SittingRecord(**found)


def _base_facts(
    session: Session,
    ctx: Context,
    act: Act,
    sitting: Sitting,
    trigger: str,
    legal_date: date,
    record: SittingRecord | None = None,
) -> Facts:
    council = get_council(session, act.council_id)
    second = record.second_convocation if record else _second_convocation(session, sitting)
    last = session.exec(
        select(Event.legal_date)
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
        population=council.population,
        members_in_office=count_in_office(session, council.id),
        posted_on=act.posted_on,
        filed_on=act.filed_on,
        urgent=sitting.urgent,
        second_convocation=second,
        quorum_failed_on=record.quorum_failed_on if record else None,
        extra={"subject_to_transmission": act.subject_to_transmission},
    )


def _advance(
    session: Session, ctx: Context, act: Act, trigger: str, facts: Facts, changes: dict[str, Any]
) -> Act:
    """Apply one trigger to one act: engine, then the act's row and its event, same transaction."""
    council = get_council(session, act.council_id)
    outcome: Outcome = engine_for(council.definition).apply(
        act.state,
        trigger,
        facts,
        population=council.population,
        subject_id=act.id,
        overrides=ctx.overrides,
        measures=council_measures(session, council),
    )
    values = dict(changes)
    if outcome.to_state == "executory" and act.executory_on is None:
        posted = values.get("posted_on", act.posted_on)
        filed = values.get("filed_on", act.filed_on)
        values["executory_on"] = max(d for d in (posted, filed) if d is not None)
    irregular = any(v.overridden for v in outcome.verdicts)
    if irregular:
        values["irregular"] = True
    written = {"state": outcome.to_state, "version": act.version + 1, **values}
    result = session.execute(
        update(Act)
        .where(col(Act.id) == act.id, col(Act.version) == act.version)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(
            f"{act.id} was changed by someone else meanwhile; nothing was written. Look at it again (delib act show {act.id}).",
            f"{act.id} a été modifié par quelqu'un d'autre entre-temps ; rien n'a été enregistré. Consultez-le à nouveau (delib act show {act.id}).",
        )
    record = _facts_record(facts)
    if "executory_on" in values:
        record["executory_on"] = values["executory_on"].isoformat()
    append_event(
        session,
        ctx,
        act.council_id,
        trigger=trigger,
        act_id=act.id,
        session_id=values.get("session_id", act.session_id),
        from_state=outcome.from_state,
        to_state=outcome.to_state,
        legal_date=facts.legal_date,
        facts=record,
        verdicts=[v.to_dict() for v in outcome.verdicts],
    )
    for name, value in written.items():  # the row as written, without reading it back
        set_committed_value(act, name, value)
    return act


def convene_session(ctx: Context, sitting_id: str, *, on: date, urgent: bool = False) -> list[Act]:
    """Send the convocation (L2121-10): every act on the agenda goes from draft to convened."""

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        if not session_acts(session, sitting_id):
            raise InvalidInput(
                f"Session {sitting_id} has no act on its agenda: a convocation states the agenda (CGCT art. L2121-10). Add acts first.",
                f"La séance {sitting_id} n'a aucun acte à l'ordre du jour : la convocation indique l'ordre du jour (CGCT art. L2121-10). Ajoutez d'abord des actes.",
            )
        acts = _acts_for(session, sitting, "convene")
        sitting.convened_on = on
        sitting.urgent = urgent
        record = sitting_record(session, sitting)
        done = []
        for act in acts:
            facts = _base_facts(session, ctx, act, sitting, "convene", on, record)
            done.append(_advance(session, ctx, act, "convene", facts, {}))
        sitting.status = "convened"
        sitting.version += 1
        session.add(sitting)
        return done

    return _retrying(ctx, work)


def _acts_for(session: Session, sitting: Sitting, trigger: str) -> list[Act]:
    """The session's acts that ``trigger`` may move (an act withdrawn or moved on is left alone);
    refuses when there is none, naming the states the acts are in."""
    council = get_council(session, sitting.council_id)
    definition = definitions.get(council.definition)
    acts = session_acts(session, sitting.id)
    movable = [a for a in acts if trigger in definition.triggers_from(a.state)]
    if not movable:
        states = ", ".join(sorted({a.state for a in acts})) or "—"
        raise InvalidTransition(
            f"Session {sitting.id}: no act on its agenda can '{trigger}' (acts are: {states}).",
            f"Séance {sitting.id} : aucun acte de son ordre du jour ne peut « {trigger} » (actes : {states}).",
        )
    return movable


def resolve_attendance(
    members: Iterable[str],
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
    secretary: str | None = None,
    president: str | None = None,
    recorded: Sequence[tuple[str, str]] = (),
) -> Attendance:
    """The attendance at the opening, from what the clerk typed and the proxies recorded ahead.

    A proxy giver is absent. Without any ``present``, every member in office who is neither
    absent nor a giver is present (the clerk types the few absent, not the many present).
    A proxy recorded ahead (``recorded``, see :func:`record_proxy`) applies unless its giver is
    named ``--present`` or gives another ``--proxy``; when its holder is not present it lapses
    (kept in ``Attendance.lapsed``: it revives at an item if the holder arrives).
    """
    names = list(members)
    pairs = [(match_name(g, names), match_name(h, names)) for g, h in proxies]
    givers = [g for g, _ in pairs]
    if len(set(givers)) != len(givers):
        raise InvalidInput("A member gives two proxies.", "Un membre donne deux pouvoirs.")
    absent_set = {match_name(n, names) for n in absent}
    named_present = {match_name(n, names) for n in present}
    kept = [(g, h) for g, h in recorded if g not in givers and g not in named_present]
    givers += [g for g, _ in kept]
    if present:
        present_set = named_present
        clash = present_set & absent_set
        if clash:
            raise InvalidInput(
                f"{', '.join(sorted(clash))}: both present and absent.",
                f"{', '.join(sorted(clash))} : à la fois présent et absent.",
            )
        absent_set |= set(names) - present_set - set(givers)
    else:
        present_set = set(names) - absent_set - set(givers)
    return Attendance(
        present=frozenset(present_set),
        proxies=tuple(sorted(pairs + [(g, h) for g, h in kept if h in present_set])),
        absent=frozenset(absent_set - set(givers)),
        secretary=match_name(secretary, names) if secretary else None,
        president=match_name(president, names) if president else None,
        lapsed=tuple(sorted((g, h) for g, h in kept if h not in present_set)),
    )


def open_session(
    ctx: Context,
    sitting_id: str,
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
    secretary: str | None = None,
    president: str | None = None,
    urgency: str | None = None,
    record_quorum_failure: bool = False,
) -> list[Act]:
    """Open the session: quorum, proxies and secretary are checked; acts go to in_session.

    Under urgency the council's ruling (``urgency``: "accepted" or "rejected") is required; when
    it rejects the urgency the acts are postponed (state ``postponed``, session ``adjourned``).
    ``record_quorum_failure`` records instead a meeting that could not deliberate: the acts stay
    convened, the session is ``quorum_failed`` and may be convened again (:func:`reconvene_session`).
    The proxies recorded ahead for this session apply (see :func:`resolve_attendance`).
    """
    if urgency not in (None, "accepted", "rejected"):
        raise InvalidInput(
            f"Unknown urgency ruling '{urgency}'.",
            f"Décision sur l'urgence inconnue « {urgency} ».",
        )
    if record_quorum_failure and urgency:
        raise InvalidInput(
            "Without quorum the council cannot rule on the urgency: record the failure alone.",
            "Sans quorum le conseil ne peut se prononcer sur l'urgence : enregistrez l'échec seul.",
        )
    trigger = "quorum_failure" if record_quorum_failure else "open"

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        if sitting.status != "convened":
            raise InvalidTransition(
                f"Session {sitting.id} is '{sitting.status}': only a convened session opens (or "
                "records its failure), once.",
                f"La séance {sitting.id} est « {sitting.status} » : seule une séance convoquée "
                "s'ouvre (ou constate son échec), une seule fois.",
            )
        members = members_in_office(session, sitting.council_id)
        mayor = next((m.name for m in members if m.is_mayor), None)
        recorded = proxies_for_session(session, sitting)
        attendance = resolve_attendance(
            [m.name for m in members],
            present=present,
            absent=absent,
            proxies=proxies,
            secretary=secretary,
            president=president or mayor,
            recorded=[(p["giver"], p["holder"]) for p in recorded],
        )
        if not session_acts(session, sitting_id):
            raise InvalidInput(
                f"Session {sitting_id} has no act.", f"La séance {sitting_id} n'a aucun acte."
            )
        acts = _acts_for(session, sitting, trigger)
        record = sitting_record(session, sitting)
        used = {
            p["giver"]: p["id"]
            for p in recorded
            if (p["giver"], p["holder"]) in set(attendance.proxies) | set(attendance.lapsed)
        }
        done = []
        for act in acts:
            facts = replace(
                _base_facts(session, ctx, act, sitting, trigger, sitting.held_at.date(), record),
                attendance=attendance,
                urgency_ruling=urgency,
            )
            if used:
                facts = replace(facts, extra={**facts.extra, "proxies_recorded": used})
            done.append(
                _advance(session, ctx, act, trigger, facts, {"attendance": attendance.to_dict()})
            )
        sitting.attendance = attendance.to_dict()
        if record_quorum_failure:
            sitting.status = "quorum_failed"
        else:
            sitting.status = "adjourned" if all(a.state == "postponed" for a in done) else "open"
        sitting.version += 1
        session.add(sitting)
        return done

    return _retrying(ctx, work)


def reconvene_session(
    ctx: Context, sitting_id: str, *, on: date, held_at: datetime, urgent: bool = False
) -> tuple[Sitting, list[Act]]:
    """Convene again the items of a meeting that could not deliberate (quorum not reached:
    the second convocation of L2121-17 al. 2, after which no quorum is required) or the items
    the council postponed (urgency refused, or ``act postpone`` without a target session: an
    ordinary convocation, with the ordinary delay).

    A new session is created for ``held_at`` (its id follows the new date) and the acts move to
    it, each with a ``reconvene`` event; a session left without items is marked ``reconvened``.
    A second convocation's agenda is the first meeting's: nothing can be added to it.
    """

    def work(session: Session) -> tuple[Sitting, list[Act]]:
        old = get_sitting(session, sitting_id)
        second = old.status == "quorum_failed"
        moving = "convened" if second else "postponed"
        acts = [a for a in session_acts(session, old.id) if a.state == moving]
        if not acts:
            raise InvalidInput(
                f"Session {old.id} is '{old.status}' with no postponed item: reconvene convenes again "
                "a meeting that failed for want of quorum (delib session open "
                "--record-quorum-failure, CGCT art. L2121-17) or the items the council postponed.",
                f"La séance {old.id} est « {old.status} » sans affaire renvoyée : reconvene convoque "
                "à nouveau une réunion tenue sans quorum (delib session open "
                "--record-quorum-failure, CGCT art. L2121-17) ou les affaires renvoyées par le conseil.",
            )
        if second and urgent:
            raise InvalidInput(
                "A second convocation after a quorum failure has its own delay (CGCT art. L2121-17): --urgent does not apply.",
                "Une seconde convocation après un défaut de quorum a son propre délai (CGCT art. L2121-17) : --urgent ne s'applique pas.",
            )
        record = sitting_record(session, old)
        new = Sitting(
            id=_free_session_id(session, old.council_id, held_at),
            council_id=old.council_id,
            held_at=held_at,
            place=old.place,
            status="convened",
            convened_on=on,
            urgent=urgent,
        )
        session.add(new)
        session.flush()
        append_event(
            session,
            ctx,
            old.council_id,
            trigger="session_add",
            session_id=new.id,
            legal_date=held_at.date(),
            facts={
                "held_at": held_at.isoformat(timespec="minutes"),
                "place": old.place,
                "reconvened_from": old.id,
                "second_convocation": second,
            },
        )
        done = []
        for act in acts:
            facts = replace(
                _base_facts(
                    session,
                    ctx,
                    act,
                    new,
                    "reconvene",
                    on,
                    SittingRecord(second_convocation=second),
                ),
                quorum_failed_on=record.quorum_failed_on,
                extra={
                    "subject_to_transmission": act.subject_to_transmission,
                    "from_session": old.id,
                },
            )
            done.append(_advance(session, ctx, act, "reconvene", facts, {"session_id": new.id}))
        append_event(
            session,
            ctx,
            old.council_id,
            trigger="session_reconvene",
            session_id=old.id,
            legal_date=on,
            facts={
                "reconvened_as": new.id,
                "second_convocation": second,
                "acts": [a.id for a in done],
            },
        )
        if second or old.status == "adjourned":
            old.status = "reconvened"
            old.version += 1
            session.add(old)
        return new, done

    return _retrying(ctx, work)


def _previous_item(session: Session, sitting_id: str) -> Attendance | None:
    """The attendance at the last item voted in the session (None before the first vote)."""
    facts = session.exec(
        select(Event.facts)
        .where(Event.session_id == sitting_id, Event.trigger == "vote")
        .order_by(col(Event.seq).desc())
        .limit(1)
    ).first()
    return Attendance.from_dict(facts["attendance"]) if facts and "attendance" in facts else None


def item_attendance(
    opening: Attendance,
    names: Sequence[str],
    *,
    previous: Attendance | None = None,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
) -> Attendance:
    """The attendance for one item: the previous item's presence (the opening's for the first
    item), less those who left, plus those who arrived. Members who left stay gone until they
    are said to arrive; recusal is per item and is not carried over.

    The proxies are those given for the session (at the opening, lapsed ones included): a proxy
    is exercised when its giver is away and its holder is present; a giver who arrives votes in
    person; a proxy whose holder left lapses for the item (and revives if the holder returns).
    A recused member is present or represented, and does not take part (L2131-11).
    """
    base = previous or opening
    left_set = {match_name(n, names) for n in left}
    arrived_set = {match_name(n, names) for n in arrived}
    recused_set = {match_name(n, names) for n in recused}
    _check_moves(base, left_set, arrived_set)
    present = (base.present - left_set) | arrived_set
    given = sorted(set(opening.proxies) | set(opening.lapsed))
    away = [(g, h) for g, h in given if g not in present]
    proxies = tuple((g, h) for g, h in away if h in present)
    represented = {g for g, _ in proxies}
    stray = recused_set - present - represented
    if stray:
        raise InvalidInput(
            f"{', '.join(sorted(stray))}: recused but neither present nor represented at this item.",
            f"{', '.join(sorted(stray))} : déporté(s) mais ni présent(s) ni représenté(s) à cette affaire.",
        )
    return Attendance(
        present=frozenset(present),
        proxies=proxies,
        absent=frozenset(set(names) - present - represented),
        recused=frozenset(recused_set),
        secretary=opening.secretary,
        president=opening.president,
        lapsed=tuple((g, h) for g, h in away if h not in present),
    )


def _check_moves(base: Attendance, left: set[str], arrived: set[str]) -> None:
    problems = (
        [
            (
                f"{n} is said to leave and arrive at the same item",
                f"{n} part et arrive à la même affaire",
            )
            for n in sorted(left & arrived)
        ]
        + [
            (f"{n} left but was not present", f"{n} part mais n'était pas présent")
            for n in sorted(left - base.present - arrived)
        ]
        + [
            (f"{n} arrived but was already present", f"{n} arrive mais était déjà présent")
            for n in sorted(arrived & base.present - left)
        ]
    )
    if problems:
        raise InvalidInput(
            "; ".join(en for en, _ in problems)
            + " (--left/--arrived are counted from the previous item).",
            "; ".join(fr for _, fr in problems)
            + " (--left/--arrived se comptent depuis l'affaire précédente).",
        )


def vote_act(
    ctx: Context,
    act_id: str,
    *,
    for_: int,
    against: int,
    abstain: int,
    blank: int = 0,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
    secret: bool = False,
    president_voted: str | None = None,
    names: Mapping[str, Sequence[str]] | None = None,
) -> Act:
    """Record the vote on one item; quorum and the counts are checked at this item.

    ``names`` is a public roll call ({"for": [...], "against": [...], "abstain": [...]}); on a
    public tie the president's side is read from it when ``president_voted`` is not given.
    """

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        opening = Attendance.from_dict(sitting.attendance or {})
        member_names = [m.name for m in members_in_office(session, act.council_id)]
        attendance = item_attendance(
            opening,
            member_names,
            previous=_previous_item(session, sitting.id),
            left=left,
            arrived=arrived,
            recused=recused,
        )
        called = {
            side: tuple(match_name(n, member_names) for n in given)
            for side, given in (names or {}).items()
            if given
        }
        side = president_voted or _president_side(
            attendance.president, called, for_ == against, secret
        )
        vote = VoteCount(
            for_=for_,
            against=against,
            abstain=abstain,
            blank=blank,
            secret=secret,
            president_voted=side,
            names=called,
        )
        facts = replace(
            _base_facts(session, ctx, act, sitting, "vote", sitting.held_at.date()),
            attendance=attendance,
            vote=vote,
        )
        return _advance(
            session,
            ctx,
            act,
            "vote",
            facts,
            {
                "vote": {**vote.to_dict(), "took_part": attendance.taking_part},
                "attendance": attendance.to_dict(),
                "voted_on": sitting.held_at.date(),
            },
        )

    return _retrying(ctx, work)


def _president_side(
    president: str | None, called: Mapping[str, Sequence[str]], tie: bool, secret: bool
) -> str | None:
    """On a public tie, the president's side as the roll call shows it."""
    if not tie or secret or president is None:
        return None
    return next((side for side in ("for", "against") if president in called.get(side, ())), None)


# ---------------------------------------------------------------- proxies recorded ahead


def recorded_proxies(session: Session, council_id: str) -> list[dict[str, Any]]:
    """The proxies recorded for a council (``proxy_add`` events), oldest first; ``id`` is the
    event's place in the council's chain."""
    events = session.exec(
        select(Event)
        .where(Event.council_id == council_id, Event.trigger == "proxy_add")
        .order_by(col(Event.seq))
    )
    return [
        {"id": e.seq, **e.facts, "irregular": any(v.get("overridden") for v in e.verdicts)}
        for e in events
    ]


def sessions_covered(session: Session, council_id: str, proxy: Mapping[str, Any]) -> list[str]:
    """The consecutive sessions a proxy covers: the council's first ``sessions`` sessions held
    on or after the day it is dated (a second convocation is a session of its own)."""
    written = date.fromisoformat(proxy["written_on"])
    sittings = session.exec(
        select(Sitting.id, Sitting.held_at)
        .where(Sitting.council_id == council_id)
        .order_by(Sitting.held_at, Sitting.id)
    )
    return [sid for sid, held_at in sittings if held_at.date() >= written][: int(proxy["sessions"])]


def proxies_for_session(session: Session, sitting: Sitting) -> list[dict[str, Any]]:
    """The recorded proxies valid for this session; of two from the same giver, the later one."""
    valid: dict[str, dict[str, Any]] = {}
    for proxy in recorded_proxies(session, sitting.council_id):
        if sitting.id in sessions_covered(session, sitting.council_id, proxy):
            valid[proxy["giver"]] = proxy  # later events replace earlier ones
    return list(valid.values())


def record_proxy(
    ctx: Context,
    council_id: str,
    giver: str,
    *,
    holder: str,
    written_on: date,
    sessions: int = 1,
    illness: bool = False,
) -> dict[str, Any]:
    """Record a written, dated proxy ahead of the sessions it covers (L2121-20): the definition's
    ``proxy`` step checks its date and its duration (three consecutive sessions at most, except
    illness). It is applied at ``session open`` (:func:`open_session`)."""
    if sessions < 1:
        raise InvalidInput("--sessions must be at least 1.", "--sessions doit valoir au moins 1.")

    def work(session: Session) -> dict[str, Any]:
        council = get_council(session, council_id)
        names = [m.name for m in members_in_office(session, council_id)]
        pair = (match_name(giver, names), match_name(holder, names))
        if pair[0] == pair[1]:
            raise InvalidInput(
                f"{pair[0]} cannot hold their own proxy.",
                f"{pair[0]} ne peut détenir son propre pouvoir.",
            )
        facts = Facts(
            trigger="proxy",
            legal_date=written_on,
            recorded_on=legal_today(ctx.now()),
            population=council.population,
            extra={"proxy_sessions": sessions, "proxy_illness": illness},
        )
        verdicts = engine_for(council.definition).check_step(
            "proxy",
            facts,
            population=council_measures(session, council),
            subject_id=f"{council_id} ({pair[0]} → {pair[1]})",
            overrides=ctx.overrides,
        )
        record = {
            "giver": pair[0],
            "holder": pair[1],
            "written_on": written_on.isoformat(),
            "sessions": sessions,
            "illness": illness,
        }
        event = append_event(
            session,
            ctx,
            council_id,
            trigger="proxy_add",
            legal_date=written_on,
            facts=record,
            verdicts=[v.to_dict() for v in verdicts],
        )
        return {
            "id": event.seq,
            "council": council_id,
            **record,
            "irregular": any(v.overridden for v in verdicts),
            "sessions_covered": sessions_covered(session, council_id, record),
        }

    return _retrying(ctx, work)


# ---------------------------------------------------------------- register and publicity


def _session_step(
    session: Session,
    ctx: Context,
    sitting: Sitting,
    step: str,
    legal_date: date,
    extra: dict[str, Any],
) -> AppendedEvent:
    """Check a session-level step of the council's definition and append its event."""
    council = get_council(session, sitting.council_id)
    facts = Facts(
        trigger=step,
        legal_date=legal_date,
        recorded_on=legal_today(ctx.now()),
        session_date=sitting.held_at.date(),
        population=council.population,
        extra=extra,
    )
    verdicts = engine_for(council.definition).check_step(
        step,
        facts,
        population=council_measures(session, council),
        subject_id=sitting.id,
        overrides=ctx.overrides,
    )
    return append_event(
        session,
        ctx,
        council.id,
        trigger=step,
        session_id=sitting.id,
        legal_date=legal_date,
        facts=_facts_record(facts),
        verdicts=[v.to_dict() for v in verdicts],
    )


DELIBERATED = ("open", "adjourned")  # sessions that met with quorum (and have minutes)


def _require_step(session: Session, sitting: Sitting, step: str) -> None:
    """Refuse at once a step the council's definition does not have (e.g. the one-week list of
    deliberations, a rule of communes, for a département)."""
    definition = definitions.get(get_council(session, sitting.council_id).definition)
    if definition.step_rules(step) is None:
        raise InvalidInput(
            f"'{step}' is not a step of the '{definition.name}' definition "
            f"(its steps: {', '.join(sorted(definition.steps)) or 'none'}).",
            f"« {step} » n'est pas une étape de la définition « {definition.name} » "
            f"(ses étapes : {', '.join(sorted(definition.steps)) or 'aucune'}).",
        )


def post_list(ctx: Context, sitting_id: str, *, on: date) -> dict[str, Any]:
    """The list of the deliberations examined in the session, posted and put online (L2121-25):
    within one week of the session, else refused (``--override list_posted_within``)."""

    def work(session: Session) -> dict[str, Any]:
        sitting = get_sitting(session, sitting_id)
        _require_step(session, sitting, "list_posted")
        record = sitting_record(session, sitting)
        if record.list_posted_on is not None:
            raise InvalidInput(
                f"The list of {sitting.id} was already recorded as posted on {record.list_posted_on}.",
                f"La liste de {sitting.id} a déjà été enregistrée comme publiée le {record.list_posted_on}.",
            )
        examined = [a.number for a in session_acts(session, sitting.id) if a.vote is not None]
        if sitting.status not in DELIBERATED or not examined:
            raise InvalidInput(
                f"Session {sitting.id} ({sitting.status}) has examined no deliberation yet: there is no list to post.",
                f"La séance {sitting.id} ({sitting.status}) n'a encore examiné aucune délibération : pas de liste à publier.",
            )
        _session_step(session, ctx, sitting, "list_posted", on, {"deliberations": examined})
        return sitting_view(
            sitting, session_acts(session, sitting.id), sitting_record(session, sitting)
        )

    return _retrying(ctx, work)


def next_session(session: Session, sitting: Sitting) -> Sitting | None:
    """The council's next session that met with quorum after this one."""
    return session.exec(
        select(Sitting)
        .where(
            Sitting.council_id == sitting.council_id,
            Sitting.held_at > sitting.held_at,
            col(Sitting.status).in_(DELIBERATED),
        )
        .order_by(Sitting.held_at, Sitting.id)
        .limit(1)
    ).first()


def approve_minutes(ctx: Context, sitting_id: str, *, approved_at: str) -> dict[str, Any]:
    """The minutes of a session approved at the start of the council's next session (L2121-15);
    dated the day of the approving session."""

    def work(session: Session) -> dict[str, Any]:
        sitting = get_sitting(session, sitting_id)
        _require_step(session, sitting, "minutes")
        approving = get_sitting(session, approved_at)
        record = sitting_record(session, sitting)
        problems = _minutes_problems(sitting, approving, record)
        if problems:
            raise InvalidInput(*problems)
        following = next_session(session, sitting)
        _session_step(
            session,
            ctx,
            sitting,
            "minutes",
            approving.held_at.date(),
            {
                "approving_session": approving.id,
                "next_session": following.id if following else None,
            },
        )
        return sitting_view(
            sitting, session_acts(session, sitting.id), sitting_record(session, sitting)
        )

    return _retrying(ctx, work)


def _minutes_problems(
    sitting: Sitting, approving: Sitting, record: SittingRecord
) -> tuple[str, str] | None:
    if approving.council_id != sitting.council_id:
        return (
            f"{approving.id} is a session of another council.",
            f"{approving.id} est une séance d'une autre assemblée.",
        )
    if record.minutes_approved_at is not None:
        return (
            f"The minutes of {sitting.id} were already approved at {record.minutes_approved_at}.",
            f"Le procès-verbal de {sitting.id} a déjà été arrêté à {record.minutes_approved_at}.",
        )
    if sitting.status not in DELIBERATED:
        return (
            f"Session {sitting.id} is '{sitting.status}': it did not deliberate, it has no minutes to approve.",
            f"La séance {sitting.id} est « {sitting.status} » : elle n'a pas délibéré, pas de procès-verbal à arrêter.",
        )
    if approving.status not in DELIBERATED:
        return (
            f"Session {approving.id} is '{approving.status}': minutes are approved at a session that is open.",
            f"La séance {approving.id} est « {approving.status} » : un procès-verbal s'arrête en séance ouverte.",
        )
    return None


def publish_minutes(ctx: Context, sitting_id: str, *, on: date) -> dict[str, Any]:
    """The approved minutes put online within one week of their approval (L2121-15)."""

    def work(session: Session) -> dict[str, Any]:
        sitting = get_sitting(session, sitting_id)
        _require_step(session, sitting, "minutes_online")
        record = sitting_record(session, sitting)
        if record.minutes_approved_on is None:
            raise InvalidInput(
                f"The minutes of {sitting.id} are not approved yet (delib session minutes {sitting.id} --approved-at NEXT).",
                f"Le procès-verbal de {sitting.id} n'est pas encore arrêté (delib session minutes {sitting.id} --approved-at SUIVANTE).",
            )
        if record.minutes_online_on is not None:
            raise InvalidInput(
                f"The minutes of {sitting.id} were already put online on {record.minutes_online_on}.",
                f"Le procès-verbal de {sitting.id} a déjà été mis en ligne le {record.minutes_online_on}.",
            )
        _session_step(
            session,
            ctx,
            sitting,
            "minutes_online",
            on,
            {"approved_on": record.minutes_approved_on.isoformat()},
        )
        return sitting_view(
            sitting, session_acts(session, sitting.id), sitting_record(session, sitting)
        )

    return _retrying(ctx, work)


def post_act(ctx: Context, act_id: str, *, on: date, mode: str = "electronic") -> Act:
    """Publication on ``on``, in ``mode`` (electronic, posting or paper: the definition's
    ``publication_mode`` rule says which the council may use); executory if already
    transmitted (L2131-1)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        facts = replace(_base_facts(session, ctx, act, sitting, "post", on), posted_on=on)
        facts = replace(facts, extra={**facts.extra, "publication_mode": mode})
        return _advance(session, ctx, act, "post", facts, {"posted_on": on})

    return _retrying(ctx, work)


def file_act(ctx: Context, act_id: str, *, on: date, ack: str | None = None) -> Act:
    """Transmission to the prefecture (@CTES acknowledgement date); executory if already posted."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        facts = replace(_base_facts(session, ctx, act, sitting, "file", on), filed_on=on)
        extra = _prefecture_facts(get_council(session, act.council_id), act)
        facts = replace(facts, extra={**facts.extra, **extra, **({"ack": ack} if ack else {})})
        return _advance(session, ctx, act, "file", facts, {"filed_on": on, "ack": ack})

    return _retrying(ctx, work)


# ---------------------------------------------------------------- views


def act_view(act: Act) -> dict[str, Any]:
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
        "voted_on": _iso(act.voted_on),
        "posted_on": _iso(act.posted_on),
        "filed_on": _iso(act.filed_on),
        "ack": act.ack,
        "executory_on": _iso(act.executory_on),
        "irregular": act.irregular,
        "version": act.version,
    }


def event_view(event: Event) -> dict[str, Any]:
    from workflow.store.history import format_recorded_at

    return {
        "id": event.id,
        "seq": event.seq,
        "council": event.council_id,
        "act": event.act_id,
        "session": event.session_id,
        "trigger": event.trigger,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "legal_date": _iso(event.legal_date),
        "recorded_at": format_recorded_at(event.recorded_at),
        "actor": event.actor,
        "facts": event.facts,
        "verdicts": event.verdicts,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def sitting_view(
    sitting: Sitting, acts: Sequence[Act] = (), record: SittingRecord | None = None
) -> dict[str, Any]:
    """The session as the CLI shows it; with its ``record`` (read from its events) when given."""
    view: dict[str, Any] = {
        "id": sitting.id,
        "council": sitting.council_id,
        "held_at": sitting.held_at.isoformat(timespec="minutes"),
        "place": sitting.place,
        "status": sitting.status,
        "convened_on": _iso(sitting.convened_on),
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


def council_view(
    council: Council,
    members: Sequence[Member] = (),
    measures: Mapping[str, int | None] | None = None,
) -> dict[str, Any]:
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
    with ctx.store.session() as session:
        query = select(Act, Council.definition).join(
            Council, col(Council.id) == col(Act.council_id)
        )
        if council_id:
            get_council(session, council_id)
            query = query.where(Act.council_id == council_id)
        rows = session.exec(query.order_by(Act.council_id, Act.session_id, Act.rank)).all()
        result = []
        for act, definition_name in rows:
            definition = definitions.get(definition_name)
            view = act_view(act)
            view["next"] = definition.triggers_from(act.state)
            result.append(view)
        return result


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- prefecture, review, agenda
# (issue 3, items 8-10): the facts the rules of workflow/rules/prefecture.py and review.py read,
# the steps after executory, postponement, and what is due. Requests, appeals and rulings are
# read back from the act's history: the events are the record, no column duplicates them.


def _prefecture_facts(council: Council, act: Act) -> dict[str, Any]:
    """What the @CTES rules compare: the council's department and SIREN, the act's own parts."""
    return {
        "department": council.department,
        "siren": council.siren,
        "number": act.number,
        "nature": act.nature,
        "matiere": act.matiere,
    }


def review_requests(events: Iterable[Event]) -> list[Request]:
    """The requests recorded in an act's history (``request`` events), with their answers."""
    requests: list[Request] = []
    for event in events:
        if event.trigger == "request":
            requests.append(Request.from_dict(event.facts["request"]))
        elif event.trigger == "answer" and event.legal_date is not None:
            answered = Request.from_dict(event.facts["answering"])
            if answered in requests:
                requests[requests.index(answered)] = replace(answered, answered_on=event.legal_date)
    return requests


def _review_facts(
    session: Session, ctx: Context, act: Act, trigger: str, on: date, **extra: Any
) -> Facts:
    sitting = get_sitting(session, act.session_id)
    council = get_council(session, act.council_id)
    base = _base_facts(session, ctx, act, sitting, trigger, on)
    requests = review_requests(act_events(session, act.id))
    return replace(
        base,
        extra={
            **base.extra,
            "council": council.id,
            "department": council.department,
            "executory_on": _iso(act.executory_on),
            "requests": [r.to_dict() for r in requests],
            **extra,
        },
    )


def _step(
    ctx: Context,
    act_id: str,
    trigger: str,
    on: date | None,
    changes: dict[str, Any] | None = None,
    **extra: Any,
) -> Act:
    """One step of an act after its vote, dated ``on`` (default: today in France)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        day = on or legal_today(ctx.now())
        facts = _review_facts(session, ctx, act, trigger, day, **extra)
        return _advance(session, ctx, act, trigger, facts, dict(changes or {}))

    return _retrying(ctx, work)


def _required_text(value: str | None, option: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(f"{option} cannot be empty.", f"{option} ne peut être vide.")
    return value.strip()


PARTIES = {"prefect": "prefect", "third-party": "third_party", "third_party": "third_party"}


def _party(by: str) -> str:
    if by not in PARTIES:
        raise InvalidInput(
            f"--by takes 'prefect' or 'third-party', not '{by}'.",
            f"--by prend « prefect » ou « third-party », pas « {by} ».",
        )
    return PARTIES[by]


def request_review(ctx: Context, act_id: str, *, on: date, by: str, kind: str) -> Act:
    """Record a request that extends a window: the prefect's request for documents, recours
    gracieux or request for communication; a third party's recours gracieux (L2131-6, R421-1)."""
    request = Request(by=_party(by), kind=kind, on=on)
    return _step(ctx, act_id, "request", on, request=request.to_dict())


def answer_request(ctx: Context, act_id: str, *, on: date, by: str | None = None) -> Act:
    """Record the council's answer to the oldest pending request (of ``by``, when given)."""
    party = _party(by) if by else None

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        pending = [
            r
            for r in review_requests(act_events(session, act.id))
            if r.answered_on is None and (party is None or r.by == party)
        ]
        if not pending:
            raise InvalidInput(
                f"{act.id} has no pending request to answer (delib act request records one).",
                f"{act.id} n'a aucune demande en attente de réponse (delib act request en enregistre une).",
            )
        facts = _review_facts(session, ctx, act, "answer", on, answering=pending[0].to_dict())
        return _advance(session, ctx, act, "answer", facts, {})

    return _retrying(ctx, work)


def contest_act(
    ctx: Context, act_id: str, *, on: date, by: str, reference: str | None = None
) -> Act:
    """An appeal lodged against the act: the prefect's déféré or a third party's recours."""
    return _step(ctx, act_id, "contest", on, appeal={"by": _party(by), "reference": reference})


def uphold_act(ctx: Context, act_id: str, *, on: date, ruling: str) -> Act:
    """The court dismissed the appeal: the act stands (executory again)."""
    return _step(ctx, act_id, "uphold", on, ruling=_required_text(ruling, "--ruling"))


def annul_act(ctx: Context, act_id: str, *, on: date, ruling: str) -> Act:
    """The court annulled the act (``--ruling`` is the judgment's reference)."""
    return _step(ctx, act_id, "annul", on, ruling=_required_text(ruling, "--ruling"))


def finalize_act(ctx: Context, act_id: str, *, on: date | None = None) -> Act:
    """The act becomes final (*définitif*): both windows closed, no appeal pending."""
    return _step(ctx, act_id, "finalize", on)


def withdraw_act(ctx: Context, act_id: str, *, on: date, basis: str, grounds: str) -> Act:
    """Withdrawal (*retrait*) of the act by the council, on a basis the CRPA allows."""
    return _step(
        ctx,
        act_id,
        "withdraw",
        on,
        withdrawal_basis=basis,
        grounds=_required_text(grounds, "--grounds"),
    )


def postpone_act(
    ctx: Context, act_id: str, *, to: str | None = None, on: date | None = None
) -> Act:
    """Put an item off before its vote: onto a later session's agenda (``to``), or until its
    session is convened again. At the session, dated the session's day."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        day = on or (
            sitting.held_at.date() if act.state == "in_session" else legal_today(ctx.now())
        )
        extra: dict[str, Any] = {"from_session": act.session_id}
        changes: dict[str, Any] = {}
        if to is not None:
            target = get_sitting(session, to)
            extra["target"] = {
                "id": target.id,
                "council": target.council_id,
                "held_on": target.held_at.date().isoformat(),
                "status": target.status,
            }
            rank = session.exec(
                select(func.count()).select_from(Act).where(Act.session_id == target.id)
            ).one()
            changes = {"session_id": target.id, "rank": (rank or 0) + 1}
        facts = _review_facts(session, ctx, act, "postpone", day, **extra)
        return _advance(session, ctx, act, "postpone", facts, changes)

    return _retrying(ctx, work)


def remove_from_agenda(ctx: Context, act_id: str, *, on: date | None = None) -> Act:
    """Take an item off the agenda before its vote (at the session: dated the session's day)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        day = on or (
            sitting.held_at.date() if act.state == "in_session" else legal_today(ctx.now())
        )
        facts = _review_facts(session, ctx, act, "remove", day)
        return _advance(session, ctx, act, "remove", facts, {})

    return _retrying(ctx, work)


def exempt_from_transmission(ctx: Context, act_id: str, *, ground: str) -> Act:
    """Declare the act one L2131-2 leaves out of transmission (before its publication): it will be
    executory on publication alone. The ground is checked by the ``transmission_exemption`` rule."""
    from workflow.rules import RULES

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        before_publication = ("draft", "convened", "in_session", "postponed", "adopted")
        if act.state not in before_publication:
            raise InvalidTransition(
                f"{act.id} is '{act.state}': an exemption from transmission is declared before "
                f"publication (states: {', '.join(before_publication)}).",
                f"{act.id} est « {act.state} » : la dispense de transmission se déclare avant la "
                f"publication (états : {', '.join(before_publication)}).",
            )
        sitting = get_sitting(session, act.session_id)
        today = legal_today(ctx.now())
        facts = replace(
            _base_facts(session, ctx, act, sitting, "exempt", today),
            extra={"transmission_exemption": ground, "nature": act.nature},
        )
        result = RULES["transmission_exemption"](facts, {})
        if not result.passed:
            raise RuleRefused("exempt", act.id, [result])
        moved = session.execute(
            update(Act)
            .where(col(Act.id) == act.id, col(Act.version) == act.version)
            .values(subject_to_transmission=False, version=act.version + 1)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentChange(
                f"{act.id} was changed by someone else meanwhile; nothing was written.",
                f"{act.id} a été modifié par quelqu'un d'autre entre-temps ; rien n'a été enregistré.",
            )
        append_event(
            session,
            ctx,
            act.council_id,
            trigger="exempt",
            act_id=act.id,
            session_id=act.session_id,
            from_state=act.state,
            to_state=act.state,
            facts={"transmission_exemption": ground, "subject_to_transmission": False},
            verdicts=[result.to_dict()],
        )
        session.expire(act)
        return get_act(session, act_id)

    return _retrying(ctx, work)


def due(
    ctx: Context,
    council_id: str | None = None,
    *,
    today: date | None = None,
    within_days: int | None = None,
) -> list[DueItem]:
    """What each act and session of the council (or of every council) needs next, by when."""
    day = today or legal_today(ctx.now())
    with ctx.store.session() as session:
        if council_id:
            get_council(session, council_id)
        councils = {c.id: c for c in session.exec(select(Council))}
        act_query = select(Act).where(col(Act.state).in_(DUE_STATES))
        sitting_query = select(Sitting)
        if council_id:
            act_query = act_query.where(Act.council_id == council_id)
            sitting_query = sitting_query.where(Sitting.council_id == council_id)
        acts = list(session.exec(act_query))
        sittings = list(session.exec(sitting_query.order_by(Sitting.council_id, Sitting.held_at)))
        by_id = {s.id: s for s in sittings}
        if council_id is None:
            by_id.update({s.id: s for s in session.exec(select(Sitting))})
        events = _events_by_act(session, [a.id for a in acts])
        snapshots = [
            ActSnapshot(
                id=a.id,
                council=a.council_id,
                session_id=a.session_id,
                session_date=by_id[a.session_id].held_at.date(),
                state=a.state,
                nature=a.nature,
                subject_to_transmission=a.subject_to_transmission,
                posted_on=a.posted_on,
                filed_on=a.filed_on,
                executory_on=a.executory_on,
                requests=tuple(review_requests(events.get(a.id, []))),
                department=councils[a.council_id].department,
            )
            for a in acts
        ]
        session_snapshots = _session_snapshots(session, sittings)
    return collect(snapshots, session_snapshots, day, within_days)


DUE_STATES = ("adopted", "posted", "filed", "executory", "contested")


def _events_by_act(session: Session, act_ids: Sequence[str]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = {}
    if not act_ids:
        return grouped
    query = (
        select(Event)
        .where(col(Event.act_id).in_(act_ids), col(Event.trigger).in_(("request", "answer")))
        .order_by(Event.council_id, Event.seq)
    )
    for event in session.exec(query):
        grouped.setdefault(event.act_id or "", []).append(event)
    return grouped


def _session_snapshots(session: Session, sittings: Sequence[Sitting]) -> list[SessionSnapshot]:
    """Each session with the dates of its list of deliberations and minutes, from its events
    (the ``list_posted`` and ``minutes`` steps), and the date of the council's next session."""
    steps: dict[tuple[str, str], date] = {}
    ids = [s.id for s in sittings]
    if ids:
        query = select(Event).where(
            col(Event.session_id).in_(ids), col(Event.trigger).in_(SESSION_STEP_TRIGGERS)
        )
        for event in session.exec(query):
            if event.legal_date is not None and event.session_id is not None:
                steps.setdefault((event.session_id, event.trigger), event.legal_date)
    snapshots = []
    for sitting in sittings:
        later = [  # a session that did not deliberate approves no minutes
            s.held_at.date()
            for s in sittings
            if s.council_id == sitting.council_id
            and s.held_at > sitting.held_at
            and s.status not in NOT_DELIBERATING
        ]
        snapshots.append(
            SessionSnapshot(
                id=sitting.id,
                council=sitting.council_id,
                held_on=sitting.held_at.date(),
                status=sitting.status,
                list_published_on=steps.get((sitting.id, "list_posted")),
                minutes_approved_on=steps.get((sitting.id, "minutes")),
                minutes_published_on=steps.get((sitting.id, "minutes_online")),
                next_session_on=min(later) if later else None,
            )
        )
    return snapshots


SESSION_STEP_TRIGGERS = ("list_posted", "minutes", "minutes_online")
NOT_DELIBERATING = ("quorum_failed", "adjourned", "reconvened")


def transmission_id_of(session: Session, act: Act) -> str | None:
    """The act's @CTES identifier, when its council has a department and a SIREN."""
    council = get_council(session, act.council_id)
    if not (council.department and council.siren):
        return None
    sitting = get_sitting(session, act.session_id)
    return transmission_id(
        council.department, council.siren, sitting.held_at.date(), act.number, act.nature
    )
