"""Named conditions that choose between a trigger's destinations (e.g. adopted or rejected).

Unlike rules, conditions do not refuse: they route. Definitions name them in ``when:``.
"""

from __future__ import annotations

from collections.abc import Callable

from workflow.facts import Facts
from workflow.rules.vote import vote_outcome

Condition = Callable[[Facts], bool]


def vote_carried(facts: Facts) -> bool:
    """The vote's outcome is adoption (absolute majority of votes cast, or the president's side)."""
    return facts.vote is not None and vote_outcome(facts.vote) == "adopted"


def vote_not_carried(facts: Facts) -> bool:
    return not vote_carried(facts)


def subject_to_transmission(facts: Facts) -> bool:
    """The act is listed in CGCT art. L2131-2 and must be transmitted to the prefect."""
    return bool(facts.extra.get("subject_to_transmission", True))


def not_subject_to_transmission(facts: Facts) -> bool:
    return not subject_to_transmission(facts)


CONDITIONS: dict[str, Condition] = {
    "vote_carried": vote_carried,
    "vote_not_carried": vote_not_carried,
    "subject_to_transmission": subject_to_transmission,
    "not_subject_to_transmission": not_subject_to_transmission,
}
