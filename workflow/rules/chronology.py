"""Dates as legal facts: order of the steps, nothing in the future (CGCT art. L2131-1, L2121-15)."""

from __future__ import annotations

from workflow.facts import Facts
from workflow.parameters import Cited
from workflow.rules.registry import rule
from workflow.verdict import Verdict, verdict


@rule("not_in_future", Cited)
def not_in_future(facts: Facts, params: Cited) -> Verdict:
    """A step's legal date is not after the day it is recorded (in France's calendar)."""
    passed = facts.legal_date <= facts.recorded_on
    return verdict(
        "not_in_future",
        params.article,
        passed,
        "legal date {legal_date:date} {sign} today {today:date}",
        "date légale {legal_date:date} {sign} aujourd'hui {today:date}",
        legal_date=facts.legal_date.isoformat(),
        today=facts.recorded_on.isoformat(),
        sign="≤" if passed else ">",
    )


@rule("not_before_previous", Cited)
def not_before_previous(facts: Facts, params: Cited) -> Verdict:
    """A step's legal date is not before the legal date of the step it follows."""
    previous = facts.previous_date
    passed = previous is None or facts.legal_date >= previous
    return verdict(
        "not_before_previous",
        params.article,
        passed,
        "legal date {legal_date:date} {sign} previous step {previous:date}",
        "date légale {legal_date:date} {sign} étape précédente {previous:date}",
        legal_date=facts.legal_date.isoformat(),
        previous=previous.isoformat() if previous else "—",
        sign="≥" if passed else "<",
    )


@rule("not_before_session", Cited)
def not_before_session(facts: Facts, params: Cited) -> Verdict:
    """Posting and transmission are dated on or after the session (in either order between them)."""
    assert facts.session_date is not None
    passed = facts.legal_date >= facts.session_date
    return verdict(
        "not_before_session",
        params.article,
        passed,
        "{step} on {legal_date:date} {sign} session of {session:date}",
        "{step_fr} le {legal_date:date} {sign} séance du {session:date}",
        step={"list_posted": "list of deliberations posted"}.get(facts.trigger, facts.trigger),
        step_fr={
            "post": "publication",
            "file": "transmission",
            "list_posted": "liste des délibérations publiée",
        }.get(facts.trigger, facts.trigger),
        legal_date=facts.legal_date.isoformat(),
        session=facts.session_date.isoformat(),
        sign="≥" if passed else "<",
    )


@rule("on_session_day", Cited)
def on_session_day(facts: Facts, params: Cited) -> Verdict:
    """Opening and votes take place on the day of the session that was convened."""
    assert facts.session_date is not None
    passed = facts.legal_date == facts.session_date
    return verdict(
        "on_session_day",
        params.article,
        passed,
        "dated {legal_date:date} {sign} session convened for {session:date}",
        "daté du {legal_date:date} {sign} séance convoquée le {session:date}",
        legal_date=facts.legal_date.isoformat(),
        session=facts.session_date.isoformat(),
        sign="=" if passed else "≠",
    )


@rule("executory_requires_both", Cited)
def executory_requires_both(facts: Facts, params: Cited) -> Verdict:
    """Executory once published and transmitted: dated the later of the two legal dates."""
    posted, filed = facts.posted_on, facts.filed_on
    passed = posted is not None and filed is not None
    executory_on = max(posted, filed) if posted and filed else None  # type: ignore[type-var]
    return verdict(
        "executory_requires_both",
        params.article,
        passed,
        "posted {posted:date}, transmitted {filed:date}: executory on {executory_on:date}"
        if passed
        else "posted {posted}, transmitted {filed}: both are required",
        "publié le {posted:date}, transmis le {filed:date} : exécutoire le {executory_on:date}"
        if passed
        else "publié le {posted}, transmis le {filed} : les deux sont requis",
        posted=posted.isoformat() if posted else "—",
        filed=filed.isoformat() if filed else "—",
        executory_on=executory_on.isoformat() if executory_on else "—",
    )


@rule("secretary_present", Cited)
def secretary_present(facts: Facts, params: Cited) -> Verdict:
    """The secretary of session is appointed among the members present at the opening."""
    assert facts.attendance is not None
    secretary = facts.attendance.secretary
    passed = secretary is not None and secretary in facts.attendance.present
    if secretary is None:
        en, fr = (
            "no secretary of session appointed: give --secretary NAME, a member present",
            "aucun secrétaire de séance désigné : indiquez --secretary NOM, un membre présent",
        )
    elif passed:
        en, fr = (
            "secretary {secretary} is a member present",
            "secrétaire {secretary} : membre présent",
        )
    else:
        en, fr = (
            "secretary {secretary} is not a member present",
            "secrétaire {secretary} : pas un membre présent",
        )
    return verdict(
        "secretary_present",
        params.article,
        passed,
        en,
        fr,
        secretary=secretary or "—",
    )


@rule("not_done_twice", Cited)
def not_done_twice(facts: Facts, params: Cited) -> Verdict:
    """An act is published once and transmitted once (L2131-1): a rejected deliberation, which
    stays rejected when posted or filed (L2131-2 lists deliberations, not only adopted ones), is
    refused a second publication or transmission (a correction is ``act correct``)."""
    done = facts.extra.get("already_on")  # the date of the publication / transmission already recorded
    what_en, what_fr = ("published", "publié") if facts.trigger == "post" else ("transmitted", "transmis")
    return verdict(
        "not_done_twice",
        params.article,
        done is None,
        "not yet {what_en}" if done is None else "already {what_en} on {done}",
        "pas encore {what_fr}" if done is None else "déjà {what_fr} le {done}",
        what_en=what_en,
        what_fr=what_fr,
        done=str(done) if done else "—",
    )
