"""What a document of the séance is made of: a council's log up to one event, folded.

Every document délib writes (the extract of the register, the convocation, the list of the
deliberations, the minutes) is computed from a :class:`Snapshot` — the fold
(:func:`workflow.history.fold`) of the council's events up to one of them, and those events — and
from nothing else, so that the document written today can be computed again from the log by
anyone (``delib audit verify-document``): the event whose hash the document carries is the last
event of the snapshot that concerns the act (or the séance).

Pure: the snapshot is built by the service (``workflow.service.session_documents``), the
contents of texts are given as a mapping.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflow.history import ActState, CouncilState, History, MemberState, SittingState


@dataclass(frozen=True)
class Snapshot:
    """A council's history up to (and including) one event."""

    council: CouncilState
    history: History
    events: Sequence[Any]  # the council's events, in ``seq`` order (each with its ``hash``)
    texts: Mapping[str, str] = field(default_factory=dict)  # the content of each text, by SHA-256

    def act(self, act_id: str) -> ActState | None:
        return self.history.acts.get(act_id)

    def sitting(self, sitting_id: str) -> SittingState | None:
        return self.history.sittings.get(sitting_id)

    def members(self) -> list[MemberState]:
        """The council's members in the order of the roll (order of registration)."""
        return [m for (council, _), m in self.history.members.items() if council == self.council.id]

    def act_events(self, act_id: str) -> list[Any]:
        return [e for e in self.events if e.act_id == act_id]

    def sitting_events(self, sitting_id: str) -> list[Any]:
        """The séance's own events and those of the acts on its agenda."""
        return [e for e in self.events if e.session_id == sitting_id]

    def acts_of(self, sitting_id: str) -> list[ActState]:
        """The acts of the séance, in the order of the agenda."""
        acts = [a for a in self.history.acts.values() if a.session_id == sitting_id]
        return sorted(acts, key=lambda a: (a.rank if a.rank is not None else 10**6, a.number))


def last_hash(events: Sequence[Any]) -> str | None:
    """The hash of the last of ``events`` (None: none)."""
    return str(events[-1].hash) if events else None


# ---------------------------------------------------------------- the mark of a document

MARK_NAME = "delib-document"
MARK = re.compile(
    rb"delib-document kind=(?P<kind>[a-z-]+) id=(?P<id>[^\s\"<>]+) format=(?P<format>md|html|pdf) "
    rb"event=(?P<event>[0-9a-f]{64}) certified=(?P<certified>\d{4}-\d{2}-\d{2})"
)
FLATE_STREAM = re.compile(rb"/FlateDecode.*?>>\s*stream\r?\n", re.S)


@dataclass(frozen=True)
class Mark:
    """What a document says of itself: which document, in which format, derived from which event
    (its SHA-256), certified on which day; enough to compute it again from the log."""

    kind: str
    id: str
    format: str
    event: str
    certified: date

    def __str__(self) -> str:
        return (
            f"{MARK_NAME} kind={self.kind} id={self.id} format={self.format} "
            f"event={self.event} certified={self.certified.isoformat()}"
        )


def read_mark(content: bytes) -> Mark | None:
    """The mark a document carries: in the text of a Markdown or HTML document, in the
    (compressed) XMP metadata of a PDF (its keywords)."""
    found = MARK.search(content)
    if found is None and content.startswith(b"%PDF"):
        for start in FLATE_STREAM.finditer(content):
            try:
                data = zlib.decompressobj().decompress(content[start.end() :])
            except zlib.error:
                continue
            found = MARK.search(data)
            if found is not None:
                break
    if found is None:
        return None
    try:
        day = date.fromisoformat(found["certified"].decode())
    except ValueError:
        return None
    return Mark(
        kind=found["kind"].decode(),
        id=found["id"].decode("utf-8", "replace"),
        format=found["format"].decode(),
        event=found["event"].decode(),
        certified=day,
    )
