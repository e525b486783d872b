"""Proxies (*pouvoirs*): written, from an absent member to a present one, one per holder, for
three consecutive sessions at most except illness (CGCT art. L2121-20; L3121-16; L4132-15)."""

from __future__ import annotations

from collections import Counter

from workflow.facts import Facts
from workflow.parameters import Proxies, ProxyDuration
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict


@rule("proxies_valid", Proxies)
def proxies_valid(facts: Facts, params: Proxies) -> Verdict:
    """Each giver is not present, each holder is present, no holder carries more than one proxy."""
    assert facts.attendance is not None
    attendance = facts.attendance
    limit = params.max_per_holder
    problems_en: list[str] = []
    problems_fr: list[str] = []
    for giver, holder in attendance.proxies:
        if giver == holder:
            problems_en.append(f"{giver} cannot hold their own proxy")
            problems_fr.append(f"{giver} ne peut détenir son propre pouvoir")
        if giver in attendance.present:
            problems_en.append(f"giver {giver} is present")
            problems_fr.append(f"le mandant {giver} est présent")
        if holder not in attendance.present:
            problems_en.append(f"holder {holder} is not present")
            problems_fr.append(f"le mandataire {holder} n'est pas présent")
    held = Counter(holder for _, holder in attendance.proxies)
    for holder, count in sorted(held.items()):
        if count > limit:
            problems_en.append(f"{holder} holds {count} proxies > {limit} allowed")
            problems_fr.append(f"{holder} détient {count} pouvoirs > {limit} autorisé")
    passed = not problems_en
    count = len(attendance.proxies)
    return verdict(
        "proxies_valid",
        params.article,
        passed,
        "{proxies:plural|proxy|proxies}, each from an absent member to a present one, one per holder"
        if passed
        else "{problems_en}",
        "{proxies:plural|pouvoir|pouvoirs}, chacun d'un absent à un présent, un par mandataire"
        if passed
        else "{problems_fr}",
        proxies=count,
        max_per_holder=limit,
        problems_en="; ".join(problems_en),
        problems_fr="; ".join(problems_fr),
    )


@rule("proxy_duration", ProxyDuration)
def proxy_duration(facts: Facts, params: ProxyDuration) -> Verdict:
    """A proxy is valid for at most three consecutive sessions, except for illness duly
    established (L2121-20 al. 3). Départements and régions: a delegation of vote is given for
    one meeting (L3121-16, L4132-15), with no exception (``illness_exception: false``).

    Reads ``facts.extra["proxy_sessions"]`` (sessions asked) and ``["proxy_illness"]``.
    """
    sessions = int(facts.extra["proxy_sessions"])
    illness = bool(facts.extra.get("proxy_illness", False))
    limit = params.max_consecutive_sessions
    exempt = illness and params.illness_exception
    passed = sessions <= limit or exempt
    if exempt and sessions > limit:
        en, fr = (
            "{sessions} consecutive sessions: beyond {limit}, allowed for illness",
            "{sessions} séances consécutives : au-delà de {limit}, admis pour maladie",
        )
    else:
        en, fr = (
            "{sessions:plural|consecutive session|consecutive sessions} {sign} {limit} allowed"
            + (
                ""
                if passed
                else " (more only for illness duly established: --illness)"
                if params.illness_exception
                else ""
            ),
            "{sessions:plural|séance consécutive|séances consécutives} {sign} {limit} autorisées"
            + (
                ""
                if passed
                else " (davantage seulement pour maladie dûment constatée : --illness)"
                if params.illness_exception
                else ""
            ),
        )
    return verdict(
        "proxy_duration",
        params.article,
        passed,
        en,
        fr,
        sessions=sessions,
        limit=limit,
        illness=illness,
        sign="≤" if sessions <= limit else ">",
    )
