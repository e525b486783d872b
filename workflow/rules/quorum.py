"""Quorum: the majority of members in office present (CGCT art. L2121-17; L3121-14; L4132-13)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflow.facts import Facts
from workflow.rules.registry import article, rule
from workflow.verdict import Verdict, verdict


def quorum_required(members_in_office: int) -> int:
    """Smallest number present that is more than half of the members in office (20 → 11)."""
    return members_in_office // 2 + 1


@rule("quorum", "CGCT art. L2121-17")
def quorum(facts: Facts, params: Mapping[str, Any]) -> Verdict:
    """Members present > members in office / 2, at the opening and at each item; proxies do not count.

    The temporary regime counting proxies (covid) ended in 2022. A session held on a second
    convocation after a quorum failure deliberates with no quorum condition (L2121-17 al. 2).
    Recused members are present and count toward the quorum (they are in the room); the most
    protective reading would not count them (unconfirmed), see ``params["count_recused"]``.
    """
    assert facts.attendance is not None
    attendance = facts.attendance
    present = attendance.present
    if not params.get("count_recused", True):
        present = present - attendance.recused
    required = quorum_required(facts.members_in_office)
    ref = article(params, "CGCT art. L2121-17")
    if facts.second_convocation:
        return verdict(
            "quorum",
            ref,
            True,
            "second convocation: no quorum condition ({present} present of {in_office} in office)",
            "seconde convocation : pas de condition de quorum ({present} présents sur {in_office} en exercice)",
            present=len(present),
            in_office=facts.members_in_office,
            required=0,
        )
    passed = len(present) >= required
    return verdict(
        "quorum",
        ref,
        passed,
        "{present} present {sign} {required} required (more than half of {in_office} in office; proxies do not count)",
        "{present} présents {sign} {required} requis (plus de la moitié des {in_office} en exercice ; les pouvoirs ne comptent pas)",
        present=len(present),
        sign="≥" if passed else "<",
        required=required,
        in_office=facts.members_in_office,
    )
