"""The engine: one ``transitions`` state machine per definition, applying triggers under the rules.

The machine is built once per lifecycle of a definition and shared by every act (``engine_for``)
or every séance (``sitting_engine_for``): an act or a séance is represented for the duration of
one trigger by a light :class:`_Subject` carrying its state and the facts. Conditions (``when:``)
route a trigger to one of its destinations; rules (``rules:``) are
checked in the transition's ``before`` callback and refuse it by raising :class:`RuleRefused`
before the state changes. The engine does no I/O: it returns an :class:`Outcome` for the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from transitions import EventData, Machine, MachineError

from workflow import definition as definitions
from workflow.definition import Definition, Lifecycle, Measures, RuleRef, TransitionDef
from workflow.errors import InvalidInput, InvalidTransition, RuleRefused
from workflow.facts import Facts
from workflow.rules import RULES
from workflow.rules.conditions import CONDITIONS
from workflow.verdict import Verdict


@dataclass(frozen=True)
class Outcome:
    """What an accepted trigger did: the states, and every rule's verdict."""

    trigger: str
    from_state: str
    to_state: str
    verdicts: list[Verdict]


@dataclass
class _Subject:
    """The act as the machine sees it during one trigger."""

    state: str
    facts: Facts
    population: Measures | int | None
    subject_id: str
    overrides: Mapping[str, str] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)


class Engine:
    """Applies triggers of one lifecycle of a definition (the act's unless told otherwise)."""

    def __init__(self, definition: Definition, lifecycle: Lifecycle | None = None) -> None:
        self.definition = definition
        self.lifecycle = lifecycle or definition.act
        self.machine = Machine(
            model=None,
            states=list(self.lifecycle.states),
            initial=self.lifecycle.initial,
            transitions=[self._transition(t) for t in self.lifecycle.transitions],
            auto_transitions=False,
            send_event=True,
        )

    def _transition(self, spec: TransitionDef) -> dict[str, Any]:
        conditions = [_condition(name) for name in spec.when]

        def check_rules(event: EventData) -> None:
            self._check(spec, cast(_Subject, event.model))

        return {
            "trigger": spec.trigger,
            "source": list(spec.source),
            "dest": spec.dest,
            "conditions": conditions,
            "before": [check_rules],
        }

    def _check(self, spec: TransitionDef, subject: _Subject) -> None:
        subject.verdicts = self._verdicts(spec.trigger, spec.rules, subject)

    def _verdicts(self, trigger: str, refs: tuple[RuleRef, ...] | list[RuleRef], subject: _Subject) -> list[Verdict]:
        """Every rule's verdict (overridden where asked); RuleRefused if one fails for good."""
        verdicts = []
        for ref in refs:
            params = self.definition.rule_params(ref, subject.population)
            result = RULES[ref.name](subject.facts, params)
            if not result.passed and ref.name in subject.overrides:
                result = _overridden(result, subject.overrides[ref.name])
            verdicts.append(result)
        if any(not v.passed and not v.overridden for v in verdicts):
            raise RuleRefused(trigger, subject.subject_id, verdicts)
        return verdicts

    def check_step(
        self,
        step: str,
        facts: Facts,
        *,
        population: Measures | int | None = None,
        subject_id: str = "",
        overrides: Mapping[str, str] | None = None,
    ) -> list[Verdict]:
        """Check the rules of a step that is not a transition of an act (``steps:``).

        Returns every verdict (to record in the step's event); raises RuleRefused when a rule
        fails without an override, InvalidInput when the definition has no such step or an
        override names a rule the step does not check.
        """
        refs = self.definition.step_rules(step)
        if refs is None:
            raise InvalidInput(
                f"'{step}' is not a step of the '{self.definition.name}' definition "
                f"(its steps: {', '.join(sorted(self.definition.steps)) or 'none'}).",
                f"« {step} » n'est pas une étape de la définition « {self.definition.name} » "
                f"(ses étapes : {', '.join(sorted(self.definition.steps)) or 'aucune'}).",
            )
        overrides = dict(overrides or {})
        checked = {ref.name for ref in refs}
        _refuse_unknown_overrides(step, set(overrides) - checked, checked)
        subject = _Subject("", facts, population, subject_id, overrides)
        return self._verdicts(step, refs, subject)

    def rules_of(self, trigger: str, state: str) -> set[str]:
        return {
            ref.name
            for t in self.lifecycle.transitions
            if t.trigger == trigger and state in t.source
            for ref in t.rules
        }

    def check_possible(self, state: str, trigger: str, subject_id: str = "") -> Any:
        """The machine's event for ``trigger``, or InvalidTransition when it is not possible from
        ``state`` (the message names the states it is possible from, and what is possible now)."""
        event = self.machine.events.get(trigger)
        allowed_from = sorted({s for t in self.lifecycle.transitions if t.trigger == trigger for s in t.source})
        if event is None or state not in allowed_from:
            raise InvalidTransition(
                f"{subject_id or 'The act'} is '{state}': '{trigger}' is not possible from that state"
                + (f" (only from {', '.join(allowed_from)})." if allowed_from else ".")
                + f" Possible now: {', '.join(self.lifecycle.triggers_from(state)) or 'nothing'}.",
                f"{subject_id or 'L’acte'} est « {state} » : « {trigger} » n'est pas possible depuis cet état"
                + (f" (seulement depuis {', '.join(allowed_from)})." if allowed_from else ".")
                + f" Possible maintenant : {', '.join(self.lifecycle.triggers_from(state)) or 'rien'}.",
            )
        return event

    def apply(
        self,
        state: str,
        trigger: str,
        facts: Facts,
        *,
        population: int | None = None,
        subject_id: str = "",
        overrides: Mapping[str, str] | None = None,
        measures: Measures | None = None,
    ) -> Outcome:
        """Apply ``trigger`` to an act in ``state``; raise if the state or the rules forbid it.

        ``measures`` (population, largest member commune...) choose the tiers of the parameters;
        without them, ``population`` alone does.
        """
        overrides = dict(overrides or {})
        event = self.check_possible(state, trigger, subject_id)
        checked = self.rules_of(trigger, state)
        _refuse_unknown_overrides(trigger, set(overrides) - checked, checked)
        subject = _Subject(state, facts, measures or population, subject_id, overrides)
        try:
            moved = event.trigger(subject)
        except MachineError as exc:  # pragma: no cover - guarded by the source check above
            raise InvalidTransition(str(exc)) from None
        if not moved:
            raise InvalidTransition(
                f"No destination of '{trigger}' applies to {subject_id} in state '{state}'.",
                f"Aucune destination de « {trigger} » ne s'applique à {subject_id} dans l'état « {state} ».",
            )
        return Outcome(trigger, state, subject.state, subject.verdicts)


def _refuse_unknown_overrides(trigger: str, unknown: set[str], checked: set[str]) -> None:
    if unknown:
        raise InvalidInput(
            f"--override {', '.join(sorted(unknown))}: not a rule checked by '{trigger}' "
            f"(checked: {', '.join(sorted(checked))}).",
            f"--override {', '.join(sorted(unknown))} : règle non vérifiée par « {trigger} » "
            f"(vérifiées : {', '.join(sorted(checked))}).",
        )


def _condition(name: str) -> Any:
    test = CONDITIONS[name]

    def condition(event: EventData) -> bool:
        return test(cast(_Subject, event.model).facts)

    condition.__name__ = name
    return condition


def _overridden(result: Verdict, reason: str) -> Verdict:
    return Verdict(
        rule=result.rule,
        article=result.article,
        passed=False,
        figures=result.figures,
        messages=result.messages,
        overridden=True,
        override_reason=reason,
    )


@cache
def engine_for(name: str) -> Engine:
    """The engine of a definition's acts, built once per process."""
    return Engine(definitions.get(name))


@cache
def sitting_engine_for(name: str) -> Engine:
    """The engine of a definition's séances, built once per process."""
    definition = definitions.get(name)
    return Engine(definition, definition.sitting_lifecycle)
