"""The register and its publicity: act numbers, the list of deliberations, the minutes
(CGCT art. L2121-23, R2121-9, L2121-25, L2121-15; L3121-13 for départements)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from workflow.facts import Facts
from workflow.parameters import Cited, Publication, WithinDays
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict

_TRAILING_DIGITS = re.compile(r"^(?P<prefix>.*?)(?P<counter>\d+)$")


def dated_prefix(number: str) -> date | None:
    """The date of a *date + rank* number (practice: ``2024121302`` → 13/12/2024), else None."""
    if len(number) < 10 or not number.isdigit():
        return None
    try:
        return date(int(number[:4]), int(number[4:6]), int(number[6:8]))
    except ValueError:
        return None


def number_sequence(number: str, year: int) -> tuple[str, int] | None:
    """The sequence an act number belongs to and its place in it, or None (no trailing digits).

    A *date + rank* number (``2024121302``) is in the sequence of its day (``20241213``), ranked
    ``2``; any other number ending in digits (``2024_015``, ``D15``) is in the sequence of its
    prefix within the year of its session (``2024:2024_``), ranked by those digits (``15``).
    """
    day = dated_prefix(number)
    if day is not None:
        return number[:8], int(number[8:])
    match = _TRAILING_DIGITS.match(number)
    if match is None:
        return None
    return f"{year}:{match['prefix']}", int(match["counter"])


@rule("act_number_sequence", Cited)
def act_number_sequence(facts: Facts, params: Cited) -> Verdict:
    """Act numbers are unique and follow each other without gap in the register of a council
    and a year (L2121-23: deliberations entered in date order; R2121-9: the register's pages are
    numbered). A *date + rank* number carries the session's date. In each sequence (see
    :func:`number_sequence`) a number is the last one + 1; the first number of a sequence sets its
    start (délib may be adopted in the middle of a year, or hold only some of a session's items).
    A number with no trailing digits is only checked for being unique (at ``act add``).

    Reads ``facts.extra["number"]`` and ``["last_in_sequence"]`` (None: first of its sequence).
    """
    assert facts.session_date is not None
    number = str(facts.extra["number"])
    last = facts.extra.get("last_in_sequence")
    ref = params.article
    day = dated_prefix(number)
    if day is not None and day != facts.session_date:
        return verdict(
            "act_number_sequence",
            ref,
            False,
            "number {number} is dated {dated:date}, not the session's date {session:date}",
            "le numéro {number} est daté du {dated:date}, non de la date de séance {session:date}",
            number=number,
            dated=day.isoformat(),
            session=facts.session_date.isoformat(),
        )
    parts = number_sequence(number, facts.session_date.year)
    if parts is None or last is None:
        return verdict(
            "act_number_sequence",
            ref,
            True,
            "number {number}: first of its sequence" if parts else "number {number}: unique",
            "numéro {number} : premier de sa série" if parts else "numéro {number} : unique",
            number=number,
            rank=parts[1] if parts else 0,
        )
    expected = int(last) + 1
    passed = parts[1] == expected
    return verdict(
        "act_number_sequence",
        ref,
        passed,
        "number {number}: rank {rank} {sign} {expected} expected after {last} (no gap, no repeat)",
        "numéro {number} : rang {rank} {sign} {expected} attendu après {last} (sans lacune ni doublon)",
        number=number,
        rank=parts[1],
        expected=expected,
        last=int(last),
        sign="=" if passed else "≠",
    )


@rule("list_posted_within", WithinDays)
def list_posted_within(facts: Facts, params: WithinDays) -> Verdict:
    """The list of the deliberations examined in a session is posted at the town hall and put
    online within one week of the session (L2121-25): at the latest on the same weekday of the
    following week (session on Friday 13 → Friday 20). Later is refused (it can only be recorded
    with ``--override``, and then the session shows as irregular)."""
    assert facts.session_date is not None
    limit = params.max_days
    days = (facts.legal_date - facts.session_date).days
    due = facts.session_date + timedelta(days=limit)
    passed = days <= limit
    return verdict(
        "list_posted_within",
        params.article,
        passed,
        "list posted on {posted:date}, {days:plural|day|days} after the session of {session:date} {sign} {limit} "
        "allowed (due by {due:date})",
        "liste publiée le {posted:date}, {days:plural|jour|jours} après la séance du {session:date} {sign} {limit} "
        "autorisés (au plus tard le {due:date})",
        posted=facts.legal_date.isoformat(),
        days=days,
        session=facts.session_date.isoformat(),
        limit=limit,
        due=due.isoformat(),
        sign="≤" if passed else ">",
    )


@rule("minutes_at_next_session", Cited)
def minutes_at_next_session(facts: Facts, params: Cited) -> Verdict:
    """The minutes (*procès-verbal*) of a session are approved (*arrêté*) at the start of the
    council's next session (L2121-15; L3121-13). Sessions that did not deliberate (quorum not
    reached, urgency refused) are not "next": they approved nothing.

    Reads ``facts.extra["approving_session"]`` and ``["next_session"]`` (None: none held yet).
    """
    assert facts.session_date is not None
    approving = str(facts.extra["approving_session"])
    following = facts.extra.get("next_session")
    passed = approving == following
    return verdict(
        "minutes_at_next_session",
        params.article,
        passed,
        "minutes of the session of {session:date} approved at {approving}, {relation} ({next})",
        "procès-verbal de la séance du {session:date} arrêté à {approving}, {relation_fr} ({next})",
        session=facts.session_date.isoformat(),
        approving=approving,
        next=following or "—",
        relation="the council's next session" if passed else "not the council's next session",
        relation_fr="séance suivante du conseil" if passed else "qui n'est pas la séance suivante du conseil",
    )


@rule("minutes_online_within", WithinDays)
def minutes_online_within(facts: Facts, params: WithinDays) -> Verdict:
    """The approved minutes are published online within the week following the session that
    approved them (L2121-15; L3121-13): not before that approval, at most 7 days after it.

    Reads ``facts.extra["approved_on"]`` (the day of the approving session).
    """
    approved = date.fromisoformat(str(facts.extra["approved_on"]))
    limit = params.max_days
    days = (facts.legal_date - approved).days
    passed = 0 <= days <= limit
    return verdict(
        "minutes_online_within",
        params.article,
        passed,
        "minutes online on {online:date}, {days:plural|day|days} after their approval on {approved:date} "
        + ("within" if passed else "outside")
        + " 0–{limit} (due by {due:date})",
        "procès-verbal en ligne le {online:date}, {days:plural|jour|jours} après son arrêté du {approved:date} "
        + ("dans" if passed else "hors de")
        + " l'intervalle 0–{limit} (au plus tard le {due:date})",
        online=facts.legal_date.isoformat(),
        days=days,
        approved=approved.isoformat(),
        limit=limit,
        due=(approved + timedelta(days=limit)).isoformat(),
    )


MODE_WORDS_FR = {"electronic": "électronique", "posting": "affichage", "paper": "papier"}
PUBLICATION_MODES = {
    "electronic": ("electronic publication", "publication électronique"),
    "posting": ("posting (affichage)", "affichage"),
    "paper": ("paper publication", "publication sur papier"),
}


@rule("publication_mode", Publication)
def publication_mode(facts: Facts, params: Publication) -> Verdict:
    """Acts are published in a mode the council's kind and size allow (L2131-1): electronic, in
    full and lasting, for communes of 3,500 and more, EPCI, départements and régions (L2131-1
    III, R2131-1); communes under 3,500 choose posting, paper or electronic by deliberation, and
    publish electronically without one (L2131-1 IV). Population unknown: electronic only (the most
    protective tier). An EPCI without its own tax may in fact choose as a small commune; délib
    does not know the EPCI's tax regime and holds it to electronic publication.

    Where the council may choose (a ``default`` mode in the tier), only the mode its deliberation
    chose is allowed (``facts.extra["publication_chosen"]``: ``{"mode", "by"}``, recorded by
    ``council edit --publication MODE --by ACT`` and in force from that act's executory date),
    and until then the default, electronic (L2131-1 IV: "à défaut de délibération").

    Reads ``facts.extra["publication_mode"]`` (default: electronic).
    """
    mode = str(facts.extra.get("publication_mode") or "electronic")
    chosen = facts.extra.get("publication_chosen")
    chosen_mode = chosen.get("mode") if isinstance(chosen, dict) else None
    allowed: list[str] = list(params.modes)
    why_en = why_fr = ""
    if params.default is not None:
        if chosen_mode in allowed:
            allowed = [str(chosen_mode)]
            by = chosen.get("by") if isinstance(chosen, dict) else None
            why_en, why_fr = f", as chosen by {by}", f", choisi par {by}"
        else:
            allowed = [params.default]
            why_en = ", no deliberation choosing another mode (council edit --publication MODE --by ACT)"
            why_fr = ", aucune délibération n'ayant choisi un autre mode (council edit --publication MODE --by ACTE)"
    passed = mode in allowed
    en_mode, fr_mode = PUBLICATION_MODES.get(mode, (mode, mode))
    allowed_fr = ", ".join(MODE_WORDS_FR.get(m, m) for m in allowed)  # no English word in French
    return verdict(
        "publication_mode",
        params.article,
        passed,
        "{mode_en} " + ("allowed" if passed else "not allowed") + " (allowed: {allowed}" + why_en + ")",
        "{mode_fr} " + ("admise" if passed else "non admise") + " (admises : " + allowed_fr + why_fr + ")",
        mode=mode,
        mode_en=en_mode,
        mode_fr=fr_mode,
        allowed=", ".join(allowed),
    )
