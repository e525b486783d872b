"""Convocation delay in *jours francs* (CGCT art. L2121-11, L2121-12; L3121-19; L4132-18)."""

from __future__ import annotations

from workflow.dates import clear_days_between
from workflow.facts import Facts
from workflow.parameters import Convocation, SecondConvocation, UrgencyRuling
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict


@rule("convocation_delay", Convocation)
def convocation_delay(facts: Facts, params: Convocation) -> Verdict:
    """Clear days between sending the convocation and the session ≥ the required delay.

    Neither the day of sending nor the day of the session counts; weekends and public holidays do
    count, and the delay is not extended when it ends on one (the most protective reading would
    extend it; case law counts calendar days for convocations, so délib counts calendar days and
    states it). Under urgency (``facts.urgent``) the delay is ``urgent_min_clear_days`` (≥ 1).
    """
    assert facts.session_date is not None and facts.convocation_date is not None
    days = clear_days_between(facts.convocation_date, facts.session_date)
    if facts.urgent:
        required = params.urgent_min_clear_days
        ref = params.urgent_article or params.article
    else:
        required = params.min_clear_days
        ref = params.article
    passed = days >= required
    sign = "≥" if passed else "<"
    return verdict(
        "convocation_delay",
        ref,
        passed,
        "{clear_days:plural|clear day|clear days} {sign} {required} required (convocation {sent:date}, "
        "session {session:date})" + (" — urgency" if facts.urgent else ""),
        "{clear_days:plural|jour franc|jours francs} {sign} {required} requis "
        "(convocation du {sent:date}, séance du {session:date})" + (" — urgence" if facts.urgent else ""),
        clear_days=days,
        sign=sign,
        required=required,
        sent=facts.convocation_date.isoformat(),
        session=facts.session_date.isoformat(),
        urgent=facts.urgent,
    )


@rule("urgency_ruled", UrgencyRuling)
def urgency_ruled(facts: Facts, params: UrgencyRuling) -> Verdict:
    """Under urgency, the council rules on the urgency at the opening (L2121-11, L2121-12; L3121-19;
    L4132-18); it may postpone the items to a later session.

    The ruling must be stated (``--urgency-accepted`` or ``--urgency-rejected``): délib does not
    take silence for acceptance. Without urgency there is nothing to rule on.
    """
    ref = params.urgent_article or params.article
    ruling = facts.urgency_ruling
    if not facts.urgent:
        return verdict(
            "urgency_ruled",
            ref,
            ruling is None,
            "convened without urgency: nothing to rule on"
            if ruling is None
            else "convened without urgency: the council cannot rule on an urgency",
            "convocation sans urgence : rien à décider"
            if ruling is None
            else "convocation sans urgence : le conseil ne peut se prononcer sur une urgence",
            urgent=False,
            ruling=ruling or "—",
        )
    if ruling is None:
        return verdict(
            "urgency_ruled",
            ref,
            False,
            "convened under urgency: the council must rule on the urgency at the opening; "
            "give --urgency-accepted or --urgency-rejected",
            "convocation en urgence : le conseil doit se prononcer sur l'urgence à l'ouverture ; "
            "indiquez --urgency-accepted ou --urgency-rejected",
            urgent=True,
            ruling="—",
        )
    return verdict(
        "urgency_ruled",
        ref,
        True,
        "the council {ruling_en} the urgency" + ("" if ruling == "accepted" else ": the items are postponed"),
        "le conseil {ruling_fr} l'urgence" + ("" if ruling == "accepted" else " : les affaires sont renvoyées"),
        urgent=True,
        ruling=ruling,
        ruling_en={"accepted": "accepted", "rejected": "rejected"}[ruling],
        ruling_fr={"accepted": "a admis", "rejected": "n'a pas admis"}[ruling],
    )


@rule("second_convocation_delay", SecondConvocation)
def second_convocation_delay(facts: Facts, params: SecondConvocation) -> Verdict:
    """After a quorum failure, the council is convened again at least three days apart and then
    deliberates without quorum (L2121-17 al. 2; CE 16 June 1997 *Pfister* n° 142691: three clear
    days between sending the second convocation and the meeting).

    ``counted_from: failed_session`` counts from the failed meeting instead of from the new
    convocation: départements and régions meet again "de plein droit trois jours plus tard"
    (L3121-14, L4132-13), i.e. on the third day after it at the earliest (two clear days between).
    """
    assert facts.session_date is not None
    from_failed = params.counted_from == "failed_session"
    start = facts.quorum_failed_on if from_failed else facts.convocation_date
    assert start is not None
    days = clear_days_between(start, facts.session_date)
    required = params.min_clear_days
    passed = days >= required
    return verdict(
        "second_convocation_delay",
        params.article,
        passed,
        "{clear_days:plural|clear day|clear days} {sign} {required} required between the {start_en} "
        "({start:date}) and the second meeting ({session:date})",
        "{clear_days:plural|jour franc|jours francs} {sign} {required} requis entre {start_fr} "
        "({start:date}) et la seconde réunion ({session:date})",
        clear_days=days,
        sign="≥" if passed else "<",
        required=required,
        start=start.isoformat(),
        start_en="failed meeting" if from_failed else "second convocation",
        start_fr="la réunion sans quorum" if from_failed else "la seconde convocation",
        session=facts.session_date.isoformat(),
    )
