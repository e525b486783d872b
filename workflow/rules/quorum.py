"""Quorum: the majority of members in office present (CGCT art. L2121-17; L3121-14; L4132-13)."""

from __future__ import annotations

from workflow.facts import Facts
from workflow.parameters import Quorum
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict


def quorum_required(members_in_office: int) -> int:
    """Smallest number present that is more than half of the members in office (20 → 11)."""
    return members_in_office // 2 + 1


def _counted_present(facts: Facts, params: Quorum) -> frozenset[str]:
    assert facts.attendance is not None
    attendance = facts.attendance
    if params.count_recused:
        return attendance.present
    return attendance.present - attendance.recused


@rule("quorum", Quorum)
def quorum(facts: Facts, params: Quorum) -> Verdict:
    """Members present > members in office / 2, at the opening and at each item; proxies do not
    count.

    The temporary regime counting proxies (covid) ended in 2022. A session held on a second
    convocation after a quorum failure deliberates with no quorum condition (L2121-17 al. 2),
    only when the first convocation was regular: after a first convocation recorded with a rule
    overridden, the quorum is still required and the verdict says why (unconfirmed: the case law
    reads al. 2 as presupposing a regular first convocation; the most protective reading).
    Members recused for an interest in the item (L2131-11) are not counted as present for it,
    even if they stay in the room (CE 19 January 1983 *Chauré*; answer JO Sénat 1 March 2007,
    q. 24626); ``count_recused: true`` would count them.
    """
    assert facts.attendance is not None
    present = _counted_present(facts, params)
    required = quorum_required(facts.members_in_office)
    ref = params.article
    irregular_first = bool(facts.extra.get("first_convocation_irregular"))
    if facts.second_convocation and not irregular_first:
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
    head_en, head_fr = (
        (
            "second convocation after an irregular first one (a rule was overridden): the quorum is required; ",
            "seconde convocation après une première irrégulière (une règle passée outre) : le quorum est requis ; ",
        )
        if irregular_first
        else ("", "")
    )
    return verdict(
        "quorum",
        ref,
        passed,
        head_en + "{present} present {sign} {required} required "
        "(more than half of {in_office} in office; proxies do not count)",
        head_fr + "{present} présents {sign} {required} requis "
        "(plus de la moitié des {in_office} en exercice ; les pouvoirs ne comptent pas)",
        present=len(present),
        sign="≥" if passed else "<",
        required=required,
        in_office=facts.members_in_office,
    )


@rule("quorum_failure", Quorum)
def quorum_failure(facts: Facts, params: Quorum) -> Verdict:
    """Recording a meeting that could not deliberate: members present ≤ half of those in office.

    It passes when the failure is established (so that it is recorded, with its figures, and the
    second convocation of L2121-17 al. 2 becomes possible) and refuses when the quorum is in fact
    reached: that session is to be opened, not recorded as failed.
    """
    assert facts.attendance is not None
    present = len(_counted_present(facts, params))
    required = quorum_required(facts.members_in_office)
    failed = present < required
    return verdict(
        "quorum_failure",
        params.article,
        failed,
        "quorum not reached: {present} present < {required} required (more than half of "
        "{in_office} in office); the council must be convened again"
        if failed
        else "quorum reached: {present} present ≥ {required} required; open the session instead",
        "quorum non atteint : {present} présents < {required} requis (plus de la moitié des "
        "{in_office} en exercice) ; le conseil doit être convoqué à nouveau"
        if failed
        else "quorum atteint : {present} présents ≥ {required} requis ; ouvrez la séance",
        present=present,
        required=required,
        in_office=facts.members_in_office,
        quorum_reached=not failed,
    )
