"""Convocation delay in *jours francs* (CGCT art. L2121-11, L2121-12; L3121-19; L4132-18)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflow.dates import clear_days_between
from workflow.facts import Facts
from workflow.rules.registry import article, rule
from workflow.verdict import Verdict, verdict


@rule("convocation_delay", "CGCT art. L2121-11", params=("min_clear_days",))
def convocation_delay(facts: Facts, params: Mapping[str, Any]) -> Verdict:
    """Clear days between sending the convocation and the session ≥ the required delay.

    Neither the day of sending nor the day of the session counts; weekends and public holidays do
    count, and the delay is not extended when it ends on one (the most protective reading would
    extend it; case law counts calendar days for convocations, so délib counts calendar days and
    states it). Under urgency (``facts.urgent``) the delay is ``urgent_min_clear_days`` (≥ 1).
    """
    assert facts.session_date is not None and facts.convocation_date is not None
    days = clear_days_between(facts.convocation_date, facts.session_date)
    if facts.urgent:
        required = int(params.get("urgent_min_clear_days", 1))
        ref = str(params.get("urgent_article") or article(params, "CGCT art. L2121-11"))
    else:
        required = int(params["min_clear_days"])
        ref = article(params, "CGCT art. L2121-11")
    passed = days >= required
    sign = "≥" if passed else "<"
    return verdict(
        "convocation_delay",
        ref,
        passed,
        "{clear_days} clear days {sign} {required} required (convocation {sent}, session {session})"
        + (" — urgency" if facts.urgent else ""),
        "{clear_days} jours francs {sign} {required} requis (convocation du {sent}, séance du {session})"
        + (" — urgence" if facts.urgent else ""),
        clear_days=days,
        sign=sign,
        required=required,
        sent=facts.convocation_date.isoformat(),
        session=facts.session_date.isoformat(),
        urgent=facts.urgent,
    )
