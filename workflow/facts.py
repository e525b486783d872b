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
    def from_dict(cls, data: dict[str, Any]) -> Attendance:
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
    """

    for_: int
    against: int
    abstain: int
    blank: int = 0
    secret: bool = False
    president_voted: str | None = None  # "for" | "against", needed to break a tie in public
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

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
        return data


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
