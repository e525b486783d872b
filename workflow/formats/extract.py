"""The extract of the register (*extrait du registre des délibérations*), as clerks print it.

The figures come from the act as the engine recorded it at the vote: members in office at that
item, those present, the proxies, those who took part, the counts; then the convocation, posting
and transmission dates and the executory mention (L2131-1: executory once published and
transmitted). The document is French, as the register is. Markdown and HTML come from the Jinja2
templates in ``workflow/formats/templates``; PDF is the HTML rendered by WeasyPrint.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow.errors import DelibError, InvalidInput
from workflow.formats import french_date, french_long_date
from workflow.rules.vote import ACCOUNT

FORMATS = ("md", "html", "pdf")
NOT_YET_VOTED = ("draft", "convened", "in_session")


class PdfUnavailable(DelibError):
    """WeasyPrint (or the Pango library it needs) is not installed."""

    exit_code = 2


def _ordered(names: Any, order: dict[str, int]) -> list[str]:
    """Names in the order of the council's roll (order of registration), unknown names last."""
    return sorted(names or (), key=lambda n: (order.get(n, len(order)), n))


def _vote_facts(session: Any, act_id: str) -> dict[str, Any]:
    from sqlmodel import col, select

    from workflow.store.models import Event

    query = (
        select(Event.facts)
        .where(Event.act_id == act_id, col(Event.trigger).in_(("vote", "elect", "import")))
        .order_by(col(Event.seq).desc())
        .limit(1)
    )
    return session.exec(query).first() or {}


def gather(session: Any, act_id: str, *, today: date) -> dict[str, Any]:
    """Everything the extract shows, as plain values for the templates."""
    from workflow import definition as definitions
    from workflow.service.reading import get_act, get_council, get_sitting
    from workflow.store.models import Member

    act = get_act(session, act_id)
    if act.state in NOT_YET_VOTED:
        raise InvalidInput(
            f"{act_id} is {act.state}: an extract of the register exists only once the council has deliberated.",
            f"{act_id} est à l'état {act.state} : un extrait du registre n'existe qu'une fois "
            "que le conseil a délibéré.",
        )
    sitting = get_sitting(session, act.session_id)
    council = get_council(session, act.council_id)
    from sqlmodel import col, select

    members = list(session.exec(select(Member).where(Member.council_id == council.id).order_by(col(Member.id))))
    order = {m.name: i for i, m in enumerate(members)}
    facts = _vote_facts(session, act.id)
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
            "number": act.number,
            "subject": act.subject,
            "state": act.state,
            "matiere": act.matiere,
            "irregular": act.irregular,
            "imported": imported,
        },
        "session": {
            "date": french_date(sitting.held_at.date()),
            "day_month": french_long_date(sitting.held_at.date()).rsplit(" ", 1)[0],
            "year": sitting.held_at.year,
            "hour": None if imported else sitting.held_at.hour,
            "minute": sitting.held_at.minute,
            "place": sitting.place,
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
            "convocation": french_date(sitting.convened_on),
            "posted": french_date(act.posted_on),
            "filed": french_date(act.filed_on),
            "executory": french_date(act.executory_on),
            "certified": french_date(today),
        },
        "ack": act.ack,
        "mayor": mayor,
        **_whole(session, act),
    }


def _whole(session: Any, act: Any) -> dict[str, Any]:
    """The rest of the deliberation: its full text (Markdown, and as HTML without raw HTML),
    its annexes, its corrections and the hash of its last event, which lets anyone check the
    extract against the history (``delib audit verify``)."""
    from markdown_it import MarkdownIt
    from sqlmodel import col, select

    from workflow.service.documents import document_content
    from workflow.store.models import Event

    content = document_content(session, act.text_sha256) if act.text_sha256 else None
    text = content.decode("utf-8") if content is not None else None
    last = session.exec(select(Event.hash).where(Event.act_id == act.id).order_by(col(Event.seq).desc())).first()
    return {
        "text": text,
        "text_html": MarkdownIt("commonmark", {"html": False}).render(text) if text else None,
        "text_sha256": act.text_sha256,
        "annexes": [dict(a) for a in act.annexes or ()],
        "corrected_on": french_date(act.corrected_on),
        "corrects": act.corrects,
        "event_hash": last,
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
    """The extract as Markdown or HTML text, or PDF bytes."""
    if fmt not in FORMATS:
        raise InvalidInput(
            f"Unknown format '{fmt}': md, html or pdf.",
            f"Format « {fmt} » inconnu : md, html ou pdf.",
        )
    env = _environment()
    if fmt == "md":
        return env.get_template("extract.md.j2").render(**data)
    html = env.get_template("extract.html.j2").render(**data)
    return html if fmt == "html" else html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF with WeasyPrint; a clear error when it (or Pango) is missing."""
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
    return HTML(string=html).write_pdf()


def extract(session: Any, act_id: str, fmt: str, *, today: date) -> str | bytes:
    """The rendered extract of one act."""
    return render(gather(session, act_id, today=today), fmt)
