"""The clerk's use cases: each reads the facts from the store, asks the engine, and persists.

Every transition happens in one database transaction: the act's row is updated only if its
``version`` is still the one read (else :class:`ConcurrentChange`), and its event is appended to the
council's hash chain in the same transaction. When two appends race for the same place in the
chain, the loser's whole transaction is rolled back and run again from the start (``retrying``).

One module per concept; this package re-exports their public names (``service.vote_act(...)``):

- ``context``: who acts, on which store, and when (:class:`Context`).
- ``reading``: a council, a session, an act, the members in office, an agenda, a history.
- ``chain``: appending an event to the council's hash chain; the retried transaction.
- ``setup``: councils, members, sessions, acts on a session's agenda.
- ``numbering``: the numbers of acts (date + rank), checked by the definition.
- ``record``: what the chain says happened to a session, a council's measures.
- ``transition``: the facts a rule reads; one act moved by the engine, or a step checked.
- ``attendance``: who is there, at the opening and at each item (pure).
- ``sitting``: convocation, opening (or quorum failure), the session convened again.
- ``vote``: the vote on one item.
- ``proxies``: proxies recorded ahead of the sessions they cover.
- ``register``: the list of deliberations and the minutes, and their publicity.
- ``publication``: publication, transmission to the prefecture, exemption from transmission.
- ``review``: requests, appeals, rulings, withdrawal, finality; postponing an item.
- ``due``: what each act and session needs next, by when.
- ``views``: how the CLI shows councils, sessions, acts and events; the status of every act.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workflow.service.attendance import item_attendance, resolve_attendance
    from workflow.service.chain import AppendedEvent, append_event, retrying
    from workflow.service.context import Context, current_actor
    from workflow.service.due import DUE_STATES, NOT_DELIBERATING, SESSION_STEP_TRIGGERS, due
    from workflow.service.proxies import (
        proxies_for_session,
        record_proxy,
        recorded_proxies,
        sessions_covered,
    )
    from workflow.service.publication import (
        exempt_from_transmission,
        file_act,
        post_act,
        transmission_id_of,
    )
    from workflow.service.reading import (
        act_events,
        count_in_office,
        get_act,
        get_council,
        get_sitting,
        members_in_office,
        session_acts,
    )
    from workflow.service.record import council_measures, sitting_state
    from workflow.service.register import (
        DELIBERATED,
        approve_minutes,
        next_session,
        post_list,
        publish_minutes,
    )
    from workflow.service.review import (
        PARTIES,
        annul_act,
        answer_request,
        contest_act,
        finalize_act,
        postpone_act,
        remove_from_agenda,
        request_review,
        review_requests,
        uphold_act,
        withdraw_act,
    )
    from workflow.service.setup import add_act, add_council, add_members, add_session
    from workflow.service.sitting import close_session, convene_session, open_session, reconvene_session
    from workflow.service.views import act_view, council_view, event_view, sitting_overview, sitting_view, status
    from workflow.service.vote import vote_act

# Each public name and the module that defines it. Modules are imported on first use (PEP 562), so
# that a read command (``delib act show``) does not import the engine, the definitions and the
# deadlines it never uses: start-up time is part of a clerk's experience.
_EXPORTS: dict[str, str] = {
    "AppendedEvent": "chain",
    "Context": "context",
    "DELIBERATED": "register",
    "DUE_STATES": "due",
    "NOT_DELIBERATING": "due",
    "PARTIES": "review",
    "SESSION_STEP_TRIGGERS": "due",
    "act_events": "reading",
    "act_view": "views",
    "add_act": "setup",
    "add_council": "setup",
    "add_members": "setup",
    "add_session": "setup",
    "annul_act": "review",
    "answer_request": "review",
    "append_event": "chain",
    "approve_minutes": "register",
    "contest_act": "review",
    "close_session": "sitting",
    "convene_session": "sitting",
    "council_measures": "record",
    "council_sittings": "reading",
    "council_view": "views",
    "count_in_office": "reading",
    "current_actor": "context",
    "due": "due",
    "event_view": "views",
    "exempt_from_transmission": "publication",
    "file_act": "publication",
    "finalize_act": "review",
    "get_act": "reading",
    "get_council": "reading",
    "get_sitting": "reading",
    "item_attendance": "attendance",
    "members_in_office": "reading",
    "next_session": "register",
    "open_session": "sitting",
    "post_act": "publication",
    "post_list": "register",
    "postpone_act": "review",
    "proxies_for_session": "proxies",
    "publish_minutes": "register",
    "reconvene_session": "sitting",
    "record_proxy": "proxies",
    "recorded_proxies": "proxies",
    "remove_from_agenda": "review",
    "request_review": "review",
    "resolve_attendance": "attendance",
    "retrying": "chain",
    "review_requests": "review",
    "session_acts": "reading",
    "sessions_covered": "proxies",
    "sitting_state": "record",
    "sitting_overview": "views",
    "sitting_view": "views",
    "status": "views",
    "transmission_id_of": "publication",
    "uphold_act": "review",
    "vote_act": "vote",
    "withdraw_act": "review",
    "_retrying": "chain",  # the name workflow/formats/scdl.py imports (an alias of retrying)
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'workflow.service' has no attribute {name!r}")
    module = importlib.import_module(f"workflow.service.{_EXPORTS[name]}")
    value = getattr(module, "retrying" if name == "_retrying" else name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_EXPORTS)


__all__ = [
    "DELIBERATED",
    "DUE_STATES",
    "NOT_DELIBERATING",
    "PARTIES",
    "SESSION_STEP_TRIGGERS",
    "AppendedEvent",
    "Context",
    "act_events",
    "act_view",
    "add_act",
    "add_council",
    "add_members",
    "add_session",
    "council_sittings",
    "annul_act",
    "answer_request",
    "append_event",
    "approve_minutes",
    "contest_act",
    "close_session",
    "convene_session",
    "council_measures",
    "council_view",
    "count_in_office",
    "current_actor",
    "due",
    "event_view",
    "exempt_from_transmission",
    "file_act",
    "finalize_act",
    "get_act",
    "get_council",
    "get_sitting",
    "item_attendance",
    "members_in_office",
    "next_session",
    "open_session",
    "post_act",
    "post_list",
    "postpone_act",
    "proxies_for_session",
    "publish_minutes",
    "reconvene_session",
    "record_proxy",
    "recorded_proxies",
    "remove_from_agenda",
    "request_review",
    "resolve_attendance",
    "retrying",
    "review_requests",
    "session_acts",
    "sessions_covered",
    "sitting_state",
    "sitting_overview",
    "sitting_view",
    "status",
    "transmission_id_of",
    "uphold_act",
    "vote_act",
    "withdraw_act",
]
