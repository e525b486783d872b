"""The vote: counts that add up, the outcome by absolute majority of votes cast (CGCT art.
L2121-20), the roll call of a public vote (L2121-21)."""

from __future__ import annotations

from typing import Literal

from workflow.facts import Facts, VoteCount
from workflow.parameters import Cited
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict

Outcome = Literal["adopted", "rejected"]


def vote_outcome(vote: VoteCount) -> Outcome | None:
    """Adopted when for > against (absolute majority of votes cast; abstentions and blank votes
    are not cast). On a tie the president's vote decides, except in a secret ballot where a tie
    rejects. No vote cast at all (everyone abstains) is no majority: rejected. ``None`` for a
    public tie whose president's side is not known."""
    if vote.for_ > vote.against:
        return "adopted"
    if vote.for_ < vote.against:
        return "rejected"
    if vote.secret or vote.cast == 0:
        return "rejected"
    if vote.president_voted == "for":
        return "adopted"
    if vote.president_voted == "against":
        return "rejected"
    return None


@rule("vote_count", Cited)
def vote_count(facts: Facts, params: Cited) -> Verdict:
    """for + against + abstentions (+ blank) = those who took part (present − recused + proxies
    held)."""
    assert facts.vote is not None and facts.attendance is not None
    vote = facts.vote
    took_part = facts.attendance.taking_part
    negative = min(vote.for_, vote.against, vote.abstain, vote.blank) < 0
    passed = not negative and vote.total == took_part
    figures = dict(
        for_=vote.for_,
        against=vote.against,
        abstain=vote.abstain,
        blank=vote.blank,
        total=vote.total,
        took_part=took_part,
        sign="=" if passed else "≠",
    )
    if negative:
        return verdict(
            "vote_count",
            params.article,
            False,
            "a count is negative (for {for_}, against {against}, abstentions {abstain})",
            "un décompte est négatif (pour {for_}, contre {against}, abstentions {abstain})",
            **figures,
        )
    return verdict(
        "vote_count",
        params.article,
        passed,
        "for {for_} + against {against} + abstentions {abstain} = {total} {sign} {took_part} who took part",
        "pour {for_} + contre {against} + abstentions {abstain} = {total} {sign} {took_part} votants",
        **figures,
    )


@rule("vote_outcome", Cited)
def vote_outcome_rule(facts: Facts, params: Cited) -> Verdict:
    """The outcome is determined: a public tie needs the president's side (``--president-voted``),
    and the side given for the president must have at least the president's vote."""
    assert facts.vote is not None
    vote = facts.vote
    outcome = vote_outcome(vote)
    figures = dict(
        for_=vote.for_,
        against=vote.against,
        cast=vote.cast,
        secret=vote.secret,
        outcome=outcome or "undetermined",
    )
    side = vote.president_voted
    if side is not None and {"for": vote.for_, "against": vote.against}[side] == 0:
        return verdict(
            "vote_outcome",
            params.article,
            False,
            "the president is said to have voted {side} but there are 0 votes {side}",
            "le président aurait voté {side_fr} mais il y a 0 voix {side_fr}",
            **figures,
            side=side,
            side_fr={"for": "pour", "against": "contre"}[side],
        )
    if outcome is None:
        return verdict(
            "vote_outcome",
            params.article,
            False,
            "tie {for_}–{against} in a public vote: the president's vote decides; "
            "give it with --president-voted for|against",
            "égalité {for_}–{against} en scrutin public : la voix du président est prépondérante ; "
            "indiquez-la avec --president-voted for|against",
            **figures,
        )
    en_outcome = {"adopted": "adopted", "rejected": "rejected"}[outcome]
    fr_outcome = {"adopted": "adoptée", "rejected": "rejetée"}[outcome]
    return verdict(
        "vote_outcome",
        params.article,
        True,
        "{for_} for, {against} against of {cast} votes cast: " + en_outcome,
        "{for_} pour, {against} contre sur {cast} suffrages exprimés : " + fr_outcome,
        **figures,
    )


SIDES_FR = {"for": "pour", "against": "contre", "abstain": "abstention"}


def _roll_call_problems(facts: Facts) -> tuple[list[str], list[str]]:
    assert facts.vote is not None and facts.attendance is not None
    vote, attendance = facts.vote, facts.attendance
    en: list[str] = []
    fr: list[str] = []
    counts = {"for": vote.for_, "against": vote.against, "abstain": vote.abstain}
    # for and against are always called; abstentions when given
    called_sides = [side for side in SIDES_FR if side != "abstain" or side in vote.names]
    for side in called_sides:
        names = vote.names.get(side, ())
        if len(names) != counts[side]:
            en.append(f"{len(names)} name(s) called {side} ≠ {counts[side]} counted")
            fr.append(f"{len(names)} nom(s) appelé(s) {SIDES_FR[side]} ≠ {counts[side]} décompté(s)")
        strangers = sorted(set(names) - attendance.voters)
        if strangers:
            en.append(f"{', '.join(strangers)}: not taking part in this item ({side})")
            fr.append(f"{', '.join(strangers)} : ne prend pas part à cette affaire ({SIDES_FR[side]})")
    seen: dict[str, str] = {}
    for side in SIDES_FR:
        for name in vote.names.get(side, ()):
            if name in seen and seen[name] == side:
                en.append(f"{name} is called twice ({side})")
                fr.append(f"{name} est appelé deux fois ({SIDES_FR[side]})")
            elif name in seen:
                en.append(f"{name} is called both {seen[name]} and {side}")
                fr.append(f"{name} est appelé à la fois {SIDES_FR[seen[name]]} et {SIDES_FR[side]}")
            seen[name] = side
    president = attendance.president
    if president in seen and vote.president_voted and seen[president] != vote.president_voted:
        en.append(f"the president {president} is called {seen[president]}, not {vote.president_voted}")
        fr.append(
            f"le président {president} est appelé {SIDES_FR[seen[president]]}, non {SIDES_FR[vote.president_voted]}"
        )
    return en, fr


@rule("roll_call", Cited)
def roll_call(facts: Facts, params: Cited) -> Verdict:
    """A public vote by roll call records each voter's name and side (L2121-21): the names called
    for and against (and abstaining, when given) match their counts, every name takes part in the
    item (present and not recused, or represented by a proxy held), nobody is called twice, the
    president's side agrees with the call. A secret ballot records no name."""
    assert facts.vote is not None
    vote = facts.vote
    ref = params.article
    called = sum(len(n) for n in vote.names.values())
    if not vote.names:
        return verdict("roll_call", ref, True, "no roll call", "pas d'appel nominal", called=0)
    if vote.secret:
        return verdict(
            "roll_call",
            ref,
            False,
            "a secret ballot records no names ({called} given)",
            "un scrutin secret n'enregistre aucun nom ({called} donnés)",
            called=called,
        )
    en, fr = _roll_call_problems(facts)
    return verdict(
        "roll_call",
        ref,
        not en,
        "{called} names called, each matching the counts and taking part" if not en else "{problems_en}",
        "{called} noms appelés, conformes aux décomptes et prenant part au vote" if not fr else "{problems_fr}",
        called=called,
        problems_en="; ".join(en),
        problems_fr="; ".join(fr),
    )
