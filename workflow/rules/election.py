"""Appointments and elections by the council (*nominations*, *désignations*): CGCT art. L2121-21.

A secret ballot, unless the council decides unanimously to vote openly; an absolute majority of
the votes cast at the first two rounds (blank and null ballots are not votes cast), a relative
majority at the third; on an equal number of votes the eldest is elected. For the département
and the région (L3121-15, L4132-14) the secret ballot and the unanimity are in the article; the
three rounds and the eldest are L2121-21's, applied to them (unconfirmed: those articles do not
set the rounds of an appointment; the definitions say so).

Each round is one ``elect`` event: its candidates and their votes, the blank and null ballots,
the votes cast, the majority required and who it elects (:func:`round_result`). A multi-seat
appointment by uninominal ballot fills its seats in order of votes; the *scrutin de liste* of
some commissions is not modelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from workflow.facts import Facts
from workflow.parameters import ElectionLaw
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict

ELECTION_KINDS = ("election", "designation")
Majority = Literal["absolute", "relative"]


def is_election(facts: Facts) -> bool:
    """The act is an appointment or an election (``act add --kind election|designation``)."""
    return facts.extra.get("kind") in ELECTION_KINDS


@dataclass(frozen=True)
class Candidate:
    """A candidate at one round, the votes they obtained and, when known, their birth date."""

    name: str
    votes: int
    born: date | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "votes": self.votes}
        if self.born is not None:
            data["born"] = self.born.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Candidate:
        born = data.get("born")
        try:
            day = date.fromisoformat(born) if isinstance(born, str) else None
        except ValueError:
            day = None
        return cls(str(data.get("name", "")), int(data.get("votes", 0)), day)


@dataclass(frozen=True)
class Round:
    """One round of ballot: ``seats`` still to fill, the ballots in the urn (``ballots``; for
    one seat, the candidates' votes + blank + null when not given), ``previous`` rounds held.
    ``secret`` unless the council decided to vote openly; ``dissent``: the members who did not
    agree to it (an open ballot needs unanimity)."""

    number: int
    seats: int
    candidates: tuple[Candidate, ...]
    blank: int = 0
    null: int = 0
    ballots: int | None = None
    secret: bool = True
    dissent: int = 0
    previous: int = 0

    @property
    def total(self) -> int:
        """The ballots in the urn."""
        if self.ballots is not None:
            return self.ballots
        return sum(c.votes for c in self.candidates) + self.blank + self.null

    @property
    def cast(self) -> int:
        """Votes cast (*suffrages exprimés*): the ballots less the blank and null ones."""
        return self.total - self.blank - self.null

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "round": self.number,
            "seats": self.seats,
            "candidates": [c.to_dict() for c in self.candidates],
            "blank": self.blank,
            "null": self.null,
            "ballots": self.total,
            "cast": self.cast,
            "secret": self.secret,
            "previous": self.previous,
        }
        if not self.secret:
            data["dissent"] = self.dissent
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Round:
        return cls(
            number=int(data.get("round", 0)),
            seats=int(data.get("seats", 1)),
            candidates=tuple(Candidate.from_dict(c) for c in data.get("candidates", ()) if isinstance(c, Mapping)),
            blank=int(data.get("blank", 0)),
            null=int(data.get("null", 0)),
            ballots=int(data["ballots"]) if isinstance(data.get("ballots"), int) else None,
            secret=bool(data.get("secret", True)),
            dissent=int(data.get("dissent", 0)),
            previous=int(data.get("previous", 0)),
        )


@dataclass(frozen=True)
class Result:
    """What a round decides: the majority it required (``needed`` votes for an absolute one),
    who it elects, who of them won a tie as the eldest, and the tied candidates it cannot
    decide between (a birth date unknown, or the same)."""

    majority: Majority
    needed: int | None
    elected: tuple[str, ...] = ()
    by_age: tuple[str, ...] = ()
    undecided: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "majority": self.majority,
            "needed": self.needed,
            "elected": list(self.elected),
            "by_age": list(self.by_age),
            "undecided": list(self.undecided),
        }


def majority_at(number: int, law: ElectionLaw) -> Majority:
    """The majority a round requires: absolute at the first rounds, relative after (L2121-21)."""
    return "absolute" if number <= law.absolute_majority_rounds else "relative"


def round_result(ballot: Round, law: ElectionLaw) -> Result:
    """Who a round elects (L2121-21): at an absolute-majority round, the candidates with more
    than half the votes cast; at the last round, those with the most votes (at least one); the
    seats go in order of votes, and on an equal number of votes for the last seat to the eldest
    (the earlier birth date). No vote cast elects no one."""
    majority = majority_at(ballot.number, law)
    cast = ballot.cast
    needed = cast // 2 + 1 if majority == "absolute" else None
    floor = needed if needed is not None else 1
    eligible = sorted((c for c in ballot.candidates if c.votes >= floor and cast > 0), key=lambda c: -c.votes)
    if len(eligible) <= ballot.seats:
        return Result(majority, needed, tuple(c.name for c in eligible))
    boundary = eligible[ballot.seats - 1].votes
    sure = [c for c in eligible if c.votes > boundary]
    tied = [c for c in eligible if c.votes == boundary]
    left = ballot.seats - len(sure)
    if len(tied) == left:  # the next candidate has fewer votes: no tie for the last seat
        return Result(majority, needed, tuple(c.name for c in [*sure, *tied]))
    if any(c.born is None for c in tied):
        return Result(majority, needed, tuple(c.name for c in sure), undecided=tuple(c.name for c in tied))
    by_birth = sorted(tied, key=lambda c: c.born or date.max)
    if by_birth[left - 1].born == by_birth[left].born:
        return Result(majority, needed, tuple(c.name for c in sure), undecided=tuple(c.name for c in tied))
    chosen = by_birth[:left]
    return Result(majority, needed, tuple(c.name for c in [*sure, *chosen]), by_age=tuple(c.name for c in chosen))


def round_of(facts: Facts) -> Round:
    """The round the facts record (``extra["election"]``)."""
    data = facts.extra.get("election")
    return Round.from_dict(data if isinstance(data, Mapping) else {})


def recorded_result(facts: Facts) -> Mapping[str, Any]:
    data = facts.extra.get("election")
    return data if isinstance(data, Mapping) else {}


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) or "—"


@rule("election_round", ElectionLaw)
def election_round(facts: Facts, params: ElectionLaw) -> Verdict:
    """Rounds follow one another: round N after N − 1 rounds, and no round after the last one
    (L2121-21: a third round at a relative majority ends the election)."""
    ballot = round_of(facts)
    expected = ballot.previous + 1
    passed = ballot.number == expected and ballot.number <= params.max_rounds
    figures = dict(round=ballot.number, expected=expected, previous=ballot.previous, max_rounds=params.max_rounds)
    if ballot.number > params.max_rounds or expected > params.max_rounds:
        return verdict(
            "election_round",
            params.article,
            False,
            "round {round}: an election has {max_rounds} rounds at most (the last at a relative majority)",
            "tour {round} : une élection compte au plus {max_rounds} tours (le dernier à la majorité relative)",
            **figures,
        )
    return verdict(
        "election_round",
        params.article,
        passed,
        "round {round} of {max_rounds}"
        if passed
        else "round {round} given, but {previous} round(s) held: the next is round {expected}",
        "tour {round} sur {max_rounds}"
        if passed
        else "tour {round} indiqué, mais {previous} tour(s) tenu(s) : le suivant est le tour {expected}",
        **figures,
    )


@rule("election_ballot", ElectionLaw)
def election_ballot(facts: Facts, params: ElectionLaw) -> Verdict:
    """Appointments are voted by secret ballot, unless the council decides unanimously not to
    (L2121-21; L3121-15, L4132-14): an open ballot with a member against it is refused."""
    ballot = round_of(facts)
    if ballot.secret:
        return verdict("election_ballot", params.article, True, "secret ballot", "scrutin secret", secret=True)
    passed = ballot.dissent == 0
    return verdict(
        "election_ballot",
        params.article,
        passed,
        "open ballot, decided unanimously"
        if passed
        else "open ballot without unanimity ({dissent} not agreeing): an appointment is voted by secret ballot "
        "unless the council decides unanimously otherwise",
        "vote à main levée décidé à l'unanimité"
        if passed
        else "vote à main levée sans unanimité ({dissent} en désaccord) : une nomination a lieu au scrutin "
        "secret, sauf décision unanime du conseil",
        secret=False,
        dissent=ballot.dissent,
    )


def _count_problems(ballot: Round, took_part: int) -> tuple[list[str], list[str]]:
    en: list[str] = []
    fr: list[str] = []
    votes = [c.votes for c in ballot.candidates]
    if min([ballot.blank, ballot.null, ballot.total, *votes]) < 0:
        en.append("a count is negative")
        fr.append("un décompte est négatif")
        return en, fr
    if not ballot.candidates:
        en.append("no candidate")
        fr.append("aucun candidat")
    names = [c.name for c in ballot.candidates]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        en.append(f"{', '.join(twice)}: given twice")
        fr.append(f"{', '.join(twice)} : donné deux fois")
    if ballot.total > took_part:
        en.append(f"{ballot.total} ballots > {took_part} who took part")
        fr.append(f"{ballot.total} bulletins > {took_part} votants")
    if ballot.cast < 0:
        en.append(f"{ballot.blank} blank + {ballot.null} null > {ballot.total} ballots")
        fr.append(f"{ballot.blank} blancs + {ballot.null} nuls > {ballot.total} bulletins")
    elif ballot.seats == 1 and sum(votes) != ballot.cast:
        en.append(f"the candidates' votes ({sum(votes)}) ≠ {ballot.cast} votes cast")
        fr.append(f"les voix des candidats ({sum(votes)}) ≠ {ballot.cast} suffrages exprimés")
    elif ballot.seats > 1:
        over = [c.name for c in ballot.candidates if c.votes > ballot.cast]
        if over:
            en.append(f"{', '.join(over)}: more votes than the {ballot.cast} votes cast")
            fr.append(f"{', '.join(over)} : plus de voix que les {ballot.cast} suffrages exprimés")
        if sum(votes) > ballot.cast * ballot.seats:
            en.append(f"{sum(votes)} votes > {ballot.cast} ballots × {ballot.seats} seats")
            fr.append(f"{sum(votes)} voix > {ballot.cast} bulletins × {ballot.seats} sièges")
    return en, fr


@rule("election_count", ElectionLaw)
def election_count(facts: Facts, params: ElectionLaw) -> Verdict:
    """The ballots add up (L2121-21): no more ballots than members taking part in the item; the
    votes cast are the ballots less the blank and null ones; for one seat the candidates' votes
    are the votes cast, for several no candidate has more votes than there are ballots cast."""
    assert facts.attendance is not None
    ballot = round_of(facts)
    took_part = facts.attendance.taking_part
    en, fr = _count_problems(ballot, took_part)
    figures = dict(ballots=ballot.total, blank=ballot.blank, null=ballot.null, cast=ballot.cast, took_part=took_part)
    return verdict(
        "election_count",
        params.article,
        not en,
        "{ballots} ballots of {took_part} taking part, {blank} blank, {null} null: {cast} votes cast"
        if not en
        else "{problems_en}",
        "{ballots} bulletins pour {took_part} votants, {blank} blancs, {null} nuls : {cast} suffrages exprimés"
        if not fr
        else "{problems_fr}",
        **figures,
        problems_en="; ".join(en),
        problems_fr="; ".join(fr),
    )


@rule("election_outcome", ElectionLaw)
def election_outcome(facts: Facts, params: ElectionLaw) -> Verdict:
    """The round's outcome is determined (L2121-21): the majority required at this round, who is
    elected; on an equal number of votes the eldest is elected, so the birth dates of the tied
    candidates must be known (``member add --born`` or ``act elect --born``) and differ: else
    the tie cannot be decided and the round is refused."""
    ballot = round_of(facts)
    result = round_result(ballot, params)
    figures: dict[str, object] = dict(
        round=ballot.number,
        majority=result.majority,
        needed=result.needed if result.needed is not None else "—",
        cast=ballot.cast,
        seats=ballot.seats,
        elected=_names(result.elected),
        by_age=_names(result.by_age),
        undecided=_names(result.undecided),
    )
    if result.undecided:
        return verdict(
            "election_outcome",
            params.article,
            False,
            "equal number of votes between {undecided}: the eldest is elected, but their birth dates are not "
            "known (or are the same); give them with --born NAME=YYYY-MM-DD",
            "égalité de voix entre {undecided} : le plus âgé est élu, mais leurs dates de naissance ne sont pas "
            "connues (ou sont identiques) ; indiquez-les avec --born NOM=AAAA-MM-JJ",
            **figures,
        )
    if result.majority == "absolute":
        head_en = "round {round}, absolute majority {needed} of {cast} votes cast: "
        head_fr = "tour {round}, majorité absolue {needed} sur {cast} suffrages exprimés : "
    else:
        head_en = "round {round}, relative majority ({cast} votes cast): "
        head_fr = "tour {round}, majorité relative ({cast} suffrages exprimés) : "
    if result.elected:
        tail_en = "elected {elected}" + (" (the eldest, on a tie: {by_age})" if result.by_age else "")
        tail_fr = "élu(s) {elected}" + (" (le plus âgé, à égalité de voix : {by_age})" if result.by_age else "")
    else:
        tail_en, tail_fr = "no one elected", "personne n'est élu"
    if len(result.elected) < ballot.seats:
        if result.majority == "absolute":
            tail_en += "; another round follows"
            tail_fr += " ; un nouveau tour suit"
        else:
            tail_en += "; the election is over"
            tail_fr += " ; l'élection est close"
    return verdict("election_outcome", params.article, True, head_en + tail_en, head_fr + tail_fr, **figures)


# ---- conditions: where a round leads (read from the result the round records)


def _elected_all(facts: Facts) -> bool:
    data = recorded_result(facts)
    elected = data.get("elected") or ()
    return len(elected) >= int(data.get("seats", 1))


def election_complete(facts: Facts) -> bool:
    """Every seat of the round is filled: the act is adopted, naming who is elected."""
    return _elected_all(facts)


def election_continues(facts: Facts) -> bool:
    """A seat is left at an absolute-majority round: the act stays in session for the next round."""
    return not _elected_all(facts) and recorded_result(facts).get("majority") == "absolute"


def election_failed(facts: Facts) -> bool:
    """A seat is left after the last round (no vote cast): the election elects no one more."""
    return not _elected_all(facts) and recorded_result(facts).get("majority") == "relative"
