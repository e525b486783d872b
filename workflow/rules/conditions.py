"""Named conditions that choose between a trigger's destinations (e.g. adopted or rejected).

Unlike rules, conditions do not refuse: they route. Definitions name them in ``when:``.
"""

from __future__ import annotations

from collections.abc import Callable

from workflow.facts import Facts
from workflow.rules.election import election_complete, election_continues, election_failed
from workflow.rules.vote import is_account, vote_outcome

Condition = Callable[[Facts], bool]


def vote_carried(facts: Facts) -> bool:
    """The vote's outcome is adoption (L2121-20): absolute majority of votes cast, or on a public
    tie the casting vote of a president taking part; a *compte administratif* unless a majority
    votes against it (L1612-12)."""
    return facts.vote is not None and vote_outcome(facts.vote, facts.attendance, account=is_account(facts)) == "adopted"


def vote_not_carried(facts: Facts) -> bool:
    return not vote_carried(facts)


def subject_to_transmission(facts: Facts) -> bool:
    """The act is listed in CGCT art. L2131-2 and must be transmitted to the prefect."""
    return bool(facts.extra.get("subject_to_transmission", True))


def not_subject_to_transmission(facts: Facts) -> bool:
    return not subject_to_transmission(facts)


def urgency_rejected(facts: Facts) -> bool:
    """At the opening of a session convened under urgency, the council refused the urgency: the
    items are postponed to a later session (L2121-11, L2121-12; L3121-19; L4132-18)."""
    return facts.urgency_ruling == "rejected"


def urgency_not_rejected(facts: Facts) -> bool:
    return not urgency_rejected(facts)


CONDITIONS: dict[str, Condition] = {
    "vote_carried": vote_carried,
    "vote_not_carried": vote_not_carried,
    "subject_to_transmission": subject_to_transmission,
    "not_subject_to_transmission": not_subject_to_transmission,
    "urgency_rejected": urgency_rejected,
    "urgency_not_rejected": urgency_not_rejected,
}


def postponement_target_given(facts: Facts) -> bool:
    """The item is put off to a named later session (``act postpone --to SESSION``)."""
    return facts.extra.get("target") is not None


def no_postponement_target(facts: Facts) -> bool:
    """The item is put off to a session not set yet (``act postpone`` without ``--to``)."""
    return not postponement_target_given(facts)


CONDITIONS.update(
    postponement_target_given=postponement_target_given,
    no_postponement_target=no_postponement_target,
)

CONDITIONS.update(
    election_complete=election_complete,
    election_continues=election_continues,
    election_failed=election_failed,
)
