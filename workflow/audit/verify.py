"""Verifying the history: every hash, every link, and every act against the replay of its events.

Per council, in ``seq`` order, each event must have: ``seq`` = previous + 1 (1 for the first);
``prev_hash`` = the previous event's ``hash`` (``GENESIS`` for the first); ``hash`` = SHA-256 of
its canonical content. The FIRST event of a council where a check fails is diagnosed and named
(council + seq), with the kind of break:

- ``edited``: the event's content no longer gives its hash. The field is named when it can be
  reconstructed (the original value is one délib can guess: ``legal_date`` from the facts, a
  state or trigger of the definition, another actor of the council, the previous event's hash for
  ``prev_hash``, the recomputed hash for ``hash`` when the next event still points to it);
  ``facts``, ``verdicts`` and ``recorded_at`` cannot be reconstructed and are reported together.
- ``deleted``: a ``seq`` is missing, or the events after a deleted one were renumbered (an event
  whose hash only matches under a higher ``seq`` and whose predecessor is nowhere in the log).
- ``inserted``: an event that the next event's link skips, or whose insertion shifted the events
  after it (their hash only matches under a lower ``seq``).
- ``reordered``: an event whose hash only matches under another ``seq`` while its predecessor is
  still in the log (two events swapped, or one renumbered).
- ``edited`` too, naming the column, when the event's values still give its hash but its stored
  text is not the text délib wrote (``facts`` or ``verdicts`` in another JSON spelling, a date in
  another format): délib stores that text in canonical form (``workflow.store.history``), so any
  byte changed in it is tampering. Logs written before the canonical form (plain ``json.dumps``
  text) are accepted in that older text up to the first event of the council stored canonically,
  and not after it.

Then every act is replayed from its events: each step must leave the state the previous step
reached and be a transition of the council's definition (or the act's creation, an import of its
earlier history, or a record that leaves its state unchanged, such as an exemption from
transmission); the act's current ``state``, ``version`` (one per event) and dates must be those
the replay gives (``act_mismatch``, naming the act and the event concerned).

Speed: a first pass (``workflow.audit.sweep``) reads the log raw and hashes the stored texts
joined, without parsing them; only when something does not hold is the log read again, in the
detailed way above, to name the first break of each council.

Limits, stated to auditors: deleting the newest events of a log, or rewriting the whole chain with
freshly computed hashes, leaves a chain that is consistent by itself. The first shows as an act
ahead of its events when the deleted event was an act's step; both are caught by verifying
against a published checkpoint (``workflow.audit.checkpoint``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from workflow.audit.findings import Finding
from workflow.audit.findings import finding as _finding
from workflow.audit.rows import raw_folder, row_findings
from workflow.audit.source import (
    ACTS,
    COUNCILS,
    EVENTS,
    STORED_TEXTS,
    canonical_fields,
    count,
    events_query,
    stream,
    with_stored_texts,
)
from workflow.audit.sweep import sweep
from workflow.history import ActState, History, begin_act, evolve_act
from workflow.store.history import GENESIS, canonical_content, content_of, written_texts

Progress = Callable[[int], None]
SEARCH_SPAN = 64  # how far (in seq) a renumbered event is looked for
IMPORT = "import"
COUNCIL_TRIGGERS = ("council_add", "member_add", "session_add", "create", IMPORT)
ACT_DATES = ("voted_on", "posted_on", "filed_on", "executory_on")


@dataclass
class CouncilResult:
    council: str
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    bad_hashes: int = 0
    first_break: Finding | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "council": self.council,
            "events": self.events,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "events_whose_hash_fails": self.bad_hashes,
            "ok": self.first_break is None,
            "first_break": self.first_break.to_dict() if self.first_break else None,
        }


@dataclass
class VerifyResult:
    councils: list[CouncilResult]
    act_findings: list[Finding]
    acts: int
    checkpoint_findings: list[Finding] = _field(default_factory=list)
    checkpoint_checked: bool = False

    @property
    def events(self) -> int:
        return sum(c.events for c in self.councils)

    @property
    def findings(self) -> list[Finding]:
        breaks = [c.first_break for c in self.councils if c.first_break]
        return breaks + self.act_findings + self.checkpoint_findings

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "acts": self.acts,
            "councils": [c.to_dict() for c in self.councils],
            "act_findings": [f.to_dict() for f in self.act_findings],
            "checkpoint_checked": self.checkpoint_checked,
            "checkpoint_findings": [f.to_dict() for f in self.checkpoint_findings],
            "findings": [f.to_dict() for f in self.findings],
        }


def digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_content(**fields)).hexdigest()


# ---------------------------------------------------------------- the walk


def events_to_verify(session: Session, council: str | None = None) -> int:
    return count(session, events_query(council=council))


def verify(session: Session, council: str | None = None, progress: Progress | None = None) -> VerifyResult:
    """Verify the chain of every council (or one) and replay every act; read-only."""
    forward = _Forward(progress)
    names = _council_names(session, council)
    moves = _council_moves(session)
    history = History()
    swept = sweep(session, council, names, moves, forward, raw_folder(session, history))
    if swept is None:  # something does not hold: name it
        result = _verify_in_detail(session, council, forward, moves)
        named = {f.act for f in result.act_findings if f.act}
        result.act_findings.extend(row_findings(session, council, skip_acts=named))
        return result
    heads, acts = swept
    forward(sum(events for events, _, _ in heads.values()))
    councils = [
        CouncilResult(name, events=events, head_seq=seq, head_hash=head)
        for name, (events, seq, head) in sorted(heads.items())
    ]
    return VerifyResult(councils, row_findings(session, council, history=history), acts)


class _Forward:
    """Reports progress only forward (the detailed pass starts again from the first event)."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.reached = 0

    def __call__(self, done: int) -> None:
        if self.progress is not None and done >= self.reached:
            self.reached = done
            self.progress(done)


def _verify_in_detail(
    session: Session, council: str | None, progress: Progress, moves: dict[str, Moves]
) -> VerifyResult:
    replay = _ActReplay(session, council, moves)
    texts = _StoredTexts()
    results: dict[str, CouncilResult] = {}
    suspects: dict[str, tuple[Any, Any, str | None]] = {}
    state: CouncilResult | None = None
    prev: Any = None
    done = 0
    dialect = session.get_bind().dialect.name
    for row in stream(session, with_stored_texts(events_query(council=council), dialect)):
        if state is None or row.council_id != state.council:
            state = results.setdefault(row.council_id, CouncilResult(row.council_id))
            prev = None
        ok_hash = hashlib.sha256(content_of(row)).hexdigest() == row.hash
        rewritten = texts.rewritten(row) if ok_hash else None
        state.events += 1
        if not ok_hash or rewritten:
            state.bad_hashes += 1
        expected_seq, expected_prev = (prev.seq + 1, prev.hash) if prev is not None else (1, GENESIS)
        if row.council_id not in suspects and (
            not ok_hash or rewritten or row.seq != expected_seq or row.prev_hash != expected_prev
        ):
            suspects[row.council_id] = (prev, row, rewritten)
        state.head_seq, state.head_hash = row.seq, row.hash
        replay.feed(row)
        prev = row
        done += 1
        if done % 1000 == 0:
            progress(done)
    progress(done)
    for name in _council_names(session, council):
        results.setdefault(name, CouncilResult(name))
    for name, (before, row, rewritten) in suspects.items():
        results[name].first_break = Diagnosis(session).diagnose(before, row, rewritten)
    act_findings = replay.findings()
    _reclassify_inserted(results, act_findings)
    return VerifyResult(sorted(results.values(), key=lambda r: r.council), act_findings, replay.act_count)


class _StoredTexts:
    """Is an event's stored text the text délib wrote? Older logs: see the module docstring."""

    def __init__(self) -> None:
        self.canonical_from: set[str] = set()  # councils whose log has reached the canonical text

    def rewritten(self, row: Any) -> str | None:
        """The first column whose stored text is not délib's, for an event whose values hold."""
        mapping = row._mapping
        written = written_texts(row)
        differ = [n for n in STORED_TEXTS if mapping[f"stored_{n}"] != written[n]]
        council = row.council_id
        if not differ:
            if any(written[n] != json.dumps(mapping[n]) for n in ("facts", "verdicts")):
                self.canonical_from.add(council)
            return None
        older = council not in self.canonical_from and all(
            n in ("facts", "verdicts") and mapping[f"stored_{n}"] == json.dumps(mapping[n]) for n in differ
        )
        return None if older else differ[0]


def _council_moves(session: Session) -> dict[str, Moves]:
    definitions = dict(session.execute(select(COUNCILS.c.id, COUNCILS.c.definition)).all())
    return {c: Moves.of(d) for c, d in definitions.items()}


def _council_names(session: Session, council: str | None) -> list[str]:
    query = select(COUNCILS.c.id)
    if council:
        query = query.where(COUNCILS.c.id == council)
    return [r[0] for r in session.execute(query)]


def _reclassify_inserted(results: dict[str, CouncilResult], act_findings: list[Finding]) -> None:
    """An 'edited' last event that its act's version does not count is an inserted one."""
    beyond = {(f.council, f.seq) for f in act_findings if f.figures.get("beyond_version")}
    for result in results.values():
        found = result.first_break
        if found and found.kind == "edited" and (found.council, found.seq) in beyond:
            result.first_break = _finding(
                "inserted",
                found.council,
                found.seq,
                f"event {found.council}#{found.seq} was added: its act's version does not count "
                "it, and its hash does not match its content",
                f"l'événement {found.council}#{found.seq} a été ajouté : la version de son acte "
                "ne le compte pas, et son empreinte ne correspond pas à son contenu",
                act=found.act,
            )


# ---------------------------------------------------------------- diagnosing the first break


class Diagnosis:
    """Explains the first event of a council where the chain breaks (queries by hash and seq)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._original: dict[tuple[str, int], int | None] = {}

    def by_hash(self, value: str) -> list[Any]:
        return list(self.session.execute(select(EVENTS).where(EVENTS.c.hash == value)))

    def at(self, council: str, seq: int) -> Any:
        return self.session.execute(select(EVENTS).where(EVENTS.c.council_id == council, EVENTS.c.seq == seq)).first()

    def diagnose(self, prev: Any, row: Any, rewritten: str | None = None) -> Finding:
        council = row.council_id
        expected_seq, expected_prev = (prev.seq + 1, prev.hash) if prev is not None else (1, GENESIS)
        if row.seq > expected_seq:
            return self._gap(row, expected_seq)
        if digest(canonical_fields(row)) == row.hash:
            if rewritten and row.seq == expected_seq and row.prev_hash == expected_prev:
                return _rewritten(row, rewritten)
            return self._bad_link(prev, row)
        original = self.original_seq(row)
        if original is not None and original < row.seq:
            return _finding(
                "inserted",
                council,
                original,
                f"{row.seq - original} event(s) were inserted at {council}#{original}: the event "
                f"written as #{original} now stands at #{row.seq}",
                f"{row.seq - original} événement(s) insérés en {council}#{original} : "
                f"l'événement écrit sous le n° {original} est désormais au n° {row.seq}",
                figures={"written_as": original, "now_at": row.seq},
            )
        if original is not None:
            return self._moved_back(row, original)
        return self._edited(row, expected_prev)

    def _gap(self, row: Any, expected_seq: int) -> Finding:
        council = row.council_id
        missing = list(range(expected_seq, row.seq))
        figures: dict[str, Any] = {"missing": missing, "next_present": row.seq}
        for holder in self.by_hash(row.prev_hash):
            if holder.council_id == council:
                return _finding(
                    "reordered",
                    council,
                    row.seq - 1,
                    f"the event written as {council}#{row.seq - 1} now stands at #{holder.seq}",
                    f"l'événement écrit sous le n° {council}#{row.seq - 1} est désormais au n° {holder.seq}",
                    figures={**figures, "written_as": row.seq - 1, "now_at": holder.seq},
                )
            return _finding(
                "deleted",
                council,
                row.seq - 1,
                f"event {council}#{row.seq - 1} was taken out of the log and now stands in "
                f"{holder.council_id}#{holder.seq}",
                f"l'événement {council}#{row.seq - 1} a été retiré du journal et se trouve en "
                f"{holder.council_id}#{holder.seq}",
                figures={**figures, "moved_to": f"{holder.council_id}#{holder.seq}"},
            )
        span = f"#{missing[0]}" if len(missing) == 1 else f"#{missing[0]}–#{missing[-1]}"
        return _finding(
            "deleted",
            council,
            missing[0],
            f"event(s) {council}{span} were deleted: the log jumps from #{expected_seq - 1} to #{row.seq}",
            f"événement(s) {council}{span} supprimé(s) : le journal passe du n° {expected_seq - 1} au n° {row.seq}",
            figures=figures,
        )

    def _bad_link(self, prev: Any, row: Any) -> Finding:
        """The event is intact but is not chained to the event before it."""
        council = row.council_id
        holders = [h for h in self.by_hash(row.prev_hash) if h.council_id == council]
        if holders and prev is not None and holders[0].seq < prev.seq:
            first = holders[0].seq + 1
            return _finding(
                "inserted",
                council,
                first,
                f"event(s) {council}#{first}–#{prev.seq} were inserted: #{row.seq} was written "
                f"right after #{holders[0].seq}",
                f"événement(s) {council}#{first}–#{prev.seq} insérés : le n° {row.seq} a été "
                f"écrit juste après le n° {holders[0].seq}",
                figures={"written_after": holders[0].seq},
            )
        if holders:
            return _finding(
                "reordered",
                council,
                row.seq,
                f"event {council}#{row.seq} was written after #{holders[0].seq}: the log was reordered",
                f"l'événement {council}#{row.seq} a été écrit après le n° {holders[0].seq} : le "
                "journal a été réordonné",
                figures={"written_after": holders[0].seq},
            )
        named = prev.seq if prev is not None else row.seq
        return _finding(
            "inserted",
            council,
            named,
            f"event {council}#{named} is not the event that #{row.seq} was chained to (that one "
            "is nowhere in the log): it was replaced or forged",
            f"l'événement {council}#{named} n'est pas celui auquel le n° {row.seq} a été chaîné "
            "(introuvable dans le journal) : il a été remplacé ou fabriqué",
            figures={"expected_prev_hash": row.prev_hash},
        )

    def _moved_back(self, row: Any, original: int) -> Finding:
        council = row.council_id
        holders = [h for h in self.by_hash(row.prev_hash) if h.council_id == council]
        if holders or row.prev_hash == GENESIS:
            return _finding(
                "reordered",
                council,
                row.seq,
                f"the event now at {council}#{row.seq} was written as #{original}: the log was reordered",
                f"l'événement désormais en {council}#{row.seq} a été écrit sous le n° {original} "
                ": le journal a été réordonné",
                figures={"written_as": original, "now_at": row.seq},
            )
        deleted = original - 1
        return _finding(
            "deleted",
            council,
            deleted,
            f"the event written as {council}#{deleted} was deleted and the events after it "
            f"renumbered (#{original} now stands at #{row.seq})",
            f"l'événement écrit sous le n° {council}#{deleted} a été supprimé et les suivants "
            f"renumérotés (le n° {original} est désormais au n° {row.seq})",
            figures={"written_as": original, "now_at": row.seq},
        )

    def _edited(self, row: Any, expected_prev: str) -> Finding:
        council = row.council_id
        following = self.at(council, row.seq + 1)
        if following is not None and following.prev_hash == expected_prev and row.prev_hash == expected_prev:
            return _finding(
                "inserted",
                council,
                row.seq,
                f"event {council}#{row.seq} was inserted: the next event is chained to the one before it",
                f"l'événement {council}#{row.seq} a été inséré : l'événement suivant est chaîné à celui qui le précède",
                act=row.act_id,
            )
        guessed = self.edited_field(row, expected_prev, following)
        if guessed is None:
            return _finding(
                "edited",
                council,
                row.seq,
                f"event {council}#{row.seq} was edited: its content no longer gives its hash "
                "(facts, verdicts, recorded_at, or several fields)",
                f"l'événement {council}#{row.seq} a été modifié : son contenu ne donne plus son "
                "empreinte (faits, verdicts, date d'enregistrement, ou plusieurs champs)",
                act=row.act_id,
            )
        name, was = guessed
        now = row._mapping[name]
        return _finding(
            "edited",
            council,
            row.seq,
            f"event {council}#{row.seq} was edited: {name} was {_show(was)}, now {_show(now)}",
            f"l'événement {council}#{row.seq} a été modifié : {name} valait {_show(was)}, désormais {_show(now)}",
            act=row.act_id,
            field=name,
            figures={"was": _show(was), "now": _show(now)},
        )

    def original_seq(self, row: Any, depth: int = 0) -> int | None:
        """The seq under which this event's hash was computed (None: its content was edited)."""
        key = (row.council_id, row.seq)
        if key in self._original:
            return self._original[key]
        self._original[key] = None  # guards against cycles
        fields = canonical_fields(row)
        result: int | None = row.seq if digest(fields) == row.hash else None
        if result is None and depth < SEARCH_SPAN:
            candidates = [1] if row.prev_hash == GENESIS else []
            for holder in self.by_hash(row.prev_hash):
                if holder.council_id == row.council_id:
                    before = self.original_seq(holder, depth + 1)
                    if before is not None:
                        candidates.append(before + 1)
            low = max(1, row.seq - SEARCH_SPAN)
            candidates += [s for s in range(low, row.seq + SEARCH_SPAN + 1) if s != row.seq]
            result = next((s for s in candidates if digest({**fields, "seq": s}) == row.hash), None)
        self._original[key] = result
        return result

    def edited_field(self, row: Any, expected_prev: str, following: Any) -> tuple[str, Any] | None:
        """The single field whose original value gives back the hash, with that value."""
        fields = canonical_fields(row)
        recomputed = digest(fields)
        if following is not None and following.prev_hash == recomputed:
            return "hash", row.hash
        for name, values in self._candidates(row, expected_prev):
            for value in values:
                if value != fields[name] and digest({**fields, name: value}) == row.hash:
                    return name, value
        return None

    def _candidates(self, row: Any, expected_prev: str) -> list[tuple[str, list[Any]]]:
        council = row.council_id
        states, triggers = _definition_vocabulary(self.session, council)
        actors = [
            r[0] for r in self.session.execute(select(EVENTS.c.actor).where(EVENTS.c.council_id == council).distinct())
        ]
        legal = row.facts.get("legal_date") if isinstance(row.facts, dict) else None
        dates = [date.fromisoformat(legal)] if isinstance(legal, str) else []
        acts = [r[0] for r in self.session.execute(select(ACTS.c.id).where(ACTS.c.council_id == council))]
        facts = dict(row.facts) if isinstance(row.facts, dict) else {}
        if row.legal_date is not None:
            facts["legal_date"] = row.legal_date.isoformat()
        return [
            ("prev_hash", [expected_prev]),
            ("legal_date", [*dates, None]),
            ("from_state", [*states, None]),
            ("to_state", [*states, None]),
            ("trigger", triggers),
            ("actor", actors),
            ("act_id", [*acts, None]),
            ("facts", [facts]),
        ]


def _rewritten(row: Any, name: str) -> Finding:
    """An event whose values still give its hash, but whose stored text was changed."""
    council, seq = row.council_id, row.seq
    stored, written = row._mapping[f"stored_{name}"], written_texts(row)[name]
    return _finding(
        "edited",
        council,
        seq,
        f"event {council}#{seq} was rewritten: its stored {name} is not the text délib wrote "
        "(same values, other bytes; délib stores it in canonical form)",
        f"l'événement {council}#{seq} a été réécrit : son champ {name} enregistré n'est pas le "
        "texte écrit par délib (mêmes valeurs, autres octets ; délib l'enregistre sous forme "
        "canonique)",
        act=row.act_id,
        field=name,
        figures={"stored": _clip(stored), "written": _clip(written)},
    )


def _clip(text: str | None, limit: int = 200) -> str:
    if text is None:
        return "null"
    return text if len(text) <= limit else text[:limit] + "…"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _definition_vocabulary(session: Session, council: str) -> tuple[list[str], list[str]]:
    name = session.execute(select(COUNCILS.c.definition).where(COUNCILS.c.id == council)).scalar()
    moves = Moves.of(name)
    triggers = sorted({t for t, _, _ in moves.allowed} | set(moves.steps) | set(COUNCIL_TRIGGERS))
    return sorted(moves.states), triggers


@dataclass(frozen=True)
class Moves:
    """What a definition lets an act's event be: a transition, its creation, an import, a step."""

    allowed: frozenset[tuple[str, str | None, str]]
    states: frozenset[str]
    steps: frozenset[str]
    known: bool = True

    @classmethod
    def of(cls, definition_name: str | None) -> Moves:
        from workflow import definition as definitions
        from workflow.errors import DefinitionError

        try:
            spec = definitions.get(definition_name or "")
        except DefinitionError:
            return cls(frozenset(), frozenset(), frozenset(), known=False)
        allowed: set[tuple[str, str | None, str]] = {("create", None, spec.initial)}
        for t in spec.transitions:
            allowed |= {(t.trigger, source, t.dest) for source in t.source}
        return cls(frozenset(allowed), frozenset(spec.states), frozenset(spec.steps))

    def allows(self, trigger: str, source: str | None, dest: str | None) -> bool:
        """Unknown definitions allow everything (the chain is still checked)."""
        if not self.known or (trigger, source, dest) in self.allowed:
            return True
        if trigger == IMPORT and source is None:  # history before délib, imported as published
            return dest in self.states
        # a record on the act that leaves its state as it is (a step of the definition, an
        # exemption from transmission...): the chain and the act's version still account for it
        return source is not None and source == dest


# ---------------------------------------------------------------- acts against their events


@dataclass
class _Replay:
    act: ActState | None = None  # the act as the history fold makes it, event by event
    events: int = 0
    last_seq: int = 0
    beyond_seq: int | None = None
    broken: tuple[int, dict[str, str]] | None = None

    @property
    def state(self) -> str | None:
        return self.act.state if self.act is not None else None


class _ActReplay:
    """Folds each act from its events while the log streams by (memory: one entry per act), and
    checks each step against the state the fold had reached and the council's definition."""

    def __init__(self, session: Session, council: str | None, moves: dict[str, Moves]) -> None:
        query = select(
            ACTS.c.id,
            ACTS.c.council_id,
            ACTS.c.state,
            ACTS.c.version,
            *(ACTS.c[name] for name in ACT_DATES),
        )
        if council:
            query = query.where(ACTS.c.council_id == council)
        self.acts = {r.id: r for r in stream(session, query)}
        self.act_count = len(self.acts)
        self.replays: dict[str, _Replay] = {}
        self.moves = moves

    def feed(self, row: Any) -> None:
        if row.act_id is None:
            return
        replay = self.replays.setdefault(row.act_id, _Replay())
        replay.events += 1
        if replay.broken is None:
            replay.broken = self._check_step(row, replay)
        replay.act = begin_act(row) if replay.act is None else evolve_act(replay.act, row)
        replay.last_seq = row.seq
        act = self.acts.get(row.act_id)
        if act is not None and replay.events == act.version + 1:
            replay.beyond_seq = row.seq

    def _check_step(self, row: Any, replay: _Replay) -> tuple[int, dict[str, str]] | None:
        if row.from_state != replay.state:
            return row.seq, {
                "en": f"step '{row.trigger}' starts from '{row.from_state}' but the act was '{replay.state}'",
                "fr": f"l'étape « {row.trigger} » part de « {row.from_state} » alors que l'acte "
                f"était « {replay.state} »",
            }
        moves = self.moves.get(row.council_id)
        if moves is not None and not moves.allows(row.trigger, row.from_state, row.to_state):
            return row.seq, {
                "en": f"'{row.trigger}' from '{row.from_state}' to '{row.to_state}' is no "
                "transition of the council's definition",
                "fr": f"« {row.trigger} » de « {row.from_state} » vers « {row.to_state} » n'est "
                "pas une transition de la définition de l'assemblée",
            }
        return None

    def findings(self) -> list[Finding]:
        found = [f for act_id, act in self.acts.items() if (f := self._compare(act_id, act))]
        for act_id in sorted(set(self.replays) - set(self.acts)):
            replay = self.replays[act_id]
            found.append(
                _finding(
                    "act_mismatch",
                    act_id.split("/")[0],
                    replay.last_seq,
                    f"the log holds {replay.events} event(s) of {act_id}, which is not in the act table (deleted?)",
                    f"le journal contient {replay.events} événement(s) de {act_id}, absent de la "
                    "table des actes (supprimé ?)",
                    act=act_id,
                )
            )
        return found

    def _compare(self, act_id: str, act: Any) -> Finding | None:
        replay = self.replays.get(act_id)
        council = act.council_id
        if replay is None:
            return _finding(
                "act_mismatch",
                council,
                None,
                f"{act_id} has no event in the log: its history was deleted or the act inserted",
                f"{act_id} n'a aucun événement dans le journal : son historique a été supprimé ou l'acte inséré",
                act=act_id,
                field="version",
            )
        if replay.broken is not None:
            seq, text = replay.broken
            added = replay.events > act.version and seq == replay.beyond_seq
            return _finding(
                "act_mismatch",
                council,
                seq,
                f"{act_id}, event {council}#{seq}: {text['en']}",
                f"{act_id}, événement {council}#{seq} : {text['fr']}",
                act=act_id,
                field="from_state",
                figures={"beyond_version": True} if added else {},
            )
        if replay.events > act.version:
            return _finding(
                "act_mismatch",
                council,
                replay.beyond_seq,
                f"{act_id} is at version {act.version} but the log holds {replay.events} of its "
                f"events: event {council}#{replay.beyond_seq} was added to its history",
                f"{act_id} est à la version {act.version} mais le journal contient "
                f"{replay.events} de ses événements : l'événement {council}#{replay.beyond_seq} "
                "a été ajouté à son historique",
                act=act_id,
                field="version",
                figures={"version": act.version, "events": replay.events, "beyond_version": True},
            )
        if replay.events < act.version:
            return _finding(
                "act_mismatch",
                council,
                replay.last_seq,
                f"{act_id} is at version {act.version} (state '{act.state}') but the log holds "
                f"only {replay.events} of its events, the last {council}#{replay.last_seq} "
                f"(state '{replay.state}'): its later steps were deleted",
                f"{act_id} est à la version {act.version} (état « {act.state} ») mais le journal "
                f"ne contient que {replay.events} de ses événements, le dernier "
                f"{council}#{replay.last_seq} (état « {replay.state} ») : ses étapes suivantes "
                "ont été supprimées",
                act=act_id,
                field="version",
                figures={"version": act.version, "events": replay.events},
            )
        if replay.state != act.state:
            return _finding(
                "act_mismatch",
                council,
                replay.last_seq,
                f"{act_id} is '{act.state}' but its events lead to '{replay.state}' (last event "
                f"{council}#{replay.last_seq})",
                f"{act_id} est « {act.state} » mais ses événements mènent à « {replay.state} » "
                f"(dernier événement {council}#{replay.last_seq})",
                act=act_id,
                field="state",
                figures={"act": act.state, "replay": replay.state},
            )
        for name in ACT_DATES:
            stored, proven = getattr(act, name), getattr(replay.act, name)
            if stored != proven:
                return _finding(
                    "act_mismatch",
                    council,
                    replay.last_seq,
                    f"{act_id}: {name} is {_show(stored)} but its events give "
                    f"{_show(proven)} (up to {council}#{replay.last_seq})",
                    f"{act_id} : {name} vaut {_show(stored)} mais ses événements donnent "
                    f"{_show(proven)} (jusqu'à {council}#{replay.last_seq})",
                    act=act_id,
                    field=name,
                    figures={"act": _show(stored), "replay": _show(proven)},
                )
        return None
