"""Findings for an auditor, per act: what to look at, with the figures and the article.

Kinds of finding (``kind``):

- ``overridden``: a rule that failed and was set aside with ``--override`` (the reason given).
- ``backdated``: a step recorded more than ``backdating_days`` after its legal date (the
  definition's ``deadlines: recording``, a week). The law sets no such limit; a week is our
  threshold for "recorded long after the fact", above ordinary clerical delay (a session on Friday
  recorded the next week), and a parameter.
- ``postdated``: a step recorded *before* its legal date (only possible by an override).
- ``late_list``: the list of the deliberations examined must be posted and put online within one
  week of the session (CGCT art. L2121-25; ``list_days``, the definition's
  ``list_of_deliberations``; a definition without it, a département's, has no such finding). When the log holds the
  session's ``list_posted`` step, its date is used; otherwise the act's own publication (``post``)
  is what the events hold, and the finding says so. Reported too when nothing was posted that
  long after the session.
- ``late_transmission``: transmitted to the prefecture more than ``transmission_days`` (the
  definition's ``transmission: individual_decision_days``, 15) after
  the session, or not yet transmitted that long after. No statutory deadline applies to
  deliberations (the act is simply not executory until transmitted, CGCT art. L2131-1); 15 days
  is the delay the CGCT sets for individual decisions, used as a threshold to look at.
- ``not_executory``: an act that never reached ``executory``, whose session has passed, and that
  is in no final state of its definition (a rejected or withdrawn act is not reported).
- ``corrected``: a rectification of a transcription error (``act correct``): the figures or the
  subject first recorded beside the corrected ones, with the reason (nothing was erased).
- ``chain``: a break of the hash chain or an act whose row does not match its events
  (``workflow.audit.verify``), attached to the act when the event belongs to it.

The thresholds and the articles cited are the act's council's definition's (its ``deadlines:``),
each overridden by a :class:`Thresholds` figure the auditor gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from workflow import definition as definitions
from workflow.audit.source import ACTS, COUNCILS, EVENTS, events_query, stream
from workflow.audit.verify import Finding, verify
from workflow.dates import legal_today
from workflow.deadlines import span_of_days
from workflow.parameters import Deadlines
from workflow.store.models import Council, Sitting

LIST_POSTED = "list_posted"
KINDS = (
    "chain",
    "overridden",
    "backdated",
    "postdated",
    "late_list",
    "late_transmission",
    "not_executory",
    "corrected",
)


@dataclass(frozen=True)
class Thresholds:
    """The auditor's thresholds in days; ``None``: the council's definition's (its ``deadlines:``
    ``recording``, ``list_of_deliberations`` and ``transmission``)."""

    backdating_days: int | None = None
    list_days: int | None = None
    transmission_days: int | None = None


@dataclass(frozen=True)
class _Limits:
    """The thresholds that apply to one council's acts, with the articles they cite (``None``:
    the definition has no such deadline, and the finding is not looked for)."""

    backdating_days: int | None
    list_days: int | None
    list_article: str
    transmission_days: int | None
    transmission_article: str

    @classmethod
    def of(cls, law: Deadlines, given: Thresholds) -> _Limits:
        listing, transmission, recording = law.list_of_deliberations, law.transmission, law.recording
        recording_days = recording.max_days if recording else None
        return cls(
            backdating_days=given.backdating_days if given.backdating_days is not None else recording_days,
            list_days=_given(given.list_days, listing.max_days if listing else None),
            list_article=listing.article if listing else "",
            transmission_days=_given(
                given.transmission_days, transmission.individual_decision_days if transmission else None
            ),
            transmission_article=transmission.article if transmission else "",
        )

    def figures(self) -> dict[str, int | None]:
        return {
            "backdating_days": self.backdating_days,
            "list_days": self.list_days,
            "transmission_days": self.transmission_days,
        }


def _given(figure: int | None, law: int | None) -> int | None:
    """The auditor's figure, else the law's; none where the definition has no such deadline."""
    return law if figure is None or law is None else figure


class _CouncilLimits(dict[str, _Limits]):
    """Each council's thresholds, read when its first act comes: its definition's deadlines, for
    its measures, overridden by the auditor's figures."""

    def __init__(self, session: Session, given: Thresholds) -> None:
        super().__init__()
        self.session, self.given = session, given

    def __missing__(self, council_id: str) -> _Limits:
        from workflow.service.record import council_measures

        council = self.session.get(Council, council_id)
        assert council is not None
        law = definitions.get(council.definition).deadline_law(council_measures(self.session, council))
        self[council_id] = limits = _Limits.of(law, self.given)
        return limits


def report(
    session: Session,
    council: str | None = None,
    *,
    year: int | None = None,
    today: date | None = None,
    thresholds: Thresholds = Thresholds(),
) -> dict[str, Any]:
    """The findings of every act of the council (or all), of one year's sessions if given."""
    if council:
        from workflow.service.reading import get_council

        get_council(session, council)
    today = today or legal_today()
    lists = _lists_posted(session, council)
    checked = verify(session, council)
    chain = _chain_findings(checked.findings)
    limits = _CouncilLimits(session, thresholds)
    found_in: list[tuple[Any, dict[str, Any]]] = []
    examined = 0
    for act, events in _acts_with_events(session, council, year):
        examined += 1
        found = _act_findings(act, events, lists.get(act.session_id), today, limits[act.council_id])
        found = chain.pop(act.id, []) + found
        if found:
            found_in.append(((act.council_id, act.held_at, act.rank), {**_act_summary(act), "findings": found}))
    found_in.sort(key=lambda pair: pair[0])  # the acts' order: council, session, rank
    entries = [entry for _, entry in found_in]
    council_findings = [f for items in chain.values() for f in items]
    summary = Counter(f["kind"] for e in entries for f in e["findings"])
    summary.update(f["kind"] for f in council_findings)
    return {
        "council": council,
        "year": year,
        "as_of": today.isoformat(),
        "thresholds": _shown(thresholds, limits),
        "acts_examined": examined,
        "chain_verified": checked.ok,
        "events_verified": checked.events,
        "summary": {kind: summary.get(kind, 0) for kind in KINDS},
        "acts": entries,
        "council_findings": council_findings,
    }


def _shown(given: Thresholds, limits: dict[str, _Limits]) -> dict[str, int | None]:
    """The thresholds applied: the same for every council examined, else those the auditor gave
    (``None`` where each council's definition's apply)."""
    applied = [each.figures() for each in limits.values()]
    if applied and all(figures == applied[0] for figures in applied):
        return applied[0]
    return asdict(given)


def _acts_with_events(session: Session, council: str | None, year: int | None) -> Iterator[tuple[Any, list[Any]]]:
    """Each act (of the council, of one year's sessions) with its events in chain order, both
    streamed in the order of act ids and joined as they come (index ``ix_event_act_seq``): only
    one act's events are held at a time."""
    sittings = Sitting.__table__  # type: ignore[attr-defined]
    query = (
        select(ACTS, sittings.c.held_at, COUNCILS.c.definition)
        .join(sittings, sittings.c.id == ACTS.c.session_id)
        .join(COUNCILS, COUNCILS.c.id == ACTS.c.council_id)
    )
    if council:
        query = query.where(ACTS.c.council_id == council)
    if year:
        query = query.where(
            sittings.c.held_at >= datetime(year, 1, 1),
            sittings.c.held_at < datetime(year + 1, 1, 1),
        )
    # Both in the byte order of the ids, which Python's comparison of the ids follows.
    postgres = session.get_bind().dialect.name == "postgresql"
    event_act, act_id = (
        (EVENTS.c.act_id.collate("C"), ACTS.c.id.collate("C")) if postgres else (EVENTS.c.act_id, ACTS.c.id)
    )
    events_of_acts = events_query(council=council).where(EVENTS.c.act_id.is_not(None))
    events = iter(stream(session, events_of_acts.order_by(None).order_by(event_act, EVENTS.c.seq)))
    pending = next(events, None)
    for act in stream(session, query.order_by(act_id)):
        while pending is not None and pending.act_id < act.id:
            pending = next(events, None)  # an act outside the year, or no longer in the table
        own = []
        while pending is not None and pending.act_id == act.id:
            own.append(pending)
            pending = next(events, None)
        yield act, own


def _lists_posted(session: Session, council: str | None) -> dict[str, Any]:
    """The ``list_posted`` step of each session (L2121-25), when the log holds one."""
    query = events_query(council=council, trigger=LIST_POSTED)
    return {row.session_id: row for row in stream(session, query) if row.session_id}


def _act_summary(act: Any) -> dict[str, Any]:
    return {
        "act": act.id,
        "council": act.council_id,
        "subject": act.subject,
        "session": act.session_id,
        "session_date": act.held_at.date().isoformat(),
        "state": act.state,
    }


def _chain_findings(findings: list[Finding]) -> dict[str, list[dict[str, Any]]]:
    by_act: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        by_act[f.act or f"council:{f.council}"].append(
            {
                "kind": "chain",
                "seq": f.seq,
                "legal_date": None,
                "messages": f.messages,
                "figures": {
                    "break": f.kind,
                    "council": f.council,
                    **({"field": f.field} if f.field else {}),
                },
            }
        )
    return by_act


def _finding(kind: str, event: Any, en: str, fr: str, **figures: Any) -> dict[str, Any]:
    legal = event.legal_date.isoformat() if event is not None and event.legal_date else None
    return {
        "kind": kind,
        "seq": event.seq if event is not None else None,
        "legal_date": legal,
        "messages": {"en": en, "fr": fr},
        "figures": figures,
    }


def _act_findings(act: Any, events: list[Any], list_posted: Any, today: date, limits: _Limits) -> list[dict[str, Any]]:
    found = []
    for event in events:
        found += _overrides(event) + _recording_delay(event, limits) + _correction(event)
    session_day = act.held_at.date()
    by_trigger = {e.trigger: e for e in events}
    adopted = any(e.to_state == "adopted" for e in events) or act.state in (
        "posted",
        "filed",
        "executory",
    )
    if adopted and limits.list_days is not None:
        if list_posted is not None:
            found += _late(
                list_posted,
                session_day,
                today,
                limits.list_days,
                "late_list",
                ("list of deliberations posted", "liste des délibérations affichée"),
                limits.list_article,
            )
        else:
            found += _late(
                by_trigger.get("post"),
                session_day,
                today,
                limits.list_days,
                "late_list",
                ("published", "publié"),
                limits.list_article,
                proxy=True,
            )
    if adopted and act.subject_to_transmission and limits.transmission_days is not None:
        found += _late(
            by_trigger.get("file"),
            session_day,
            today,
            limits.transmission_days,
            "late_transmission",
            ("transmitted", "transmis"),
            limits.transmission_article,
        )
    final = _final_states(act.definition)
    reached = any(e.to_state == "executory" for e in events)
    if not reached and act.state not in final and session_day < today:
        days = (today - session_day).days
        found.append(
            _finding(
                "not_executory",
                events[-1] if events else None,
                f"still '{act.state}' {days} days after its session of {session_day.isoformat()}: never made executory",
                f"toujours « {act.state} » {days} jours après sa séance du "
                f"{session_day.isoformat()} : jamais rendu exécutoire",
                state=act.state,
                days_since_session=days,
            )
        )
    return found


def _correction(event: Any) -> list[dict[str, Any]]:
    """A rectification, its original and its correction side by side."""
    from workflow.history import CORRECT
    from workflow.service.corrections import correction_summary

    if event.trigger != CORRECT or not isinstance(event.facts, dict):
        return []
    shown = {"trigger": event.trigger, "facts": event.facts}
    original = event.facts.get("original") or {}
    corrected = {k: event.facts[k] for k in ("vote", "subject") if k in event.facts}
    return [
        _finding(
            "corrected",
            event,
            "corrected: " + correction_summary(shown, "en").strip(),
            "corrigé : " + correction_summary(shown, "fr").strip(),
            original=original,
            corrected=corrected,
            reason=event.facts.get("reason"),
        )
    ]


def _overrides(event: Any) -> list[dict[str, Any]]:
    found = []
    for v in event.verdicts or []:
        if v.get("overridden"):
            found.append(
                _finding(
                    "overridden",
                    event,
                    f"'{event.trigger}': rule {v['rule']} ({v['article']}) failed and was "
                    f"overridden — reason: {v.get('override_reason')}",
                    f"« {event.trigger} » : la règle {v['rule']} ({v['article']}) n'était pas "
                    f"respectée et a été passée outre — motif : {v.get('override_reason')}",
                    rule=v["rule"],
                    article=v["article"],
                    reason=v.get("override_reason"),
                    rule_figures=v.get("figures", {}),
                )
            )
    return found


def _recording_delay(event: Any, limits: _Limits) -> list[dict[str, Any]]:
    if event.legal_date is None or limits.backdating_days is None:
        return []
    recorded = legal_today(event.recorded_at)
    delay = (recorded - event.legal_date).days
    if delay > limits.backdating_days:
        return [
            _finding(
                "backdated",
                event,
                f"'{event.trigger}' dated {event.legal_date.isoformat()} was recorded on "
                f"{recorded.isoformat()}, {delay} days later (threshold {limits.backdating_days})",
                f"« {event.trigger} » daté du {event.legal_date.isoformat()} a été enregistré le "
                f"{recorded.isoformat()}, {delay} jours plus tard (seuil "
                f"{limits.backdating_days})",
                days=delay,
                recorded_on=recorded.isoformat(),
                threshold=limits.backdating_days,
            )
        ]
    if delay < 0:
        return [
            _finding(
                "postdated",
                event,
                f"'{event.trigger}' dated {event.legal_date.isoformat()} was recorded earlier, "
                f"on {recorded.isoformat()}",
                f"« {event.trigger} » daté du {event.legal_date.isoformat()} a été enregistré "
                f"avant, le {recorded.isoformat()}",
                days=delay,
                recorded_on=recorded.isoformat(),
            )
        ]
    return []


def _late(
    step: Any,
    session_day: date,
    today: date,
    limit: int,
    kind: str,
    done: tuple[str, str],
    article: str,
    proxy: bool = False,
) -> list[dict[str, Any]]:
    list_note = (
        (
            f" (the list of deliberations must be posted and online within {span_of_days(limit, 'en')}; "
            "the log holds the act's publication, not the list)",
            f" (la liste des délibérations doit être affichée et mise en ligne sous {span_of_days(limit, 'fr')} ; "
            "le journal connaît la publication de l'acte, pas la liste)",
        )
        if proxy
        else ("", "")
    )
    if step is not None and step.legal_date is not None:
        days = (step.legal_date - session_day).days
        if days <= limit:
            return []
        return [
            _finding(
                kind,
                step,
                f"{done[0]} on {step.legal_date.isoformat()}, {days} days after the session of "
                f"{session_day.isoformat()} (more than {limit}, {article}){list_note[0]}",
                f"{done[1]} le {step.legal_date.isoformat()}, {days} jours après la séance du "
                f"{session_day.isoformat()} (plus de {limit}, {article}){list_note[1]}",
                days=days,
                limit=limit,
                article=article,
            )
        ]
    days = (today - session_day).days
    if step is None and days > limit:
        return [
            _finding(
                kind,
                None,
                f"not {done[0]} {days} days after the session of {session_day.isoformat()} (more "
                f"than {limit}, {article}){list_note[0]}",
                f"non {done[1]} {days} jours après la séance du {session_day.isoformat()} (plus "
                f"de {limit}, {article}){list_note[1]}",
                days=days,
                limit=limit,
                article=article,
                pending=True,
            )
        ]
    return []


def _final_states(definition_name: str) -> set[str]:
    try:
        return set(definitions.get(definition_name).final)
    except Exception:  # noqa: BLE001 - an unknown definition: only executory/rejected are final
        return {"executory", "rejected"}


# ---------------------------------------------------------------- Markdown


def to_markdown(data: dict[str, Any], lang: str = "en") -> str:
    """The report as a Markdown document, in the user's language."""
    fr = lang == "fr"
    scope = data["council"] or ("toutes les assemblées" if fr else "all councils")
    year = f" — {data['year']}" if data["year"] else ""
    lines = [
        f"# {'Rapport d’audit' if fr else 'Audit report'}: {scope}{year}",
        "",
        f"- {'Au' if fr else 'As of'}: {data['as_of']}",
        f"- {'Actes examinés' if fr else 'Acts examined'}: {data['acts_examined']}",
        f"- {'Chaîne vérifiée' if fr else 'Chain verified'}: "
        f"{('oui' if fr else 'yes') if data['chain_verified'] else ('NON' if fr else 'NO')} "
        f"({data['events_verified']} {'événements' if fr else 'events'})",
        f"- {'Seuils (jours)' if fr else 'Thresholds (days)'}: "
        + ", ".join(f"{k} = {v}" for k, v in data["thresholds"].items()),
        "",
        f"| {'Constat' if fr else 'Finding'} | {'Nombre' if fr else 'Count'} |",
        "| --- | ---: |",
        *(f"| {kind} | {n} |" for kind, n in data["summary"].items()),
        "",
    ]
    if data["council_findings"]:
        lines += [f"## {'Journal' if fr else 'Log'}", ""]
        lines += [_md_item(f, lang) for f in data["council_findings"]] + [""]
    for entry in data["acts"]:
        lines += [
            f"## {entry['act']} — {entry['subject']}",
            "",
            f"{'Séance' if fr else 'Session'} {entry['session_date']} · {'état' if fr else 'state'} {entry['state']}",
            "",
            *(_md_item(f, lang) for f in entry["findings"]),
            "",
        ]
    if not data["acts"] and not data["council_findings"]:
        lines.append("Aucun constat." if fr else "No finding.")
    return "\n".join(lines).rstrip() + "\n"


def _md_item(finding: dict[str, Any], lang: str) -> str:
    where = f" (#{finding['seq']})" if finding.get("seq") else ""
    text = finding["messages"].get(lang) or finding["messages"]["en"]
    return f"- **{finding['kind']}**{where}: {text.replace('|', '/')}"
