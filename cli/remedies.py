"""One line of remedy under a refusal, where the law gives one, computed from the verdict's
figures (the rule's own comparison): the last day the convocation could have been sent, the
earliest date of a second meeting, the option that records a quorum failure.

Pure functions of (figures, trigger) → a message key of :mod:`cli.i18n` and its values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

Remedy = tuple[str, dict[str, Any]]


def _convocation_delay(figures: Mapping[str, Any], trigger: str) -> Remedy | None:
    """The convocation delay: ``required`` clear days between sending and the session, neither
    counted; so the last day of sending is the day before the session less ``required`` days."""
    try:
        session = date.fromisoformat(str(figures["session"]))
        sent = date.fromisoformat(str(figures["sent"]))
        required = int(figures["required"])
    except (KeyError, ValueError):
        return None
    return (
        "remedy_convocation",
        {
            "last": session - timedelta(days=required + 1),
            "required": required,
            "earliest": sent + timedelta(days=required + 1),
        },
    )


def _second_convocation_delay(figures: Mapping[str, Any], trigger: str) -> Remedy | None:
    """The second convocation: at least ``required`` clear days after it (or the failed meeting)."""
    try:
        start = date.fromisoformat(str(figures["start"]))
        required = int(figures["required"])
    except (KeyError, ValueError):
        return None
    return "remedy_second_convocation", {"earliest": start + timedelta(days=required + 1), "required": required}


def _quorum(figures: Mapping[str, Any], trigger: str) -> Remedy | None:
    """Without quorum the council cannot deliberate; the meeting is recorded as failed
    (at the opening), or the item waits for arrivals (at a vote)."""
    if trigger == "open":
        return "remedy_quorum_open", {}
    if trigger == "vote":
        return "remedy_quorum_vote", {}
    return None


def _not_before_session(figures: Mapping[str, Any], trigger: str) -> Remedy | None:
    if "session" not in figures:
        return None
    return "remedy_not_before_session", {"session": figures["session"]}


REMEDIES: dict[str, Callable[[Mapping[str, Any], str], Remedy | None]] = {
    "convocation_delay": _convocation_delay,
    "second_convocation_delay": _second_convocation_delay,
    "quorum": _quorum,
    "not_before_session": _not_before_session,
}


def remedy(rule: str, figures: Mapping[str, Any], trigger: str) -> Remedy | None:
    """The remedy of a failed rule, if the law gives one."""
    found = REMEDIES.get(rule)
    return found(figures, trigger) if found else None
