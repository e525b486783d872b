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

from sqlalchemy import func, update
from sqlalchemy.exc import DBAPIError, IntegrityError
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
from workflow.store.database import Store, lock_chain, lost_race, pause_before_retry
from workflow.store.history import GENESIS, canonical_content, event_hash
from workflow.store.models import Act, Council, Event, Member, Sitting

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
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound(f"No council '{council_id}'.", f"Aucune assemblée « {council_id} ».")
    return council


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
) -> Event:
    """Append one event to the council's chain (in the caller's transaction).

    The chain is locked first (until commit) so that concurrent appends queue; the unique
    ``(council_id, seq)`` refuses a fork whatever happens, and ``_retrying`` reruns the loser.
    """
    lock_chain(session, council_id)
    last = session.exec(
        select(Event.seq, Event.hash)
        .where(Event.council_id == council_id)
        .order_by(col(Event.seq).desc())
        .limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    fields: dict[str, Any] = dict(
        council_id=council_id,
        seq=seq,
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
    event = Event(**fields, hash=event_hash(canonical_content(**fields)))
    session.add(event)
    session.flush()
    return event


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
) -> Council:
    """Register a council; its workflow definition is chosen from its kind and population."""
    check_slug(slug)
    if population is not None and population < 0:
        raise InvalidInput("Population cannot be negative.", "La population ne peut être négative.")
    chosen = definitions.for_council(kind, population)
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
            raise InvalidInput(f"Council '{slug}' already exists.", f"L'assemblée « {slug} » existe déjà.")
        session.add(council)
        session.flush()
        append_event(
            session, ctx, slug, trigger="council_add", legal_date=None,
            facts={"name": name, "kind": kind, "population": population, "siren": council.siren,
                   "department": council.department, "definition": chosen.name},
        )
        return council

    return _retrying(ctx, work)


def add_members(ctx: Context, council_id: str, names: Sequence[str], *, mayor: bool = False) -> list[Member]:
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
        existing = {m.name_key: m.name for m in session.exec(select(Member).where(Member.council_id == council_id))}
        for key, name in zip(keys, cleaned, strict=True):
            if key in existing:
                raise InvalidInput(
                    f"'{name}' is already a member of {council_id} (as '{existing[key]}').",
                    f"« {name} » est déjà membre de {council_id} (sous le nom « {existing[key]} »).",
                )
        added = [Member(council_id=council_id, name=n, name_key=k, is_mayor=mayor) for n, k in zip(cleaned, keys, strict=True)]
        session.add_all(added)
        session.flush()
        append_event(session, ctx, council_id, trigger="member_add", facts={"names": cleaned, "mayor": mayor})
        return added

    return _retrying(ctx, work)


def add_session(ctx: Context, council_id: str, *, held_at: datetime, place: str | None = None) -> Sitting:
    """Plan a session; its id is ``COUNCIL/YYYY-MM-DD`` (``-2`` for a second one the same day)."""

    def work(session: Session) -> Sitting:
        get_council(session, council_id)
        index = 1
        while session.get(Sitting, make_session_id(council_id, held_at.date(), index)) is not None:
            index += 1
        sitting = Sitting(id=make_session_id(council_id, held_at.date(), index), council_id=council_id,
                          held_at=held_at, place=place)
        session.add(sitting)
        session.flush()
        append_event(session, ctx, council_id, trigger="session_add", session_id=sitting.id,
                     legal_date=held_at.date(), facts={"held_at": held_at.isoformat(timespec="minutes"), "place": place})
        return sitting

    return _retrying(ctx, work)


def _next_default_number(session: Session, council_id: str, day: date, rank: int) -> str:
    """Date + rank on the agenda; past the numbers already taken that day (a second session)."""
    number = default_act_number(day, rank)
    while session.get(Act, make_act_id(council_id, number)) is not None:
        rank += 1
        number = default_act_number(day, rank)
    return number


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
    """Put an act on a session's agenda, in state ``draft``; numbered date + rank unless given."""
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
        rank = (session.exec(select(func.count()).select_from(Act).where(Act.session_id == sitting_id)).one() or 0) + 1
        act_number = number or _next_default_number(session, council.id, sitting.held_at.date(), rank)
        new_id = make_act_id(council.id, act_number)
        if session.get(Act, new_id) is not None:
            raise InvalidInput(
                f"Act number {act_number} is already used in {council.id}; give another with --number.",
                f"Le numéro {act_number} est déjà pris dans {council.id} ; donnez-en un autre avec --number.",
            )
        initial = definitions.get(council.definition).initial
        act = Act(id=new_id, council_id=council.id, session_id=sitting_id, number=act_number, rank=rank,
                  subject=subject.strip(), matiere=matiere, nature=nature,
                  subject_to_transmission=subject_to_transmission, state=initial)
        session.add(act)
        session.flush()
        append_event(session, ctx, council.id, trigger="create", act_id=act.id, session_id=sitting_id,
                     to_state=initial, facts={"number": act_number, "rank": rank, "subject": act.subject,
                                              "matiere": matiere, "nature": nature})
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
    if facts.second_convocation:
        record["second_convocation"] = True
    record.update(facts.extra)
    return record


def _base_facts(session: Session, ctx: Context, act: Act, sitting: Sitting, trigger: str, legal_date: date) -> Facts:
    council = get_council(session, act.council_id)
    last = session.exec(
        select(Event.legal_date).where(Event.act_id == act.id, Event.legal_date != None)  # noqa: E711
        .order_by(col(Event.seq).desc()).limit(1)
    ).first()
    return Facts(
        trigger=trigger,
        legal_date=legal_date,
        recorded_on=legal_today(ctx.now()),
        previous_date=last,
        session_date=sitting.held_at.date(),
        convocation_date=sitting.convened_on,
        population=council.population,
        members_in_office=len(members_in_office(session, council.id)),
        posted_on=act.posted_on,
        filed_on=act.filed_on,
        urgent=sitting.urgent,
        extra={"subject_to_transmission": act.subject_to_transmission},
    )


def _advance(session: Session, ctx: Context, act: Act, trigger: str, facts: Facts, changes: dict[str, Any]) -> Act:
    """Apply one trigger to one act: engine, then the act's row and its event, same transaction."""
    council = get_council(session, act.council_id)
    outcome: Outcome = engine_for(council.definition).apply(
        act.state, trigger, facts, population=council.population, subject_id=act.id, overrides=ctx.overrides
    )
    values = dict(changes)
    if outcome.to_state == "executory" and act.executory_on is None:
        posted = values.get("posted_on", act.posted_on)
        filed = values.get("filed_on", act.filed_on)
        values["executory_on"] = max(d for d in (posted, filed) if d is not None)
    irregular = any(v.overridden for v in outcome.verdicts)
    if irregular:
        values["irregular"] = True
    result = session.execute(
        update(Act)
        .where(col(Act.id) == act.id, col(Act.version) == act.version)
        .values(state=outcome.to_state, version=act.version + 1, **values)
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
        session, ctx, act.council_id, trigger=trigger, act_id=act.id, session_id=act.session_id,
        from_state=outcome.from_state, to_state=outcome.to_state, legal_date=facts.legal_date,
        facts=record, verdicts=[v.to_dict() for v in outcome.verdicts],
    )
    session.expire(act)
    refreshed = session.get(Act, act.id)
    assert refreshed is not None
    return refreshed


def convene_session(ctx: Context, sitting_id: str, *, on: date, urgent: bool = False) -> list[Act]:
    """Send the convocation (L2121-10): every act on the agenda goes from draft to convened."""

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        acts = session_acts(session, sitting_id)
        if not acts:
            raise InvalidInput(
                f"Session {sitting_id} has no act on its agenda: a convocation states the agenda (CGCT art. L2121-10). Add acts first.",
                f"La séance {sitting_id} n'a aucun acte à l'ordre du jour : la convocation indique l'ordre du jour (CGCT art. L2121-10). Ajoutez d'abord des actes.",
            )
        sitting.convened_on = on
        sitting.urgent = urgent
        done = []
        for act in acts:
            facts = _base_facts(session, ctx, act, sitting, "convene", on)
            done.append(_advance(session, ctx, act, "convene", facts, {}))
        sitting.status = "convened"
        sitting.version += 1
        session.add(sitting)
        return done

    return _retrying(ctx, work)


def resolve_attendance(
    members: Iterable[str],
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
    secretary: str | None = None,
    president: str | None = None,
) -> Attendance:
    """The attendance at the opening, from what the clerk typed.

    A proxy giver is absent. Without any ``present``, every member in office who is neither
    absent nor a giver is present (the clerk types the few absent, not the many present).
    """
    names = list(members)
    pairs = [(match_name(g, names), match_name(h, names)) for g, h in proxies]
    givers = [g for g, _ in pairs]
    if len(set(givers)) != len(givers):
        raise InvalidInput("A member gives two proxies.", "Un membre donne deux pouvoirs.")
    absent_set = {match_name(n, names) for n in absent}
    if present:
        present_set = {match_name(n, names) for n in present}
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
        proxies=tuple(sorted(pairs)),
        absent=frozenset(absent_set - set(givers)),
        secretary=match_name(secretary, names) if secretary else None,
        president=match_name(president, names) if president else None,
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
) -> list[Act]:
    """Open the session: quorum, proxies and secretary are checked; acts go to in_session."""

    def work(session: Session) -> list[Act]:
        sitting = get_sitting(session, sitting_id)
        members = members_in_office(session, sitting.council_id)
        mayor = next((m.name for m in members if m.is_mayor), None)
        attendance = resolve_attendance(
            [m.name for m in members], present=present, absent=absent, proxies=proxies,
            secretary=secretary, president=president or mayor,
        )
        acts = session_acts(session, sitting_id)
        if not acts:
            raise InvalidInput(f"Session {sitting_id} has no act.", f"La séance {sitting_id} n'a aucun acte.")
        done = []
        for act in acts:
            facts = replace(
                _base_facts(session, ctx, act, sitting, "open", sitting.held_at.date()), attendance=attendance
            )
            done.append(_advance(session, ctx, act, "open", facts, {"attendance": attendance.to_dict()}))
        sitting.attendance = attendance.to_dict()
        sitting.status = "open"
        sitting.version += 1
        session.add(sitting)
        return done

    return _retrying(ctx, work)


def item_attendance(
    opening: Attendance,
    names: Sequence[str],
    *,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
) -> Attendance:
    """The attendance for one item: the opening's, less those who left, plus those who arrived."""
    left_set = {match_name(n, names) for n in left}
    arrived_set = {match_name(n, names) for n in arrived}
    recused_set = {match_name(n, names) for n in recused}
    present = (opening.present - left_set) | arrived_set
    givers_arrived = {g for g, _ in opening.proxies if g in arrived_set}
    proxies = tuple((g, h) for g, h in opening.proxies if g not in givers_arrived)
    unknown_recused = recused_set - present
    if unknown_recused:
        raise InvalidInput(
            f"{', '.join(sorted(unknown_recused))}: recused but not present.",
            f"{', '.join(sorted(unknown_recused))} : déporté(s) mais absent(s).",
        )
    return Attendance(
        present=frozenset(present),
        proxies=proxies,
        absent=frozenset((opening.absent | left_set) - arrived_set),
        recused=frozenset(recused_set),
        secretary=opening.secretary,
        president=opening.president,
    )


def vote_act(
    ctx: Context,
    act_id: str,
    *,
    for_: int,
    against: int,
    abstain: int,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
    secret: bool = False,
    president_voted: str | None = None,
) -> Act:
    """Record the vote on one item; quorum and the counts are checked at this item."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        opening = Attendance.from_dict(sitting.attendance or {})
        names = [m.name for m in members_in_office(session, act.council_id)]
        attendance = item_attendance(opening, names, left=left, arrived=arrived, recused=recused)
        vote = VoteCount(for_=for_, against=against, abstain=abstain, secret=secret, president_voted=president_voted)
        facts = replace(
            _base_facts(session, ctx, act, sitting, "vote", sitting.held_at.date()), attendance=attendance, vote=vote
        )
        return _advance(session, ctx, act, "vote", facts, {
            "vote": {**vote.to_dict(), "took_part": attendance.taking_part},
            "attendance": attendance.to_dict(),
            "voted_on": sitting.held_at.date(),
        })

    return _retrying(ctx, work)


def post_act(ctx: Context, act_id: str, *, on: date) -> Act:
    """Publication (posting or online) on ``on``; executory if already transmitted (L2131-1)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        facts = replace(_base_facts(session, ctx, act, sitting, "post", on), posted_on=on)
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


def sitting_view(sitting: Sitting, acts: Sequence[Act] = ()) -> dict[str, Any]:
    return {
        "id": sitting.id,
        "council": sitting.council_id,
        "held_at": sitting.held_at.isoformat(timespec="minutes"),
        "place": sitting.place,
        "status": sitting.status,
        "convened_on": _iso(sitting.convened_on),
        "urgent": sitting.urgent,
        "attendance": sitting.attendance,
        "acts": [a.id for a in acts],
    }


def council_view(council: Council, members: Sequence[Member] = ()) -> dict[str, Any]:
    return {
        "id": council.id,
        "name": council.name,
        "kind": council.kind,
        "population": council.population,
        "siren": council.siren,
        "department": council.department,
        "definition": council.definition,
        "members_in_office": len(members),
        "members": [{"name": m.name, "mayor": m.is_mayor} for m in members],
    }


def status(ctx: Context, council_id: str | None = None) -> list[dict[str, Any]]:
    """Every act with its state and the next steps its definition allows."""
    with ctx.store.session() as session:
        query = select(Act, Council.definition).join(Council, col(Council.id) == col(Act.council_id))
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


def _review_facts(session: Session, ctx: Context, act: Act, trigger: str, on: date, **extra: Any) -> Facts:
    sitting = get_sitting(session, act.session_id)
    council = get_council(session, act.council_id)
    base = _base_facts(session, ctx, act, sitting, trigger, on)
    requests = review_requests(act_events(session, act.id))
    return replace(base, extra={
        **base.extra,
        "council": council.id,
        "department": council.department,
        "executory_on": _iso(act.executory_on),
        "requests": [r.to_dict() for r in requests],
        **extra,
    })


def _step(ctx: Context, act_id: str, trigger: str, on: date | None, changes: dict[str, Any] | None = None,
          **extra: Any) -> Act:
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
            r for r in review_requests(act_events(session, act.id))
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


def contest_act(ctx: Context, act_id: str, *, on: date, by: str, reference: str | None = None) -> Act:
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
    return _step(ctx, act_id, "withdraw", on, withdrawal_basis=basis,
                 grounds=_required_text(grounds, "--grounds"))


def postpone_act(ctx: Context, act_id: str, *, to: str | None = None, on: date | None = None) -> Act:
    """Put an item off before its vote: onto a later session's agenda (``to``), or until its
    session is convened again. At the session, dated the session's day."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        day = on or (sitting.held_at.date() if act.state == "in_session" else legal_today(ctx.now()))
        extra: dict[str, Any] = {"from_session": act.session_id}
        changes: dict[str, Any] = {}
        if to is not None:
            target = get_sitting(session, to)
            extra["target"] = {"id": target.id, "council": target.council_id,
                               "held_on": target.held_at.date().isoformat(), "status": target.status}
            rank = session.exec(select(func.count()).select_from(Act).where(Act.session_id == target.id)).one()
            changes = {"session_id": target.id, "rank": (rank or 0) + 1}
        facts = _review_facts(session, ctx, act, "postpone", day, **extra)
        return _advance(session, ctx, act, "postpone", facts, changes)

    return _retrying(ctx, work)


def remove_from_agenda(ctx: Context, act_id: str, *, on: date | None = None) -> Act:
    """Take an item off the agenda before its vote (at the session: dated the session's day)."""

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        sitting = get_sitting(session, act.session_id)
        day = on or (sitting.held_at.date() if act.state == "in_session" else legal_today(ctx.now()))
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
        facts = replace(_base_facts(session, ctx, act, sitting, "exempt", today), extra={
            "transmission_exemption": ground, "nature": act.nature})
        result = RULES["transmission_exemption"](facts, {})
        if not result.passed:
            raise RuleRefused("exempt", act.id, [result])
        moved = session.execute(
            update(Act).where(col(Act.id) == act.id, col(Act.version) == act.version)
            .values(subject_to_transmission=False, version=act.version + 1)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentChange(
                f"{act.id} was changed by someone else meanwhile; nothing was written.",
                f"{act.id} a été modifié par quelqu'un d'autre entre-temps ; rien n'a été enregistré.",
            )
        append_event(session, ctx, act.council_id, trigger="exempt", act_id=act.id,
                     session_id=act.session_id, from_state=act.state, to_state=act.state,
                     facts={"transmission_exemption": ground, "subject_to_transmission": False},
                     verdicts=[result.to_dict()])
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
                id=a.id, council=a.council_id, session_id=a.session_id,
                session_date=by_id[a.session_id].held_at.date(), state=a.state, nature=a.nature,
                subject_to_transmission=a.subject_to_transmission, posted_on=a.posted_on,
                filed_on=a.filed_on, executory_on=a.executory_on,
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
            s.held_at.date() for s in sittings
            if s.council_id == sitting.council_id and s.held_at > sitting.held_at
            and s.status not in NOT_DELIBERATING
        ]
        snapshots.append(SessionSnapshot(
            id=sitting.id, council=sitting.council_id, held_on=sitting.held_at.date(),
            status=sitting.status,
            list_published_on=steps.get((sitting.id, "list_posted")),
            minutes_approved_on=steps.get((sitting.id, "minutes")),
            minutes_published_on=steps.get((sitting.id, "minutes_online")),
            next_session_on=min(later) if later else None,
        ))
    return snapshots


SESSION_STEP_TRIGGERS = ("list_posted", "minutes", "minutes_online")
NOT_DELIBERATING = ("quorum_failed", "adjourned", "reconvened")


def transmission_id_of(session: Session, act: Act) -> str | None:
    """The act's @CTES identifier, when its council has a department and a SIREN."""
    council = get_council(session, act.council_id)
    if not (council.department and council.siren):
        return None
    sitting = get_sitting(session, act.session_id)
    return transmission_id(council.department, council.siren, sitting.held_at.date(), act.number, act.nature)
