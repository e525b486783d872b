"""An act as it stood on a past date, replayed from its events (never from its current row) by
the history fold (:func:`workflow.history.act_as_of`, which says what "as of D" means on either
basis: ``legal``, the default, or ``recorded``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from workflow import definition as definitions
from workflow.errors import InvalidInput
from workflow.history import BASES
from workflow.history import act_as_of as fold_as_of
from workflow.service.reading import act_events, get_act, get_council
from workflow.service.views import act_view


def act_as_of(session: Session, act_id: str, day: date, basis: str = "legal") -> dict[str, Any]:
    """The act's view (the keys of ``act_view``) as it stood at the end of ``day``."""
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
    view = act_view(state)
    view.update({"as_of": day.isoformat(), "basis": basis})
    return view
