"""The registry of rules a definition may name.

A rule is a plain function ``(facts, params) -> Verdict``; it is registered under a stable name
with the typed model of the parameters it reads (:mod:`workflow.parameters`). Definitions refer to
rules by name and give the parameters, the article each verdict cites included: no figure of the
law and no article is written here (a rule's parameters come from the definition's reference, or
from its ``rules:`` section, and are validated against the model when the definition is loaded).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from workflow.errors import DefinitionError
from workflow.facts import Facts
from workflow.parameters import RuleParams
from workflow.verdict import Verdict

P = TypeVar("P", bound=RuleParams)
RuleFunction = Callable[[Facts, Any], Verdict]
TypedRule = Callable[[Facts, P], Verdict]


@dataclass(frozen=True)
class RuleSpec:
    name: str
    function: RuleFunction
    model: type[RuleParams] = RuleParams
    summary: str = ""

    @property
    def keys(self) -> frozenset[str]:
        """The parameter keys the rule reads."""
        return frozenset(self.model.model_fields)

    def params(self, raw: Mapping[str, Any] | RuleParams) -> RuleParams:
        """The parameters as the rule's model (DefinitionError when they do not fit it: the
        definitions are validated on load, so this only happens to a caller's own mapping)."""
        if isinstance(raw, self.model):
            return raw
        try:
            return self.model.model_validate(dict(raw))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            raise DefinitionError(
                f"The parameters of rule '{self.name}' are invalid: {problems}.",
                f"Les paramètres de la règle « {self.name} » sont invalides : {problems}.",
            ) from None

    def __call__(self, facts: Facts, params: Mapping[str, Any] | RuleParams) -> Verdict:
        return self.function(facts, self.params(params))


RULES: dict[str, RuleSpec] = {}


def rule(name: str, params: type[RuleParams] = RuleParams) -> Callable[[TypedRule[P]], TypedRule[P]]:
    """Register a rule function under ``name``, reading parameters of the model ``params``."""

    def register(function: TypedRule[P]) -> TypedRule[P]:
        doc = (function.__doc__ or "").strip().splitlines()
        RULES[name] = RuleSpec(name, function, params, doc[0] if doc else "")
        return function

    return register
