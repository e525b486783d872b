"""The vote: counts that add up, and the outcome by absolute majority of votes cast (CGCT art. L2121-20)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from workflow.facts import Facts, VoteCount
from workflow.rules.registry import article, rule
from workflow.verdict import Verdict, verdict

Outcome = Literal["adopted", "rejected"]


def vote_outcome(vote: VoteCount) -> Outcome | None:
    """Adopted when for > against (absolute majority of votes cast; abstentions and blank votes
    are not cast). On a tie the president's vote decides, except in a secret ballot where a tie
    rejects. ``None`` for a public tie whose president's side is not known."""
    if vote.for_ > vote.against:
        return "adopted"
    if vote.for_ < vote.against:
        return "rejected"
    if vote.secret:
        return "rejected"
    if vote.president_voted == "for":
        return "adopted"
    if vote.president_voted == "against":
        return "rejected"
    return None


@rule("vote_count", "CGCT art. L2121-20")
def vote_count(facts: Facts, params: Mapping[str, Any]) -> Verdict:
    """for + against + abstentions (+ blank) = those who took part (present − recused + proxies held)."""
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
            article(params, "CGCT art. L2121-20"),
            False,
            "a count is negative (for {for_}, against {against}, abstentions {abstain})",
            "un décompte est négatif (pour {for_}, contre {against}, abstentions {abstain})",
            **figures,
        )
    return verdict(
        "vote_count",
        article(params, "CGCT art. L2121-20"),
        passed,
        "for {for_} + against {against} + abstentions {abstain} = {total} {sign} {took_part} who took part",
        "pour {for_} + contre {against} + abstentions {abstain} = {total} {sign} {took_part} votants",
        **figures,
    )


@rule("vote_outcome", "CGCT art. L2121-20")
def vote_outcome_rule(facts: Facts, params: Mapping[str, Any]) -> Verdict:
    """The outcome is determined: a public tie needs the president's side (``--president-voted``)."""
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
    if outcome is None:
        return verdict(
            "vote_outcome",
            article(params, "CGCT art. L2121-20"),
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
        article(params, "CGCT art. L2121-20"),
        True,
        "{for_} for, {against} against of {cast} votes cast: " + en_outcome,
        "{for_} pour, {against} contre sur {cast} suffrages exprimés : " + fr_outcome,
        **figures,
    )
