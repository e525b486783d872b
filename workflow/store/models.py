"""The tables: councils, members, sessions, acts and the append-only events.

Legal dates are ``date`` columns; recording times are timezone-aware UTC ``datetime`` columns.
A session's ``held_at`` is the wall-clock time in France as stated in the register (naive).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from workflow.store.types import UTCDateTime


def _utc_column(nullable: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable))


class Council(SQLModel, table=True):
    """A deliberating assembly: a conseil municipal, communautaire, départemental or régional."""

    __tablename__ = "council"
    id: str = Field(primary_key=True, max_length=64)  # the slug, e.g. "wambrechies"
    name: str
    kind: str
    population: int | None = None
    siren: str | None = Field(default=None, max_length=9)
    department: str | None = Field(default=None, max_length=3)
    definition: str
    created_at: datetime = _utc_column()
    siret: str | None = Field(default=None, max_length=14)  # the establishment that publishes (SCDL)


class Member(SQLModel, table=True):
    """A member of a council; ``name_key`` is the name without case or accents, for matching."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("council_id", "name_key"),)
    id: int | None = Field(default=None, primary_key=True)
    council_id: str = Field(foreign_key="council.id", index=True)
    name: str
    name_key: str
    is_mayor: bool = False
    in_office: bool = True
    deputy: int | None = None  # rank of a deputy (adjoint) in the order of nominations
    since: date | None = None  # installed that day (None: no known start)
    left_on: date | None = None  # out of office from that day
    left_reason: str | None = None  # resignation, death, other
    born: date | None = None  # birth date (the eldest wins an election on a tie)


class Sitting(SQLModel, table=True):
    """A session (*séance*) of a council; its id is ``COUNCIL/YYYY-MM-DD``."""

    __tablename__ = "session"
    id: str = Field(primary_key=True, max_length=96)
    council_id: str = Field(foreign_key="council.id", index=True)
    held_at: datetime = Field(sa_column=Column(DateTime(timezone=False), nullable=False))
    place: str | None = None
    status: str = "planned"  # planned, convened, open, quorum_failed
    convened_on: date | None = None
    urgent: bool = False
    attendance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    version: int = 1


class Act(SQLModel, table=True):
    """A deliberation on a session's agenda; its id is ``COUNCIL/NUMBER``.

    ``version`` is bumped by every transition: a transition writes only if the version it read is
    still current (optimistic concurrency), so two clerks cannot both advance the same act.
    """

    __tablename__ = "act"
    __table_args__ = (UniqueConstraint("council_id", "number"),)
    id: str = Field(primary_key=True, max_length=96)
    council_id: str = Field(foreign_key="council.id", index=True)
    session_id: str = Field(foreign_key="session.id", index=True)
    number: str = Field(max_length=15)
    rank: int
    subject: str
    matiere: str | None = None
    nature: str = "DE"
    kind: str = Field(default="deliberation", sa_column_kwargs={"server_default": "deliberation"})
    subject_to_transmission: bool = True
    state: str = Field(index=True)
    version: int = 1
    attendance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    vote: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    voted_on: date | None = None
    posted_on: date | None = None
    filed_on: date | None = None
    ack: str | None = None
    executory_on: date | None = None
    irregular: bool = False
    corrected_on: date | None = None  # the legal date of its last rectification
    corrects: str | None = Field(default=None, max_length=96)  # a délibération rectificative's act
    text_sha256: str | None = Field(default=None, max_length=64)  # its text, in ``document``
    annexes: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    election: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Document(SQLModel, table=True):
    """The content of a text or an annex, addressed by its SHA-256 (which the event carries, hence
    the chain): stored once per council, in the same transaction as the event that names it. ``audit verify``
    recomputes the hash of each one an act names: an edited text or annex is named."""

    __tablename__ = "document"
    council_id: str = Field(foreign_key="council.id", primary_key=True)  # scoped by row-level security
    sha256: str = Field(primary_key=True, max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int


class Event(SQLModel, table=True):
    """One accepted step, appended once and never changed.

    ``seq`` numbers the council's log from 1 with no gap; ``prev_hash`` is the ``hash`` of the
    previous event of the same council (``GENESIS`` for the first); ``hash`` is the SHA-256 of the
    canonical content (see ``workflow.store.history``). The unique ``(council_id, seq)`` makes a
    fork of the chain impossible: of two concurrent appends, one fails and is retried.
    """

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("council_id", "seq"),
        Index("ix_event_act_seq", "act_id", "seq"),
        # a council's last event of a kind (its edits, its classification, its creation), read by
        # every transition: found on the index whatever the size of the log
        Index("ix_event_council_trigger_seq", "council_id", "trigger", "seq"),
    )
    id: int | None = Field(default=None, primary_key=True)
    council_id: str = Field(foreign_key="council.id")
    seq: int
    act_id: str | None = Field(default=None)
    session_id: str | None = Field(default=None, index=True)
    trigger: str
    from_state: str | None = None
    to_state: str | None = None
    legal_date: date | None = None
    recorded_at: datetime = _utc_column()
    actor: str
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    verdicts: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, index=True)
