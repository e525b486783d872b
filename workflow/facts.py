"""The facts a transition is judged on: plain, immutable values the rules read.

The service gathers them from the store and the clerk's input; the rules never do I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Attendance:
    """Who was there for an item: members present, proxies (giver → holder), absent, recused.

    Names are the members' canonical names as stored. ``recused`` members do not take part
    (conflict of interest, CGCT art. L2131-11): a recused giver's proxy is not exercised either.
    ``lapsed`` are proxies that could not be exercised because their holder was not there (a
    proxy recorded ahead of the session whose holder is absent, or whose holder left).
    """

    present: frozenset[str] = frozenset()
    proxies: tuple[tuple[str, str], ...] = ()
    absent: frozenset[str] = frozenset()
    recused: frozenset[str] = frozenset()
    secretary: str | None = None
    president: str | None = None
    lapsed: tuple[tuple[str, str], ...] = ()

    @property
    def proxies_held(self) -> int:
        """Proxies whose holder is present and takes part (a recused holder carries none)."""
        return sum(
            1
            for giver, holder in self.proxies
            if holder in self.present and holder not in self.recused and giver not in self.recused
        )

    @property
    def taking_part(self) -> int:
        """Those who took part: present (less the recused) + proxies held."""
        return len(self.present - self.recused) + self.proxies_held

    @property
    def voters(self) -> frozenset[str]:
        """The names whose vote is cast at this item: present and not recused, or represented by a
        present, non-recused holder (a roll call names them all)."""
        represented = {
            giver
            for giver, holder in self.proxies
            if holder in self.present and holder not in self.recused and giver not in self.recused
        }
        return frozenset(self.present - self.recused) | represented

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "present": sorted(self.present),
            "proxies": {giver: holder for giver, holder in self.proxies},
            "absent": sorted(self.absent),
            "recused": sorted(self.recused),
            "secretary": self.secretary,
            "president": self.president,
        }
        if self.lapsed:
            data["lapsed"] = {giver: holder for giver, holder in self.lapsed}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attendance:
        return cls(
            present=frozenset(data.get("present", ())),
            proxies=tuple(sorted(data.get("proxies", {}).items())),
            absent=frozenset(data.get("absent", ())),
            recused=frozenset(data.get("recused", ())),
            secretary=data.get("secretary"),
            president=data.get("president"),
            lapsed=tuple(sorted(data.get("lapsed", {}).items())),
        )


@dataclass(frozen=True)
class VoteCount:
    """The counts of a vote on one item (*suffrages*).

    ``names`` is the roll call of a public vote (*scrutin public*, L2121-21): for each side given
    ("for", "against", "abstain"), the members' names; a side not called is absent from it.
    ``casting_vote`` records that a public tie was decided by the president's vote (L2121-20).
    """

    for_: int
    against: int
    abstain: int
    blank: int = 0
    secret: bool = False
    president_voted: str | None = None  # "for" | "against" | "abstain": the president's side on a public tie
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    casting_vote: bool = False  # the tie was decided by the president's casting vote

    @property
    def cast(self) -> int:
        """Votes cast (*suffrages exprimés*): abstentions and blank votes are not cast."""
        return self.for_ + self.against

    @property
    def total(self) -> int:
        return self.for_ + self.against + self.abstain + self.blank

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"for": self.for_, "against": self.against, "abstain": self.abstain}
        if self.blank:
            data["blank"] = self.blank
        if self.secret:
            data["secret"] = True
        if self.president_voted:
            data["president_voted"] = self.president_voted
        if self.names:
            data["names"] = {side: sorted(names) for side, names in sorted(self.names.items())}
        if self.casting_vote:
            data["casting_vote"] = True
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VoteCount:
        return cls(
            for_=int(data.get("for", 0)),
            against=int(data.get("against", 0)),
            abstain=int(data.get("abstain", 0)),
            blank=int(data.get("blank", 0)),
            secret=bool(data.get("secret", False)),
            president_voted=data.get("president_voted"),
            names={side: tuple(names) for side, names in (data.get("names") or {}).items()},
            casting_vote=bool(data.get("casting_vote", False)),
        )


@dataclass(frozen=True)
class Facts:
    """Everything a rule may need to judge one transition of one act.

    ``legal_date`` is the day the step takes effect in law; ``recorded_on`` is the day (in France)
    it is being recorded. ``previous_date`` is the legal date of the step the act is leaving.
    """

    trigger: str
    legal_date: date
    recorded_on: date
    previous_date: date | None = None
    session_date: date | None = None
    convocation_date: date | None = None
    population: int | None = None
    members_in_office: int = 0
    attendance: Attendance | None = None
    vote: VoteCount | None = None
    posted_on: date | None = None
    filed_on: date | None = None
    urgent: bool = False
    urgency_ruling: str | None = None  # "accepted" | "rejected": the council's ruling at the opening
    second_convocation: bool = False
    quorum_failed_on: date | None = None  # the day of the meeting that failed for want of quorum
    extra: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The facts as stored in the event (JSON-safe, no floats): the legal date, the dates and
        figures that are known, the attendance with the number who took part, the vote, the
        extras. ``trigger``, ``recorded_on`` and ``previous_date`` are the event's own columns or
        are read again from the log, and are not repeated here."""
        record: dict[str, Any] = {"legal_date": self.legal_date.isoformat()}
        for name in _RECORDED_DATES:
            value = getattr(self, name)
            if value is not None:
                record[name] = value.isoformat()
        if self.members_in_office:
            record["members_in_office"] = self.members_in_office
        if self.population is not None:
            record["population"] = self.population
        if self.attendance is not None:
            record["attendance"] = self.attendance.to_dict()
            record["took_part"] = self.attendance.taking_part
        if self.vote is not None:
            record["vote"] = self.vote.to_dict()
        if self.urgent:
            record["urgent"] = True
        if self.urgency_ruling:
            record["urgency_ruling"] = self.urgency_ruling
        if self.second_convocation:
            record["second_convocation"] = True
        if self.quorum_failed_on is not None:
            record["quorum_failed_on"] = self.quorum_failed_on.isoformat()
        record.update(self.extra)
        return record

    @classmethod
    def from_record(
        cls,
        trigger: str,
        record: Mapping[str, Any],
        *,
        legal_date: date | None = None,
        recorded_on: date | None = None,
    ) -> Facts:
        """The facts an event's stored record gives back (the inverse of :meth:`to_record`);
        ``took_part`` is derived from the attendance and not kept. Keys that are not facts (an
        import's provenance, a step's own values) come back in ``extra``."""
        day = _date(record.get("legal_date")) or legal_date or date.min
        attendance = record.get("attendance")
        vote = record.get("vote")
        return cls(
            trigger=trigger,
            legal_date=day,
            recorded_on=recorded_on or day,
            session_date=_date(record.get("session_date")),
            convocation_date=_date(record.get("convocation_date")),
            posted_on=_date(record.get("posted_on")),
            filed_on=_date(record.get("filed_on")),
            population=record.get("population"),
            members_in_office=int(record.get("members_in_office", 0) or 0),
            attendance=Attendance.from_dict(attendance) if isinstance(attendance, Mapping) else None,
            vote=VoteCount.from_dict(vote) if isinstance(vote, Mapping) else None,
            urgent=bool(record.get("urgent", False)),
            urgency_ruling=record.get("urgency_ruling"),
            second_convocation=bool(record.get("second_convocation", False)),
            quorum_failed_on=_date(record.get("quorum_failed_on")),
            extra={k: v for k, v in record.items() if k not in _RECORD_KEYS},
        )


_RECORDED_DATES = ("session_date", "convocation_date", "posted_on", "filed_on")
_RECORD_KEYS = frozenset(
    {
        "legal_date",
        *_RECORDED_DATES,
        "members_in_office",
        "population",
        "attendance",
        "took_part",
        "vote",
        "urgent",
        "urgency_ruling",
        "second_convocation",
        "quorum_failed_on",
    }
)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
