"""A rule's verdict: passed or failed, the figures it compared, its legal reference, bilingual text."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date
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
    """Build a verdict; ``en`` and ``fr`` are format strings over ``figures``.

    Two specs read the language: ``{n:plural|day|days}`` writes the number and the form its
    language's plural rule takes (French: 0 and 1 are singular), ``{day:date}`` writes an ISO date
    as its language writes it in full ("13 décembre 2024", "13 December 2024"). The figures stay
    as given (ISO dates, plain numbers): the history reads the same in either language."""
    return Verdict(
        rule=rule,
        article=article,
        passed=passed,
        figures=figures,
        messages={"en": _FORMATTERS["en"].format(en, **figures), "fr": _FORMATTERS["fr"].format(fr, **figures)},
    )


class _LanguageFormatter(string.Formatter):
    """``str.format`` with the ``plural`` and ``date`` specs of :func:`verdict`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural|"):
            singular, many = format_spec.removeprefix("plural|").split("|", 1)
            return plural(value, singular, many, self.lang)
        if format_spec == "date":
            return long_date(value, self.lang)
        return super().format_field(value, format_spec)


def plural(value: int, singular: str, many: str, lang: str) -> str:
    """The number and the form its language's plural rule takes (French: 0 and 1 are singular)."""
    one = value in (0, 1) if lang == "fr" else value == 1
    return f"{value} {singular if one else many}"


def long_date(value: Any, lang: str) -> str:
    """An ISO date (or a date) as its language writes it in full; anything else as it is ("—")."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=_LOCALES.get(lang, lang)))


_LOCALES = {"en": "en_GB", "fr": "fr_FR"}  # "13 December 2024", "13 décembre 2024"


_FORMATTERS = {"en": _LanguageFormatter("en"), "fr": _LanguageFormatter("fr")}
