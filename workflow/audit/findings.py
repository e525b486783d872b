"""A finding of ``audit verify``: one thing that does not hold, named for the auditor."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any


@dataclass
class Finding:
    """One thing that does not hold, naming the event (council + seq) and, for acts, the act."""

    kind: str
    council: str
    seq: int | None
    messages: dict[str, str]
    act: str | None = None
    field: str | None = None
    figures: dict[str, Any] = _field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages["en"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "council": self.council,
            "seq": self.seq,
            "act": self.act,
            "field": self.field,
            "figures": self.figures,
            "messages": self.messages,
        }


def finding(kind: str, council: str, seq: int | None, en: str, fr: str, **extra: Any) -> Finding:
    return Finding(kind=kind, council=council, seq=seq, messages={"en": en, "fr": fr}, **extra)
