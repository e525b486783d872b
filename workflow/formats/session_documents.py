"""The documents of a séance, from its history: the convocation with its agenda, the list of the
deliberations examined, the minutes skeleton (*procès-verbal*).

Each is computed from a :class:`workflow.formats.snapshot.Snapshot` alone (no I/O): Markdown from
the templates ``templates/<kind>.md.j2``; HTML is that Markdown rendered (no raw HTML) in
``templates/document.html.j2``; PDF is the HTML rendered by WeasyPrint (PDF/A-3b). Each carries
the SHA-256 of the last event of the séance it is derived from, and its mark
(:class:`workflow.formats.snapshot.Mark`). The articles cited come from the definition
(``documents``, ``convocation``, ``list_of_deliberations``, ``minutes``). French, as the
register is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from workflow.errors import NotFound
from workflow.formats import french_date, french_long_date
from workflow.formats.extract import NOT_YET_VOTED, _environment, _ordered, html_to_pdf
from workflow.formats.snapshot import Mark, Snapshot, last_hash
from workflow.history import CORRECT, ActState, council_as_of
from workflow.parameters import SittingDocuments

KINDS = ("convocation", "deliberations", "minutes")
TITLES = {
    "convocation": "Convocation",
    "deliberations": "Liste des délibérations examinées",
    "minutes": "Procès-verbal de la séance",
}


def _article(definition: Any, name: str, measures: Mapping[str, Any]) -> str | None:
    from workflow.definition import resolve_tier

    value = definition.parameters.get(name)
    if value is None:
        return None
    article = resolve_tier(value, measures).get("article")
    return str(article) if article else None


def gather(snap: Snapshot, sitting_id: str, *, certified: date) -> dict[str, Any]:
    """What the documents of the séance show, as plain values for the templates."""
    from workflow import definition as definitions

    sitting = snap.sitting(sitting_id)
    if sitting is None:
        raise NotFound(f"No session '{sitting_id}'.", f"Aucune séance « {sitting_id} ».")
    council = snap.council
    definition = definitions.get(council.definition)
    # the population in force on the day of the séance chooses the tier (note of synthesis, delay)
    measures = (council_as_of(snap.events, sitting.held_at.date()) or council).measures()
    from workflow.definition import resolve_tier

    documents = SittingDocuments(**resolve_tier(definition.parameters.get("documents", {}), measures))
    members = snap.members()
    order = {m.name: i for i, m in enumerate(members)}
    day = sitting.held_at.date()
    mayor = next((m.name for m in members if m.is_mayor), None)
    opening = sitting.attendance or {}
    acts = snap.acts_of(sitting_id)
    president = opening.get("president") or mayor
    return {
        "council": {"id": council.id, "name": council.name, "assembly": definition.title.get("fr", council.name)},
        "session": {
            "id": sitting.id,
            "date": french_date(day),
            "long_date": french_long_date(day),
            "hour": sitting.held_at.hour,
            "minute": sitting.held_at.minute,
            "place": sitting.place,
            "status": sitting.status,
            "urgent": sitting.urgent,
            "convened_on": french_date(sitting.convened_on),
            "second_convocation": sitting.second_convocation,
            "president": president,
            "president_is_mayor": president is not None and president == mayor,
            "secretary": opening.get("secretary"),
            "list_posted_on": french_date(sitting.list_posted_on),
            "minutes_approved_at": sitting.minutes_approved_at,
            "minutes_approved_on": french_date(sitting.minutes_approved_on),
            "closed_at": sitting.closed_at,
            "quorum_failed_on": french_date(sitting.quorum_failed_on),
        },
        "articles": {
            "convocation": _article(definition, "convocation", measures),
            "agenda": documents.agenda_article,
            "synthesis_note": documents.synthesis_note_article,
            "list": _article(definition, "list_of_deliberations", measures)
            if "list_of_deliberations" in definition.deadlines
            else None,
            "minutes": _article(definition, "minutes", measures),
        },
        "synthesis_note": documents.synthesis_note,
        "in_office": sum(1 for m in members if m.in_office_on(day)),
        "mayor": mayor,
        "opening": {
            "present": _ordered(opening.get("present"), order),
            "proxies": [(g, opening["proxies"][g]) for g in _ordered(opening.get("proxies"), order)],
            "absent": _ordered(opening.get("absent"), order),
        },
        "items": _items(snap, acts, opening, order),
        "certified": french_date(certified),
        "event_hash": last_hash(snap.sitting_events(sitting_id)),
    }


def _items(
    snap: Snapshot, acts: list[ActState], opening: Mapping[str, Any], order: dict[str, int]
) -> list[dict[str, Any]]:
    """The items in the order of the agenda; who arrived or left is counted from the item before
    (from the opening for the first)."""
    items, before = [], set(opening.get("present") or ())
    for act in acts:
        item = _item(snap, act, before, order)
        if item["voted"] and (act.attendance or {}).get("present") is not None:
            before = set((act.attendance or {})["present"])
        items.append(item)
    return items


def _item(snap: Snapshot, act: ActState, before: set[str], order: dict[str, int]) -> dict[str, Any]:
    """One item of the agenda: its vote and who arrived, left or withdrew for it."""
    attendance = act.attendance or {}
    voted = act.vote is not None and act.state not in NOT_YET_VOTED
    here = set(attendance.get("present") or ())
    corrections = []
    for event in snap.act_events(act.id):
        if event.trigger == CORRECT and isinstance(event.facts, Mapping):
            corrections.append(_correction(event))
    vote = dict(act.vote or {})
    return {
        "number": act.number,
        "subject": act.subject,
        "state": act.state,
        "voted": voted,
        "adopted": voted and act.state != "rejected",
        "vote_text": _figures(vote),
        "present": len(here) if attendance.get("present") is not None else None,
        "took_part": vote.get("took_part"),
        "arrived": _ordered(here - before, order) if voted and before else [],
        "left": _ordered(before - here, order) if voted and here else [],
        "recused": _ordered(attendance.get("recused"), order),
        "corrections": corrections,
        "corrects": act.corrects,
    }


def _figures(vote: Any) -> str:
    if not isinstance(vote, Mapping):
        return "—"
    blank = f", blancs {vote['blank']}" if vote.get("blank") else ""
    return f"pour {vote.get('for', 0)}, contre {vote.get('against', 0)}, abstention {vote.get('abstain', 0)}{blank}"


def _correction(event: Any) -> dict[str, Any]:
    facts = event.facts
    original = facts.get("original") or {}
    changes = []
    if isinstance(facts.get("vote"), Mapping):
        changes.append(f"{_figures(original.get('vote'))} → {_figures(facts['vote'])}")
    if isinstance(facts.get("subject"), str):
        changes.append(f"objet « {original.get('subject', '')} » → « {facts['subject']} »")
    if isinstance(facts.get("attendance"), Mapping):
        changes.append("présences rectifiées")
    return {"on": french_date(event.legal_date), "reason": facts.get("reason", ""), "changes": "; ".join(changes)}


def _outcome(item: Mapping[str, Any]) -> str:
    if not item["voted"]:
        return f"Non délibérée ({item['state']})"
    return "Adoptée" if item["adopted"] else "Rejetée"


def _hour(session: Mapping[str, Any]) -> str:
    return f"{session['hour']} h {session['minute']:02d}"


def render(snap: Snapshot, kind: str, sitting_id: str, fmt: str, *, certified: date) -> str | bytes:
    """One document of the séance, in ``fmt`` (md, html or pdf)."""
    if kind not in KINDS:
        raise KeyError(kind)
    data = gather(snap, sitting_id, certified=certified)
    mark = Mark(kind, sitting_id, fmt, data["event_hash"] or "0" * 64, certified)
    env = _environment()
    env.filters.update(outcome=_outcome, clock=_hour)
    body = str(env.get_template(f"{kind}.md.j2").render(**data)).rstrip() + "\n"
    if fmt == "md":
        return f"{body}\n<!-- {mark} -->\n"
    from markdown_it import MarkdownIt

    html_body = MarkdownIt("commonmark", {"html": False}).enable("table").render(body)
    title = f"{TITLES[kind]} — {data['council']['name']} — {data['session']['date']}"
    html = env.get_template("document.html.j2").render(title=title, body=html_body, mark=str(mark))
    return html if fmt == "html" else html_to_pdf(html, certified)
