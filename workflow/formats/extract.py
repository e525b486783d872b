"""The extract of the register (*extrait du registre des délibérations*), as clerks print it.

The figures come from the act as the engine recorded it at the vote: members in office at that
item, those present, the proxies, those who took part, the counts; then the convocation, posting
and transmission dates and the executory mention (L2131-1: executory once published and
transmitted). The document is French, as the register is. Markdown and HTML come from the Jinja2
templates in ``workflow/formats/templates``; PDF is the HTML rendered by WeasyPrint (PDF/A-3b).

Everything is read from a :class:`workflow.formats.snapshot.Snapshot` — the fold of the log up to
the act's last event — and nothing else, so that ``delib audit verify-document`` can compute the
same extract again from the log; it carries that event's hash and its mark.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from workflow.errors import DelibError, InvalidInput, NotFound
from workflow.formats import french_date, french_long_date
from workflow.formats.snapshot import Mark, Snapshot, last_hash
from workflow.history import ActState
from workflow.rules.vote import ACCOUNT

FORMATS = ("md", "html", "pdf")
PDF_VARIANT = "pdf/a-3b"  # PDF/A-3b: archivable, the text selectable (fonts embedded with their Unicode map)
NOT_YET_VOTED = ("draft", "convened", "in_session")


class PdfUnavailable(DelibError):
    """WeasyPrint (or the Pango library it needs) is not installed."""

    exit_code = 2


def _ordered(names: Any, order: dict[str, int]) -> list[str]:
    """Names in the order of the council's roll (order of registration), unknown names last."""
    return sorted(names or (), key=lambda n: (order.get(n, len(order)), n))


def _vote_facts(snapshot: Snapshot, act_id: str) -> Mapping[str, Any]:
    """The facts of the act's last vote (round, or import): the members in office at the item."""
    for event in reversed(snapshot.act_events(act_id)):
        if event.trigger in ("vote", "elect", "import"):
            return event.facts if isinstance(event.facts, Mapping) else {}
    return {}


def gather(snapshot: Snapshot, act_id: str, *, today: date) -> dict[str, Any]:
    """Everything the extract shows, as plain values for the templates (``today``: the date of
    the certification, *pour copie conforme*)."""
    from workflow import definition as definitions

    act = snapshot.act(act_id)
    if act is None:
        raise NotFound(f"No act {act_id}.", f"Aucun acte {act_id}.")
    if act.state in NOT_YET_VOTED:
        raise InvalidInput(
            f"{act_id} is {act.state}: an extract of the register exists only once the council has deliberated.",
            f"{act_id} est à l'état {act.state} : un extrait du registre n'existe qu'une fois "
            "que le conseil a délibéré.",
        )
    council = snapshot.council
    sitting = snapshot.sitting(act.session_id)
    held_at = sitting.held_at if sitting is not None else datetime.combine(act.voted_on or date.min, time())
    members = snapshot.members()
    order = {m.name: i for i, m in enumerate(members)}
    facts = _vote_facts(snapshot, act.id)
    attendance = act.attendance or {}
    vote = act.vote or {}
    mayor = next((m.name for m in members if m.is_mayor), None)
    president = attendance.get("president") or mayor
    proxies = attendance.get("proxies", {})
    imported = bool(facts.get("imported"))
    return {
        "council": {
            "id": council.id,
            "name": council.name,
            "assembly": definitions.get(council.definition).title.get("fr", council.name),
        },
        "act": {
            "id": act.id,
            "number": act.number,
            "subject": act.subject,
            "state": act.state,
            "matiere": act.matiere,
            "irregular": act.irregular,
            "imported": imported,
        },
        "session": {
            "date": french_date(held_at.date()),
            "day_month": french_long_date(held_at.date()).rsplit(" ", 1)[0],
            "year": held_at.year,
            "hour": None if imported else held_at.hour,
            "minute": held_at.minute,
            "place": sitting.place if sitting is not None else None,
            "president": president,
            "president_is_mayor": president is not None and president == mayor,
            "secretary": attendance.get("secretary"),
        },
        "counts": {
            "in_office": facts.get("members_in_office"),
            "present": len(attendance["present"]) if "present" in attendance else None,
            "took_part": vote.get("took_part", facts.get("took_part")),
        },
        "election": _election(act.election),
        "present": _ordered(attendance.get("present"), order),
        "proxies": [(giver, proxies[giver]) for giver in _ordered(proxies, order)],
        "absent": _ordered(attendance.get("absent"), order),
        "recused": _ordered(attendance.get("recused"), order),
        "vote": {
            "known": bool(vote),
            "for": vote.get("for"),
            "against": vote.get("against"),
            "abstain": vote.get("abstain"),
            "blank": vote.get("blank", 0),
            "unanimous": bool(vote) and vote.get("against") == 0 and vote.get("abstain") == 0 and not vote.get("blank"),
            "adopted": act.state not in ("rejected",),
            "casting_vote": bool(vote.get("casting_vote")),
            "account": act.kind == ACCOUNT,
            "election": act.election is not None,
        },
        "dates": {
            "convocation": french_date(sitting.convened_on if sitting is not None else None),
            "posted": french_date(act.posted_on),
            "filed": french_date(act.filed_on),
            "executory": french_date(act.executory_on),
            "certified": french_date(today),
            "certified_iso": today.isoformat(),
        },
        "ack": act.ack,
        "mayor": mayor,
        **_whole(snapshot, act),
    }


def _whole(snapshot: Snapshot, act: ActState) -> dict[str, Any]:
    """The rest of the deliberation: its full text (Markdown, and as HTML without raw HTML),
    its annexes, its corrections and the hash of its last event, which lets anyone check the
    extract against the history (``delib audit verify-document``)."""
    from markdown_it import MarkdownIt

    text = snapshot.texts.get(act.text_sha256) if act.text_sha256 else None
    return {
        "text": text,
        "text_html": MarkdownIt("commonmark", {"html": False}).render(text) if text else None,
        "text_sha256": act.text_sha256,
        "annexes": [dict(a) for a in act.annexes or ()],
        "corrected_on": french_date(act.corrected_on),
        "corrects": act.corrects,
        "event_hash": last_hash(snapshot.act_events(act.id)),
    }


def _election(election: Any) -> dict[str, Any] | None:
    """An appointment's rounds and who is elected, in French (CGCT art. L2121-21)."""
    if not election:
        return None
    rounds = []
    for held in election.get("rounds", ()):
        candidates = ", ".join(f"{c.get('name')} {c.get('votes')}" for c in held.get("candidates", ()))
        majority = (
            f"majorité absolue {held.get('needed')}" if held.get("majority") == "absolute" else "majorité relative"
        )
        ballot = "scrutin secret" if held.get("secret", True) else "vote à main levée décidé à l'unanimité"
        elected = ", ".join(held.get("elected", ())) or "personne"
        by_age = f" (le plus âgé, à égalité de voix : {', '.join(held['by_age'])})" if held.get("by_age") else ""
        rounds.append(
            f"Tour {held.get('round')} ({ballot}) : {candidates} ; {held.get('blank', 0)} blanc(s), "
            f"{held.get('null', 0)} nul(s), {held.get('cast', 0)} suffrages exprimés ; {majority} ; "
            f"élu(s) : {elected}{by_age}"
        )
    return {"seats": election.get("seats", 1), "rounds": rounds, "elected": _names(list(election.get("elected", ())))}


def _names(items: list[str]) -> str:
    return ", ".join(items) if items else "—"


def _proxies_text(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{g} ayant donné procuration à {h}" for g, h in pairs) if pairs else "—"


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _vote_line(vote: dict[str, Any]) -> str:
    """The outcome as the register states it; a tie decided by the president's casting vote
    says so (L2121-20), a compte administratif is *arrêté* unless a majority is against it."""
    if vote.get("election"):
        return "Nomination au scrutin, tour par tour (ci-dessous)"
    if not vote["known"]:
        return "Décompte non connu"
    if vote["account"]:
        return "Compte administratif arrêté" if vote["adopted"] else "Compte administratif rejeté (majorité contre)"
    if vote["unanimous"]:
        return "À l'unanimité"
    outcome = "Adoptée" if vote["adopted"] else "Rejetée"
    return outcome + ", voix du président prépondérante" if vote["casting_vote"] else outcome


def _hour(session: dict[str, Any]) -> str:
    if session["hour"] is None:
        return ""
    return f" à {session['hour']} heures" + (f" {session['minute']:02d}" if session["minute"] else "")


FILTERS = {
    "names": _names,
    "proxies_text": _proxies_text,
    "figure": _count,
    "vote_line": _vote_line,
    "hour": _hour,
}


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("workflow.formats", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render(data: dict[str, Any], fmt: str) -> str | bytes:
    """The extract as Markdown or HTML text, or PDF bytes (PDF/A-3b), each marked with the
    event it is derived from (:class:`workflow.formats.snapshot.Mark`)."""
    check_format(fmt)
    mark = Mark(
        "extract", data["act"]["id"], fmt, data["event_hash"], date.fromisoformat(data["dates"]["certified_iso"])
    )
    return render_template("extract", {**data, "mark": str(mark)}, fmt, mark.certified)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(
            f"Unknown format '{fmt}': md, html or pdf.",
            f"Format « {fmt} » inconnu : md, html ou pdf.",
        )


def render_template(name: str, data: dict[str, Any], fmt: str, day: date | None = None) -> str | bytes:
    """``templates/NAME.md.j2`` or ``NAME.html.j2`` rendered (the PDF is the HTML's)."""
    env = _environment()
    if fmt == "md":
        return str(env.get_template(f"{name}.md.j2").render(**data))
    html = env.get_template(f"{name}.html.j2").render(**data)
    return html if fmt == "html" else html_to_pdf(html, day)


def html_to_pdf(html: str, day: date | None = None) -> bytes:
    """Render HTML to PDF/A-3b with WeasyPrint; a clear error when it (or Pango) is missing.

    The same HTML gives the same bytes (so that ``audit verify-document`` can compute a PDF
    again): the only clock WeasyPrint reads is the modification time fontTools writes in each
    embedded font subset, which honours ``SOURCE_DATE_EPOCH``; it is set, while rendering, to
    midnight UTC of ``day`` (the document's date), else of 1 January 2000."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            f"PDF needs WeasyPrint and the Pango library ({exc}). Install them with "
            "'pip install \"delib[pdf]\"' and the system package of Pango (Debian: libpango-1.0-0 "
            "libpangoft2-1.0-0), or use --format html and print it.",
            f"Le PDF exige WeasyPrint et la bibliothèque Pango ({exc}). Installez-les avec "
            '« pip install "delib[pdf]" » et le paquet système de Pango (Debian : libpango-1.0-0 '
            "libpangoft2-1.0-0), ou utilisez --format html et imprimez-le.",
        ) from None
    epoch = datetime.combine(day or date(2000, 1, 1), time(), tzinfo=UTC).timestamp()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        return bytes(HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT))
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def extract(snapshot: Snapshot, act_id: str, fmt: str, *, today: date) -> str | bytes:
    """The rendered extract of one act."""
    return render(gather(snapshot, act_id, today=today), fmt)
