"""A rule's verdict: passed or failed, the figures it compared, its legal reference, bilingual text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Verdict:
    """The outcome of one rule applied to the facts of one transition.

    ``figures`` holds the numbers and dates that were compared (JSON-safe: ints, strings, bools),
    so that a refusal and the history both show *why*, not only *that*.
    """

    rule: str
    article: str
    passed: bool
    figures: dict[str, Any] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    overridden: bool = False
    override_reason: str | None = None

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("en", "")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "article": self.article,
            "passed": self.passed,
            "figures": self.figures,
            "messages": self.messages,
        }
        if self.overridden:
            data["overridden"] = True
            data["override_reason"] = self.override_reason
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        return cls(
            rule=data["rule"],
            article=data["article"],
            passed=data["passed"],
            figures=dict(data.get("figures", {})),
            messages=dict(data.get("messages", {})),
            overridden=bool(data.get("overridden", False)),
            override_reason=data.get("override_reason"),
        )


def verdict(rule: str, article: str, passed: bool, en: str, fr: str, **figures: Any) -> Verdict:
    """Build a verdict; ``en`` and ``fr`` are format strings over ``figures``."""
    return Verdict(
        rule=rule,
        article=article,
        passed=passed,
        figures=figures,
        messages={"en": en.format(**figures), "fr": fr.format(**figures)},
    )
