"""An act as it stood on a past date, replayed from its events (never from its current row) by
the history fold (:func:`workflow.history.act_as_of`, which says what "as of D" means on either
basis: ``legal``, the default, or ``recorded``)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from workflow import definition as definitions
from workflow.errors import InvalidInput
from workflow.history import BASES, ActState
from workflow.history import act_as_of as fold_as_of
from workflow.service.reading import act_events, get_act, get_council


def act_as_of(session: Session, act_id: str, day: date, basis: str = "legal") -> ActState:
    """The act as it stood at the end of ``day``: the fold's state (which
    :func:`workflow.service.views.act_view` shows, as it shows a row)."""
    if basis not in BASES:
        raise InvalidInput(
            f"Unknown basis '{basis}': legal or recorded.",
            f"Base « {basis} » inconnue : legal ou recorded.",
        )
    act = get_act(session, act_id)
    council = get_council(session, act.council_id)
    events = act_events(session, act_id)
    state = fold_as_of(definitions.get(council.definition), events, day, basis)
    if state is None:
        raise InvalidInput(
            f"{act_id} was not yet recorded at the end of {day.isoformat()}.",
            f"{act_id} n'était pas encore enregistré à la fin du {day.isoformat()}.",
        )
    return state
