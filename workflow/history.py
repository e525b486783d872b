"""The history fold: every fact about an act, a séance, a council and its members, derived by one
pure function of the events (no I/O, no clock).

The event log is the record; the rows of the ``act``, ``session``, ``council`` and ``member``
tables are a cache of what this module computes from it. Every reader goes through here:

- the transition writes the row :func:`evolve_act` / :func:`evolve_sitting` gives for the event it
  appends (so the row written *is* the fold's result);
- ``act show --as-of`` and the replay are :func:`act_as_of`;
- ``audit verify`` rebuilds every row by :func:`fold` and names each stored value that differs;
- the register, the session's view and ``due`` read a :class:`SittingState`.

An event is anything with the attributes of :class:`EventLike` (a stored ``Event``, a row of a
raw query, a :class:`Step` about to be appended). ``facts`` and ``verdicts`` are parsed JSON.

The executory date is computed here alone (:func:`executory_date`, CGCT art. L2131-1): the later
of publication and transmission, or publication alone for an act not subject to transmission.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as clock
from typing import Any, Protocol, TypeVar

from workflow.dates import legal_today
from workflow.definition import Definition, Lifecycle
from workflow.facts import Facts
from workflow.names import name_key
from workflow.rules.conditions import CONDITIONS

# ---------------------------------------------------------------- the events the fold reads

IMPORT = "import"
SITTING_PREFIX = "session_"  # a séance's own transitions are stored as session_convene, session_open...
COUNCIL_ADD, MEMBER_ADD, SESSION_ADD, CREATE = "council_add", "member_add", "session_add", "create"
COUNCIL_EDIT, MEMBER_LEAVE = "council_edit", "member_leave"  # the council over time (legal-dated)
CORRECT = "act_correct"  # the rectification of a transcription error: the act's state is unchanged
TEXT, ATTACH = "act_text", "act_attach"  # the draft's text (a new version), an annex (by SHA-256)
ELECT = "elect"  # one round of an appointment or an election (CGCT art. L2121-21)
KEEPS_STATE = (CORRECT, TEXT, ATTACH)  # records on the act that leave its state as it is
LEAVE_REASONS = ("resignation", "death", "other")
EDITABLE = ("name", "population", "siren", "siret", "department", "publication")  # what ``council edit`` changes
IMPORTED_SITTING = "imported"  # a séance known only from imported history (SCDL)


class EventLike(Protocol):
    """What the fold reads of an event (the columns of the ``event`` table)."""

    @property
    def seq(self) -> int: ...
    @property
    def council_id(self) -> str: ...
    @property
    def act_id(self) -> str | None: ...
    @property
    def session_id(self) -> str | None: ...
    @property
    def trigger(self) -> str: ...
    @property
    def from_state(self) -> str | None: ...
    @property
    def to_state(self) -> str | None: ...
    @property
    def legal_date(self) -> date | None: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def facts(self) -> Any: ...
    @property
    def verdicts(self) -> Any: ...


@dataclass(frozen=True)
class Step:
    """An event about to be appended (its ``seq`` is the chain's business, 0 until then)."""

    council_id: str
    trigger: str
    recorded_at: datetime
    act_id: str | None = None
    session_id: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    legal_date: date | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    verdicts: Sequence[Mapping[str, Any]] = ()
    seq: int = 0


S = TypeVar("S")


def _evolved(state: S, changes: Mapping[str, Any]) -> S:
    """``dataclasses.replace(state, **changes)`` without running ``__init__`` again (the fold's
    values have no ``__post_init__``): a copy of its fields with ``changes`` applied. The fold
    evolves a row once per event, so this is its hot path (``audit verify`` folds every event).
    ``changes`` names fields only (``tests/workflow/test_history.py`` checks it against ``replace``)."""
    evolved = object.__new__(type(state))
    evolved.__dict__.update(state.__dict__, **changes)
    return evolved


def overridden(event: EventLike) -> bool:
    """An event recorded with a rule overridden: the act or séance is irregular from then on."""
    return any(isinstance(v, Mapping) and v.get("overridden") for v in event.verdicts or ())


def _facts(event: EventLike) -> Mapping[str, Any]:
    return event.facts if isinstance(event.facts, Mapping) else {}


def _day(value: Any) -> date | None:
    """An ISO date of the facts (None when absent or not a date: a tampered log still folds)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _moment(value: Any, day: date) -> datetime:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else datetime.combine(day, clock())
    except ValueError:
        return datetime.combine(day, clock())


# ---------------------------------------------------------------- acts


@dataclass(frozen=True)
class ActState:
    """An act as its events make it: the columns of the ``act`` table (see ``store.models.Act``)."""

    id: str
    council_id: str
    session_id: str
    number: str
    rank: int | None
    subject: str
    state: str
    version: int = 1
    matiere: str | None = None
    nature: str = "DE"
    kind: str = "deliberation"
    subject_to_transmission: bool = True
    attendance: Mapping[str, Any] | None = None
    vote: Mapping[str, Any] | None = None
    voted_on: date | None = None
    posted_on: date | None = None
    filed_on: date | None = None
    ack: str | None = None
    executory_on: date | None = None
    irregular: bool = False
    corrected_on: date | None = None  # the legal date of the last rectification (``act_correct``)
    corrects: str | None = None  # the act a délibération rectificative corrects
    text_sha256: str | None = None  # the SHA-256 of its text (content in the ``document`` table)
    annexes: Sequence[Mapping[str, Any]] | None = None  # each annex: sha256, name, title, size
    election: Mapping[str, Any] | None = None  # an appointment's seats, its rounds, who is elected

    def columns(self) -> dict[str, Any]:
        """The values of the act's row."""
        return {name: getattr(self, name) for name in ACT_COLUMNS}


ACT_COLUMNS = tuple(ActState.__dataclass_fields__)


def executory_date(act: ActState) -> date | None:
    """The day an act became executory (CGCT art. L2131-1): once published and, when subject to
    transmission, transmitted — the later of the two dates."""
    if act.subject_to_transmission:
        known = [d for d in (act.posted_on, act.filed_on) if d is not None]
        return max(known) if known else None
    return act.posted_on


def begin_act(event: EventLike) -> ActState:
    """The act an event creates: put on the agenda (``create``) or imported as published."""
    facts = _facts(event)
    act_id = event.act_id or ""
    act = ActState(
        id=act_id,
        council_id=event.council_id,
        session_id=event.session_id or "",
        number=str(facts.get("number", act_id.rsplit("/", 1)[-1])),
        rank=facts.get("rank"),
        subject=str(facts.get("subject", "")),
        matiere=facts.get("matiere"),
        nature=str(facts.get("nature", "DE")),
        kind=str(facts.get("kind", "deliberation")),
        subject_to_transmission=bool(facts.get("subject_to_transmission", True)),
        state=event.to_state or "",
        irregular=overridden(event),
        corrects=facts.get("corrects") if isinstance(facts.get("corrects"), str) else None,
        text_sha256=facts.get("text_sha256") if isinstance(facts.get("text_sha256"), str) else None,
        election=_election_begun(facts),
    )
    if event.trigger == IMPORT:
        vote = facts.get("vote")
        act = replace(
            act,
            vote={**vote, "took_part": facts.get("took_part")} if isinstance(vote, Mapping) else None,
            voted_on=_day(facts.get("session_date")),
            filed_on=_day(facts.get("filed_on")),
            executory_on=_day(facts.get("executory_on")),
        )
    return act


def evolve_act(act: ActState, event: EventLike, state: str | None = None) -> ActState:
    """The act after one of its events. ``state`` is where the event leads (its ``to_state``
    unless the caller routed it otherwise, see :func:`act_as_of`)."""
    facts = _facts(event)
    changes: dict[str, Any] = {"state": event.to_state if state is None else state, "version": act.version + 1}
    if event.session_id:  # an item moved to another séance (reconvened, postponed) goes with it
        changes["session_id"] = event.session_id
    if "subject_to_transmission" in facts:
        changes["subject_to_transmission"] = bool(facts["subject_to_transmission"])
    if isinstance(facts.get("rank"), int):  # put off to another séance's agenda, at its end
        changes["rank"] = facts["rank"]
    if isinstance(facts.get("attendance"), Mapping):
        changes["attendance"] = facts["attendance"]
    if event.trigger == "vote" and isinstance(facts.get("vote"), Mapping):
        changes["vote"] = {**facts["vote"], "took_part": facts.get("took_part")}
        changes["voted_on"] = event.legal_date
    elif event.trigger == ELECT and isinstance(facts.get("election"), Mapping):
        changes["election"] = _election_round(act.election, facts["election"])
        changes["voted_on"] = event.legal_date
    elif event.trigger == "post":
        changes["posted_on"] = event.legal_date
    elif event.trigger == "file":
        changes["filed_on"] = event.legal_date
        changes["ack"] = facts.get("ack")
    elif event.trigger == CORRECT:
        changes.update(_corrected(act, event, facts))
    elif event.trigger == TEXT:
        changes.update(state=act.state, text_sha256=facts.get("text_sha256"))
    elif event.trigger == ATTACH and isinstance(facts.get("annex"), Mapping):
        changes.update(state=act.state, annexes=[*(act.annexes or ()), dict(facts["annex"])])
    if overridden(event):
        changes["irregular"] = True
    after = _evolved(act, changes)
    if after.state == "executory" and after.executory_on is None:
        after = _evolved(after, {"executory_on": executory_date(after)})
    return after


def _election_begun(facts: Mapping[str, Any]) -> dict[str, Any] | None:
    """An appointment put on the agenda: its seats, no round held yet (None for another act)."""
    seats = facts.get("seats")
    if not isinstance(seats, int) or isinstance(seats, bool):
        return None
    return {"seats": seats, "rounds": [], "elected": []}


def _election_round(election: Mapping[str, Any] | None, held: Mapping[str, Any]) -> dict[str, Any]:
    """The appointment after one more round (``elect``): the round kept with its figures and its
    result, and who it elects added to those already elected."""
    before = dict(election or {"seats": held.get("seats", 1), "rounds": [], "elected": []})
    elected = [n for n in held.get("elected", ()) if isinstance(n, str)]
    return {
        **before,
        "rounds": [*before.get("rounds", ()), dict(held)],
        "elected": [*before.get("elected", ()), *elected],
    }


def _corrected(act: ActState, event: EventLike, facts: Mapping[str, Any]) -> dict[str, Any]:
    """What a rectification (``act_correct``) supersedes: the vote's figures (kept with the number
    who took part), the subject, the attendance (set by :func:`evolve_act` for every event that
    carries one; those who took part are recounted with it); the act stays where it stands."""
    changes: dict[str, Any] = {"state": act.state, "corrected_on": event.legal_date}
    took_part = facts.get("took_part", (act.vote or {}).get("took_part"))
    if isinstance(facts.get("vote"), Mapping):
        changes["vote"] = {**facts["vote"], "took_part": took_part}
    elif isinstance(facts.get("attendance"), Mapping) and act.vote is not None:
        changes["vote"] = {**act.vote, "took_part": took_part}  # those who took part, recounted
    if isinstance(facts.get("subject"), str):
        changes["subject"] = facts["subject"]
    return changes


def fold_act(events: Iterable[EventLike]) -> ActState | None:
    """An act from its events in the order recorded (None when it has none)."""
    act: ActState | None = None
    for event in events:
        act = begin_act(event) if act is None else evolve_act(act, event)
    return act


BASES = ("legal", "recorded")


def act_as_of(definition: Definition, events: Sequence[EventLike], day: date, basis: str = "legal") -> ActState | None:
    """The act at the end of ``day``; None when it did not exist yet.

    ``basis="legal"``: the steps whose LEGAL date is on or before ``day`` have happened, whenever
    recorded, applied in the order of their legal dates (ties in the order recorded); a step whose
    recorded ``from_state`` is not where the act then stands is routed through the definition (a
    publication and a transmission recorded in one order but dated in the other give, each day,
    the state the law gives). Putting an act on the agenda has no legal date.
    ``basis="recorded"``: what the register showed at the end of ``day`` (France), in the order recorded.
    """
    if basis == "recorded":
        chosen = [e for e in events if legal_today(e.recorded_at) <= day]
    else:
        dated = [e for e in events if e.from_state is None or e.legal_date is None or e.legal_date <= day]
        chosen = sorted(dated, key=lambda e: (e.legal_date or date.min, e.seq))
    act: ActState | None = None
    for event in chosen:
        if act is None:
            if event.from_state is None:
                act = begin_act(event)
            continue
        keeps = event.trigger in KEEPS_STATE
        destination = act.state if keeps else _route(definition.transitions, act.state, event)
        if destination is not None:
            act = evolve_act(act, event, destination)
    return act


def _route(transitions: Iterable[Any], state: str, event: EventLike) -> str | None:
    """Where ``event`` leads from ``state``: its recorded move when it starts there, else the
    definition's transition for its trigger from ``state`` whose conditions hold (None: none)."""
    if event.from_state == state:
        return event.to_state
    facts = Facts.from_record(event.trigger, _facts(event), legal_date=event.legal_date)
    for transition in transitions:
        routed = transition.trigger == event.trigger and state in transition.source
        if routed and all(CONDITIONS[name](facts) for name in transition.when):
            return str(transition.dest)
    return None


# ---------------------------------------------------------------- séances


@dataclass(frozen=True)
class SittingState:
    """A séance as its events make it: the columns of the ``session`` table and what happened to
    it (second convocation, failed opening, urgency ruling, list of deliberations, minutes)."""

    id: str
    council_id: str
    held_at: datetime
    place: str | None
    status: str
    convened_on: date | None = None
    urgent: bool = False
    attendance: Mapping[str, Any] | None = None
    version: int = 1
    second_convocation: bool = False
    first_convocation_irregular: bool = False  # the failed first meeting's convocation overrode a rule
    reconvened_from: str | None = None
    reconvened_as: str | None = None
    quorum_failed_on: date | None = None
    urgency_ruling: str | None = None
    list_posted_on: date | None = None
    minutes_approved_at: str | None = None
    minutes_approved_on: date | None = None
    minutes_online_on: date | None = None
    closed_at: str | None = None
    irregular: bool = False

    def columns(self) -> dict[str, Any]:
        """The values of the séance's row."""
        return {name: getattr(self, name) for name in SITTING_COLUMNS}

    def to_dict(self) -> dict[str, Any]:
        """What happened to the séance, as its view shows it (dates in ISO form)."""
        return {
            "second_convocation": self.second_convocation,
            "first_convocation_irregular": self.first_convocation_irregular,
            "reconvened_from": self.reconvened_from,
            "reconvened_as": self.reconvened_as,
            "quorum_failed_on": _iso(self.quorum_failed_on),
            "urgency_ruling": self.urgency_ruling,
            "list_posted_on": _iso(self.list_posted_on),
            "minutes_approved_at": self.minutes_approved_at,
            "minutes_approved_on": _iso(self.minutes_approved_on),
            "minutes_online_on": _iso(self.minutes_online_on),
            "closed_at": self.closed_at,
            "irregular": self.irregular,
        }


SITTING_COLUMNS = ("id", "council_id", "held_at", "place", "status", "convened_on", "urgent", "attendance", "version")


def begin_sitting(lifecycle: Lifecycle, event: EventLike) -> SittingState:
    """The séance an event creates: planned (``session_add``; convened at once when it is the
    new convocation of an earlier meeting) or known from imported history."""
    facts = _facts(event)
    sitting_id = event.session_id or ""
    if event.trigger == IMPORT:
        day = _day(facts.get("session_date")) or event.legal_date or date.min
        return SittingState(sitting_id, event.council_id, datetime.combine(day, clock()), None, IMPORTED_SITTING)
    held_at = _moment(facts.get("held_at"), event.legal_date or date.min)
    reconvened_from = facts.get("reconvened_from")
    return SittingState(
        id=sitting_id,
        council_id=event.council_id,
        held_at=held_at,
        place=facts.get("place"),
        status=event.to_state or ("convened" if reconvened_from else lifecycle.initial),
        convened_on=_day(facts.get("convened_on")),
        urgent=bool(facts.get("urgent", False)),
        second_convocation=bool(facts.get("second_convocation", False)),
        first_convocation_irregular=bool(facts.get("first_convocation_irregular", False)),
        reconvened_from=reconvened_from,
        irregular=overridden(event) or bool(facts.get("first_convocation_irregular", False)),
    )


def evolve_sitting(sitting: SittingState, event: EventLike) -> SittingState:
    """The séance after one of its own events (``act_id`` empty): its transitions (``session_*``
    events, which carry its status in ``to_state``) and the steps of its register."""
    facts = _facts(event)
    changes: dict[str, Any] = {}
    trigger = event.trigger
    if event.act_id is None and trigger.startswith(SITTING_PREFIX) and event.to_state:
        changes = {"status": event.to_state, "version": sitting.version + 1}
        own = trigger.removeprefix(SITTING_PREFIX)
        if own == "convene":
            changes.update(convened_on=event.legal_date, urgent=bool(facts.get("urgent", False)))
        elif own in ("open", "quorum_failure") and isinstance(facts.get("attendance"), Mapping):
            changes["attendance"] = facts["attendance"]
            if own == "quorum_failure":
                changes["quorum_failed_on"] = event.legal_date
            elif facts.get("urgency_ruling"):
                changes["urgency_ruling"] = facts["urgency_ruling"]
        elif own == "close":
            changes["closed_at"] = facts.get("closed_at")
    if trigger == "session_reconvene" and facts.get("reconvened_as"):
        changes["reconvened_as"] = facts["reconvened_as"]
    elif trigger == "list_posted":
        changes["list_posted_on"] = event.legal_date
    elif trigger == "minutes":
        changes.update(minutes_approved_at=facts.get("approving_session"), minutes_approved_on=event.legal_date)
    elif trigger == "minutes_online":
        changes["minutes_online_on"] = event.legal_date
    if overridden(event):
        changes["irregular"] = True
    return _evolved(sitting, changes) if changes else sitting


def fold_sitting(lifecycle: Lifecycle, events: Iterable[EventLike]) -> SittingState | None:
    """A séance from the events that name it, in the order recorded."""
    sitting: SittingState | None = None
    for event in events:
        if sitting is None:
            if event.trigger in (SESSION_ADD, IMPORT) and event.act_id is None:
                sitting = begin_sitting(lifecycle, event)
            continue
        sitting = evolve_sitting(sitting, event)
    return sitting


# ---------------------------------------------------------------- councils and members


@dataclass(frozen=True)
class CouncilState:
    """A council as its events make it (the ``council`` table; its measures)."""

    id: str
    name: str
    kind: str
    definition: str
    created_at: datetime
    population: int | None = None
    siren: str | None = None
    department: str | None = None
    largest_commune_population: int | None = None
    siret: str | None = None
    publication: Mapping[str, str] | None = None  # the mode a deliberation chose (L2131-1 IV): mode, by
    dated: Mapping[str, date] = field(default_factory=dict)  # each edited value's legal date

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COUNCIL_COLUMNS}

    def measures(self) -> dict[str, int | None]:
        """What chooses the tiers of the definition's parameters."""
        return {"population": self.population, "largest_commune_population": self.largest_commune_population}


COUNCIL_COLUMNS = ("id", "name", "kind", "population", "siren", "department", "definition", "created_at", "siret")


@dataclass(frozen=True)
class MemberState:
    """A member as the events make them (the ``member`` table, less its surrogate id)."""

    council_id: str
    name: str
    name_key: str
    is_mayor: bool = False
    in_office: bool = True
    deputy: int | None = None  # rank in the order of nominations of the deputies (L2122-17)
    since: date | None = None  # installed that day (None: in office with no known start)
    left_on: date | None = None  # out of office from that day (resignation, death...)
    left_reason: str | None = None
    born: date | None = None  # birth date: the eldest wins an election on a tie (L2121-21)

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in MEMBER_COLUMNS}

    def in_office_on(self, day: date) -> bool:
        """In office (*en exercice*) on ``day``: installed by then (or with no known start) and
        not yet gone — a member whose resignation takes effect on ``day`` no longer counts
        (CGCT art. L2121-4: the resignation is final once the mayor receives it)."""
        return (self.since is None or self.since <= day) and (self.left_on is None or day < self.left_on)


MEMBER_COLUMNS = (
    "council_id",
    "name",
    "name_key",
    "is_mayor",
    "in_office",
    "deputy",
    "since",
    "left_on",
    "left_reason",
    "born",
)


def begin_council(event: EventLike) -> CouncilState:
    facts = _facts(event)
    return CouncilState(
        id=event.council_id,
        name=str(facts.get("name", "")),
        kind=str(facts.get("kind", "")),
        definition=str(facts.get("definition", "")),
        created_at=event.recorded_at,
        population=facts.get("population"),
        siren=facts.get("siren"),
        department=facts.get("department"),
        largest_commune_population=facts.get("largest_commune_population"),
        siret=facts.get("siret"),
    )


def evolve_council(council: CouncilState, event: EventLike) -> CouncilState:
    """The council after a ``council_edit``: each value it changes takes effect on the event's
    legal date; a change dated before the one already applied to that value does not replace it
    (the row shows the value in force last; :func:`council_as_of` gives it on any day)."""
    day = event.legal_date or date.min
    changes = _facts(event).get("changes")
    if not isinstance(changes, Mapping):
        return council
    applied = {k: v for k, v in changes.items() if k in EDITABLE and day >= council.dated.get(k, date.min)}
    if not applied:
        return council
    return replace(council, **applied, dated={**council.dated, **dict.fromkeys(applied, day)})


def council_as_of(events: Iterable[EventLike], day: date) -> CouncilState | None:
    """The council as it stood on ``day`` (its name, population, SIREN, SIRET, department in
    force that day): its ``council_add`` and the ``council_edit`` dated on or before ``day``.
    The rules read the population in force on a step's legal date (e.g. the delay of
    convocation of L2121-11 / L2121-12 changes at 3,500 inhabitants)."""
    council: CouncilState | None = None
    for event in events:
        if event.trigger == COUNCIL_ADD:
            council = begin_council(event)
        elif council is not None and event.trigger == COUNCIL_EDIT and (event.legal_date or date.min) <= day:
            council = evolve_council(council, event)
    return council


def members_added(event: EventLike) -> list[MemberState]:
    """The members a ``member_add`` event installs (``deputy``: the rank of a deputy, given for one
    member at a time; from its legal date when it has one: the installation; without it, in office
    with no known start)."""
    facts = _facts(event)
    mayor = bool(facts.get("mayor", False))
    deputy = facts.get("deputy") if isinstance(facts.get("deputy"), int) else None
    since = _day(facts.get("since"))
    born = _day(facts.get("born"))
    return [
        MemberState(event.council_id, name, name_key(name), mayor, deputy=deputy, since=since, born=born)
        for name in facts.get("names", ())
    ]


def member_left(member: MemberState, event: EventLike) -> MemberState:
    """The member after a ``member_leave``: out of office from its legal date, with its reason."""
    return replace(member, in_office=False, left_on=event.legal_date, left_reason=_facts(event).get("reason"))


# ---------------------------------------------------------------- the whole log


@dataclass
class History:
    """Everything a council's log (or several councils') proves, folded event by event."""

    councils: dict[str, CouncilState] = field(default_factory=dict)
    members: dict[tuple[str, str], MemberState] = field(default_factory=dict)  # (council, name_key)
    sittings: dict[str, SittingState] = field(default_factory=dict)
    acts: dict[str, ActState] = field(default_factory=dict)

    def apply(self, event: EventLike, lifecycle: Lifecycle | None = None) -> None:
        """Fold one more event (events come in ``seq`` order within each council)."""
        trigger = event.trigger
        if trigger == COUNCIL_ADD:
            self.councils[event.council_id] = begin_council(event)
        elif trigger == COUNCIL_EDIT and event.council_id in self.councils:
            self.councils[event.council_id] = evolve_council(self.councils[event.council_id], event)
        elif trigger == MEMBER_ADD:
            for member in members_added(event):
                self.members[(member.council_id, member.name_key)] = member
        elif trigger == MEMBER_LEAVE:
            key = (event.council_id, str(_facts(event).get("name_key", "")))
            if key in self.members:
                self.members[key] = member_left(self.members[key], event)
        if event.session_id and event.act_id is None:
            known = self.sittings.get(event.session_id)
            if known is None and trigger in (SESSION_ADD, IMPORT) and lifecycle is not None:
                self.sittings[event.session_id] = begin_sitting(lifecycle, event)
            elif known is not None:
                self.sittings[event.session_id] = evolve_sitting(known, event)
        if event.act_id:
            act = self.acts.get(event.act_id)
            self.acts[event.act_id] = begin_act(event) if act is None else evolve_act(act, event)


def fold(events: Iterable[EventLike], lifecycles: Mapping[str, Lifecycle]) -> History:
    """Every council, member, séance and act the events prove; ``lifecycles`` gives the séance
    lifecycle of each council's definition, by council id."""
    history = History()
    for event in events:
        history.apply(event, lifecycles.get(event.council_id))
    return history


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
