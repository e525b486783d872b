"""What the CLI and the audit report say of a rectification (``act_correct``): plain text from a
view, without the database stack (``act show`` prints it on its light path)."""

from __future__ import annotations

from typing import Any


def _figures(vote: Any) -> str:
    if not isinstance(vote, dict):
        return "—"
    blank = f" / {vote['blank']}" if vote.get("blank") else ""
    return f"{vote.get('for', 0)} / {vote.get('against', 0)} / {vote.get('abstain', 0)}{blank}"


def correction_summary(event: dict[str, Any], lang: str) -> str:
    """An ``act_correct`` event's original and correction side by side (``act history``, the
    audit report): empty for any other event."""
    from workflow.history import CORRECT

    facts = event.get("facts") or {}
    if event.get("trigger") != CORRECT or not isinstance(facts, dict):
        return ""
    original = facts.get("original") or {}
    parts = []
    if "vote" in facts:
        parts.append(f"{_figures(original.get('vote'))} → {_figures(facts['vote'])}")
    if "subject" in facts:
        parts.append(f"« {original.get('subject', '')} » → « {facts['subject']} »")
    if isinstance(facts.get("attendance"), dict):
        parts.append(_attendance_change(original.get("attendance") or {}, facts["attendance"], lang))
    label = "motif : " if lang == "fr" else "reason: "
    return "\n" + "; ".join(parts) + f" ({label}{facts.get('reason', '')})"


def _attendance_change(before: dict[str, Any], after: dict[str, Any], lang: str) -> str:
    """Who the correction moved: "présents −X +Y ; pouvoirs +G→H"."""
    fr = lang == "fr"
    old, new = set(before.get("present") or ()), set(after.get("present") or ())
    old_proxies, new_proxies = dict(before.get("proxies") or {}), dict(after.get("proxies") or {})
    moved = [f"−{n}" for n in sorted(old - new)] + [f"+{n}" for n in sorted(new - old)]
    given = [f"+{g}→{h}" for g, h in sorted(new_proxies.items()) if old_proxies.get(g) != h]
    given += [f"−{g}→{h}" for g, h in sorted(old_proxies.items()) if new_proxies.get(g) != h]
    parts = []
    if moved:
        parts.append(("présents " if fr else "present ") + " ".join(moved))
    if given:
        parts.append(("pouvoirs " if fr else "proxies ") + " ".join(given))
    return ("présences : " if fr else "attendance: ") + ("; ".join(parts) or "—")


def correction_lines(view: dict[str, Any], lang: str) -> list[str]:
    """What ``act show`` says of corrections: "corrigé le …", the act it rectifies, the acts
    that rectify it."""
    fr = lang == "fr"
    lines = []
    if view.get("corrected_on"):
        lines.append(f"corrigé le {view['corrected_on']}" if fr else f"corrected on {view['corrected_on']}")
    if view.get("corrects"):
        lines.append(f"délibération rectificative de {view['corrects']}" if fr else f"rectifies {view['corrects']}")
    for other in view.get("corrected_by") or ():
        lines.append(f"rectifié par {other}" if fr else f"rectified by {other}")
    return lines
