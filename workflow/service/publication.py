"""After the vote: publication (posting or putting online) and transmission to the prefecture
(@CTES); an act subject to transmission is executory once both are done (CGCT art. L2131-1), one
that L2131-2 leaves out of transmission on its publication alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from workflow.ctes import transmission_id
from workflow.dates import legal_today
from workflow.errors import InvalidTransition, RuleRefused
from workflow.history import ActState
from workflow.service.chain import retrying
from workflow.service.classification import classification_of
from workflow.service.context import Context
from workflow.service.reading import council_on, get_act, get_council, get_sitting
from workflow.service.transition import advance_loaded, base_facts, load_for_transition, loaded_facts, record_act_event
from workflow.store.models import Act


def post_act(ctx: Context, act_id: str, *, on: date, mode: str = "electronic") -> ActState:
    """Publication on ``on``, in ``mode`` (electronic, posting or paper: the definition's
    ``publication_mode`` rule says which the council may use); executory if already
    transmitted (L2131-1)."""

    def work(session: Session) -> ActState:
        loaded = load_for_transition(session, act_id)
        act = loaded.act
        facts = replace(loaded_facts(session, ctx, loaded, "post", on), posted_on=on)
        before = {"already_on": act.posted_on.isoformat()} if act.posted_on else {}
        edited = loaded.population_edited  # a ``council edit`` (the publication mode's choice is one)
        state = council_on(session, get_council(session, loaded.council_id), on) if edited else None
        chosen = dict(state.publication) if state is not None and state.publication else None
        chosen_fact = {"publication_chosen": chosen} if chosen else {}  # none chosen: electronic (L2131-1)
        facts = replace(facts, extra={**facts.extra, "publication_mode": mode, **chosen_fact, **before})
        return advance_loaded(session, ctx, loaded, "post", facts)

    return retrying(ctx, work)


def file_act(
    ctx: Context, act_id: str, *, on: date, ack: str | None = None, extra: Mapping[str, Any] | None = None
) -> ActState:
    """Transmission to the prefecture (@CTES acknowledgement date); executory if already posted.

    ``extra``: more facts for the event (the acknowledgement file's name and SHA-256)."""

    def work(session: Session) -> ActState:
        loaded = load_for_transition(session, act_id, classification=True)
        act = loaded.act
        facts = replace(loaded_facts(session, ctx, loaded, "file", on), filed_on=on)
        prefecture = _prefecture_facts(loaded.department, loaded.siren, act)
        prefecture |= classification_of(loaded.classification, act.matiere)
        ack_fact = {"ack": ack} if ack else {}
        before = {"already_on": act.filed_on.isoformat()} if act.filed_on else {}
        facts = replace(facts, extra={**facts.extra, **(extra or {}), **prefecture, **ack_fact, **before})
        return advance_loaded(session, ctx, loaded, "file", facts)

    return retrying(ctx, work)


def exempt_from_transmission(ctx: Context, act_id: str, *, ground: str) -> Act:
    """Declare the act one L2131-2 leaves out of transmission (before its publication): it will be
    executory on publication alone. The ground is checked by the ``transmission_exemption`` rule."""
    from workflow import definition as definitions
    from workflow.rules import RULES
    from workflow.service.record import council_measures

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        before_publication = ("draft", "convened", "in_session", "postponed", "adopted")
        if act.state not in before_publication:
            raise InvalidTransition(
                f"{act.id} is '{act.state}': an exemption from transmission is declared before "
                f"publication (states: {', '.join(before_publication)}).",
                f"{act.id} est « {act.state} » : la dispense de transmission se déclare avant la "
                f"publication (états : {', '.join(before_publication)}).",
            )
        sitting = get_sitting(session, act.session_id)
        today = legal_today(ctx.now())
        facts = replace(
            base_facts(session, ctx, act, sitting, "exempt", today),
            extra={"transmission_exemption": ground, "nature": act.nature},
        )
        council = get_council(session, act.council_id)
        law = definitions.get(council.definition).params_of(
            "transmission_exemption", council_measures(session, council)
        )
        result = RULES["transmission_exemption"](facts, law)
        if not result.passed:
            raise RuleRefused("exempt", act.id, [result])
        record_act_event(
            session,
            ctx,
            act,
            trigger="exempt",
            session_id=act.session_id,
            from_state=act.state,
            to_state=act.state,
            legal_date=None,
            facts={"transmission_exemption": ground, "subject_to_transmission": False},
            verdicts=[result.to_dict()],
        )
        return act

    return retrying(ctx, work)


def _prefecture_facts(department: str | None, siren: str | None, act: Act | ActState) -> dict[str, Any]:
    """What the @CTES rules compare: the council's department and SIREN, the act's own parts."""
    return {
        "department": department,
        "siren": siren,
        "number": act.number,
        "nature": act.nature,
        "matiere": act.matiere,
    }


def transmission_id_of(session: Session, act: Act) -> str | None:
    """The act's @CTES identifier, when its council has a department and a SIREN."""
    council = get_council(session, act.council_id)
    if not (council.department and council.siren):
        return None
    sitting = get_sitting(session, act.session_id)
    return transmission_id(council.department, council.siren, sitting.held_at.date(), act.number, act.nature)
