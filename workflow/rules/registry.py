"""The registry of rules a definition may name.

A rule is a plain function ``(facts, params) -> Verdict``; it is registered under a stable name with
its default legal reference and the parameters it requires. Definitions refer to rules by name and
supply the parameters; ``params["article"]``, when given, replaces the default reference (e.g. the
5-day delay of communes of 3,500+ cites L2121-12 instead of L2121-11).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workflow.facts import Facts
from workflow.verdict import Verdict

RuleFunction = Callable[[Facts, Mapping[str, Any]], Verdict]


@dataclass(frozen=True)
class RuleSpec:
    name: str
    article: str
    function: RuleFunction
    required_params: tuple[str, ...] = ()
    summary: str = ""

    def __call__(self, facts: Facts, params: Mapping[str, Any]) -> Verdict:
        return self.function(facts, params)


RULES: dict[str, RuleSpec] = {}


def rule(name: str, article: str, params: tuple[str, ...] = ()) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under ``name`` with its default ``article``."""

    def register(function: RuleFunction) -> RuleFunction:
        doc = (function.__doc__ or "").strip().splitlines()
        RULES[name] = RuleSpec(name, article, function, params, doc[0] if doc else "")
        return function

    return register


def article(params: Mapping[str, Any], default: str) -> str:
    return str(params.get("article") or default)
