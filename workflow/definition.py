"""Workflow definitions: one declarative YAML file per kind of council, validated on load.

A definition names its states, its transitions (trigger, source, destination, the rules that must
pass and the conditions that route) and its parameters. Parameters are referenced from rules as
``$name``; a parameter may be *tiered* by a measure of the council (a list of mappings, each with an
optional ``when: {MEASURE_below: N}`` or ``when: {MEASURE_at_least: N}``, MEASURE one of
:data:`MEASURES`; the first tier that matches wins). A measure that is not known matches no
``when``: the tier without ``when`` applies, so it is written last and is the most protective one.
``steps:`` names the rules of the steps that are not transitions of an act (numbering an act,
recording a proxy, posting the list of deliberations, approving the minutes).
A definition may ``extends:`` another: it inherits everything and overrides parameters and steps
(and, when it gives them, states and transitions). See ``definitions/README.md`` for the format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workflow.errors import DefinitionError
from workflow.rules import RULES
from workflow.rules.conditions import CONDITIONS

# The measures of a council that a tier may depend on (``council add --population`` and, for an
# EPCI, ``--largest-commune-population``: L5211-1 applies the rules of communes of 3,500+ when one
# member commune reaches that size).
MEASURES = ("population", "largest_commune_population")
Measures = Mapping[str, int | None]


class RuleRef(BaseModel):
    """A rule attached to a transition, with its parameters (a mapping or a ``$parameter``)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    params: dict[str, Any] | str = Field(default_factory=dict)


class TransitionDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trigger: str
    source: list[str]
    dest: str
    when: list[str] = Field(default_factory=list)
    rules: list[RuleRef] = Field(default_factory=list)
    legal_date: str = "given"  # "given": the date the clerk gives; "session": the session's day

    @field_validator("source", "when", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("rules", mode="before")
    @classmethod
    def _rule_refs(cls, value: Any) -> Any:
        return _rule_refs(value)


def _rule_refs(value: Any) -> Any:
    """``- name``, ``- name: params`` or ``- {name: ..., params: ...}`` → RuleRef data."""
    if not isinstance(value, list):
        return value
    refs = []
    for item in value:
        if isinstance(item, str):
            refs.append({"name": item})
        elif isinstance(item, dict) and len(item) == 1:
            ((name, params),) = item.items()
            refs.append({"name": name, "params": params if params is not None else {}})
        else:
            refs.append(item)
    return refs


class LifecycleFile(BaseModel):
    """A lifecycle of its own inside a definition (the séance's: ``sitting:``)."""

    model_config = ConfigDict(extra="forbid")
    states: list[str]
    initial: str
    final: list[str] = Field(default_factory=list)
    transitions: list[TransitionDef]


@dataclass(frozen=True)
class Lifecycle:
    """States and transitions driven by the engine: an act's, or a séance's."""

    states: tuple[str, ...]
    initial: str
    final: tuple[str, ...]
    transitions: tuple[TransitionDef, ...]

    def triggers_from(self, state: str) -> list[str]:
        """The triggers possible from ``state`` (the next steps)."""
        return list(dict.fromkeys(t.trigger for t in self.transitions if state in t.source))

    @classmethod
    def of(cls, raw: LifecycleFile) -> Lifecycle:
        return cls(tuple(raw.states), raw.initial, tuple(raw.final), tuple(raw.transitions))


class DefinitionFile(BaseModel):
    """The raw content of a definition file, before ``extends`` is resolved."""

    model_config = ConfigDict(extra="forbid")
    name: str
    title: dict[str, str] = Field(default_factory=dict)
    extends: str | None = None
    kinds: list[str] = Field(default_factory=list)
    applies_when: dict[str, int] = Field(default_factory=dict)
    states: list[str] | None = None
    initial: str | None = None
    final: list[str] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)
    steps: dict[str, list[RuleRef] | None] = Field(default_factory=dict)
    transitions: list[TransitionDef] | None = None
    sitting: LifecycleFile | None = None

    @field_validator("steps", mode="before")
    @classmethod
    def _step_refs(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {step: _rule_refs(refs) for step, refs in value.items()}


@dataclass(frozen=True)
class Definition:
    """An effective definition: ``extends`` resolved, every reference checked."""

    name: str
    title: dict[str, str]
    kinds: tuple[str, ...]
    applies_when: dict[str, int]
    states: tuple[str, ...]
    initial: str
    final: tuple[str, ...]
    parameters: dict[str, Any]
    transitions: tuple[TransitionDef, ...]
    source: str
    steps: Mapping[str, tuple[RuleRef, ...]] = field(default_factory=dict)
    extends: tuple[str, ...] = ()  # the chain of definitions this one extends, nearest first
    sitting: Lifecycle | None = None  # the séance's lifecycle (``sitting:``)

    @property
    def act(self) -> Lifecycle:
        """The act's lifecycle (the definition's ``states`` and ``transitions``)."""
        return Lifecycle(self.states, self.initial, self.final, self.transitions)

    @property
    def sitting_lifecycle(self) -> Lifecycle:
        """The séance's lifecycle (every effective definition has one: checked on load)."""
        assert self.sitting is not None
        return self.sitting

    def rule_params(self, ref: RuleRef, measures: Measures | int | None) -> dict[str, Any]:
        """The parameters of one rule for a council of these measures (or this population)."""
        params = ref.params
        if isinstance(params, str):
            params = self.parameters[params.removeprefix("$")]
        return resolve_tier(params, measures)

    def uses_measure(self, measure: str) -> bool:
        """Whether a tier of a parameter (or ``applies_when``) depends on this measure."""
        tiers = [t for v in self.parameters.values() if isinstance(v, list) for t in v]
        keys = [
            *self.applies_when,
            *(k for t in tiers if isinstance(t, dict) for k in t.get("when", {})),
        ]
        return any((parse_condition(k) or ("",))[0] == measure for k in keys)

    def step_rules(self, step: str) -> tuple[RuleRef, ...] | None:
        """The rules of a step that is not a transition (None: not a step of this definition)."""
        return self.steps.get(step)

    def triggers(self) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self.transitions))

    def triggers_from(self, state: str) -> list[str]:
        """The triggers a clerk may apply to an act in ``state`` (its possible next steps)."""
        return list(dict.fromkeys(t.trigger for t in self.transitions if state in t.source))

    def effective(self) -> dict[str, Any]:
        """The effective definition as plain data (for ``definitions show``)."""
        return {
            "name": self.name,
            "title": self.title,
            "kinds": list(self.kinds),
            "applies_when": self.applies_when,
            "states": list(self.states),
            "initial": self.initial,
            "final": list(self.final),
            "extends": list(self.extends),
            "parameters": self.parameters,
            "steps": {step: [r.model_dump() for r in refs] for step, refs in sorted(self.steps.items())},
            "transitions": [t.model_dump(exclude_defaults=False) for t in self.transitions],
            "sitting": {
                "states": list(self.sitting_lifecycle.states),
                "initial": self.sitting_lifecycle.initial,
                "final": list(self.sitting_lifecycle.final),
                "transitions": [t.model_dump(exclude_defaults=False) for t in self.sitting_lifecycle.transitions],
            },
            "source": self.source,
        }

    def matches(self, kind: str, population: int | None) -> bool:
        if kind not in self.kinds:
            return False
        return when_matches(self.applies_when, {"population": population})


def _as_measures(measures: Measures | int | None) -> Measures:
    if measures is None or isinstance(measures, int):
        return {"population": measures}
    return measures


def parse_condition(key: str) -> tuple[str, str] | None:
    """``population_below`` → ``("population", "below")``; None when not a known condition."""
    for test in ("below", "at_least"):
        measure = key.removesuffix(f"_{test}")
        if measure != key and measure in MEASURES:
            return measure, test
    return None


def when_matches(when: Mapping[str, Any], measures: Measures | int | None) -> bool:
    """Every ``MEASURE_below``/``MEASURE_at_least`` of ``when`` holds; an unknown measure fails."""
    values = _as_measures(measures)
    for key, bound in when.items():
        parsed = parse_condition(key)
        if parsed is None:
            return False
        measure, test = parsed
        value = values.get(measure)
        if value is None or (value >= bound if test == "below" else value < bound):
            return False
    return True


def resolve_tier(value: Any, measures: Measures | int | None) -> dict[str, Any]:
    """Pick the tier of a tiered parameter that applies to a council of these measures.

    A measure that is not known (``None``) satisfies no ``when``: the last tier, written without
    ``when`` and most protective (e.g. 5 clear days rather than 3), applies.
    """
    if isinstance(value, dict):
        return dict(value)
    for tier in value:
        if when_matches(tier.get("when", {}), measures):
            return {k: v for k, v in tier.items() if k != "when"}
    raise DefinitionError(
        f"No tier of a parameter applies to a council of {dict(_as_measures(measures))}.",
        f"Aucun palier d'un paramètre ne s'applique à une assemblée de {dict(_as_measures(measures))}.",
    )


def _definitions_dir() -> Path:
    return Path(str(resources.files("definitions")))


def _read_file(path: Path) -> DefinitionFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(
            f"Definition file {path} cannot be read as YAML: {exc}",
            f"Le fichier de définition {path} n'est pas du YAML lisible : {exc}",
        ) from None
    if not isinstance(raw, dict):
        raise DefinitionError(
            f"Definition file {path} must hold a mapping (name, states, transitions...).",
            f"Le fichier de définition {path} doit contenir un dictionnaire (name, states, transitions...).",
        )
    try:
        return DefinitionFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise DefinitionError(
            f"Definition file {path} is invalid: {problems}.",
            f"Le fichier de définition {path} est invalide : {problems}.",
        ) from None


def _steps(raw: Mapping[str, list[RuleRef] | None]) -> dict[str, tuple[RuleRef, ...]]:
    return {step: tuple(refs) for step, refs in raw.items() if refs is not None}


def _merge(base: Definition, child: DefinitionFile, source: str) -> Definition:
    """The child overrides whole parameters and whole steps (``step: null`` removes one)."""
    parameters = {**base.parameters, **child.parameters}
    steps = _steps({**{k: list(v) for k, v in base.steps.items()}, **child.steps})
    return Definition(
        name=child.name,
        title=child.title or base.title,
        kinds=tuple(child.kinds or base.kinds),
        applies_when=child.applies_when or base.applies_when,
        states=tuple(child.states or base.states),
        initial=child.initial or base.initial,
        final=tuple(child.final or base.final),
        parameters=parameters,
        transitions=tuple(child.transitions or base.transitions),
        source=source,
        steps=steps,
        extends=(base.name, *base.extends),
        sitting=Lifecycle.of(child.sitting) if child.sitting else base.sitting,
    )


def _build(
    raw: DefinitionFile,
    source: str,
    loader: Mapping[str, DefinitionFile],
    seen: tuple[str, ...] = (),
) -> Definition:
    if raw.extends:
        if raw.extends in seen or raw.extends == raw.name:
            raise _error(
                source,
                f"'extends: {raw.extends}' makes a cycle",
                f"« extends: {raw.extends} » forme un cycle",
            )
        if raw.extends not in loader:
            raise _error(
                source,
                f"it extends an unknown definition '{raw.extends}'",
                f"elle étend une définition inconnue « {raw.extends} »",
            )
        base = _build(loader[raw.extends], source, loader, (*seen, raw.name))
        definition = _merge(base, raw, source)
    else:
        if not raw.states or not raw.initial or not raw.transitions or not raw.sitting:
            raise _error(
                source,
                "states, initial, transitions and sitting are required",
                "states, initial, transitions et sitting sont requis",
            )
        definition = Definition(
            name=raw.name,
            title=raw.title,
            kinds=tuple(raw.kinds),
            applies_when=raw.applies_when,
            states=tuple(raw.states),
            initial=raw.initial,
            final=tuple(raw.final),
            parameters=raw.parameters,
            transitions=tuple(raw.transitions),
            source=source,
            steps=_steps(raw.steps),
            sitting=Lifecycle.of(raw.sitting),
        )
    check(definition)
    return definition


def _error(source: str, en: str, fr: str) -> DefinitionError:
    return DefinitionError(f"Definition {source} is invalid: {en}.", f"La définition {source} est invalide : {fr}.")


def check(definition: Definition) -> None:
    """Every state, rule, condition and parameter a definition names must exist."""
    src = definition.source
    for key in definition.applies_when:
        if parse_condition(key) is None:
            raise _error(
                src,
                f"applies_when has unknown condition '{key}'",
                f"applies_when a une condition inconnue « {key} »",
            )
    _check_lifecycle(definition, definition.act, "", "")
    _check_lifecycle(definition, definition.sitting_lifecycle, "sitting: ", "sitting : ")
    for step, refs in definition.steps.items():
        for ref in refs:
            _check_rule(definition, f"step '{step}'", f"l'étape « {step} »", ref)


def _check_lifecycle(definition: Definition, lifecycle: Lifecycle, where: str, where_fr: str) -> None:
    """The states, conditions and rules of one lifecycle (the act's or the séance's) exist."""
    states = set(lifecycle.states)
    src = definition.source
    if lifecycle.initial not in states:
        raise _error(
            src,
            f"{where}initial state '{lifecycle.initial}' is not a state",
            f"{where_fr}l'état initial « {lifecycle.initial} » n'est pas un état",
        )
    for state in lifecycle.final:
        if state not in states:
            raise _error(
                src,
                f"{where}final state '{state}' is not a state",
                f"{where_fr}l'état final « {state} » n'est pas un état",
            )
    for t in lifecycle.transitions:
        for state in (*t.source, t.dest):
            if state not in states:
                raise _error(
                    src,
                    f"{where}transition '{t.trigger}' names unknown state '{state}'",
                    f"{where_fr}la transition « {t.trigger} » nomme un état inconnu « {state} »",
                )
        for cond in t.when:
            if cond not in CONDITIONS:
                raise _error(
                    src,
                    f"{where}transition '{t.trigger}' names unknown condition '{cond}'",
                    f"{where_fr}la transition « {t.trigger} » nomme une condition inconnue « {cond} »",
                )
        if t.legal_date not in ("given", "session"):
            raise _error(
                src,
                f"transition '{t.trigger}' has unknown legal_date '{t.legal_date}'",
                f"la transition « {t.trigger} » a un legal_date inconnu « {t.legal_date} »",
            )
        for ref in t.rules:
            _check_rule(definition, f"{where}transition '{t.trigger}'", f"{where_fr}la transition « {t.trigger} »", ref)


def _check_rule(definition: Definition, where: str, where_fr: str, ref: RuleRef) -> None:
    src = definition.source
    if ref.name not in RULES:
        raise _error(
            src,
            f"{where} names unknown rule '{ref.name}' (known: {', '.join(sorted(RULES))})",
            f"{where_fr} nomme une règle inconnue « {ref.name} »",
        )
    params = ref.params
    if isinstance(params, str):
        key = params.removeprefix("$")
        if not params.startswith("$") or key not in definition.parameters:
            raise _error(
                src,
                f"rule '{ref.name}' refers to unknown parameter '{params}'",
                f"la règle « {ref.name} » renvoie à un paramètre inconnu « {params} »",
            )
        params = definition.parameters[key]
    tiers = params if isinstance(params, list) else [params]
    for tier in tiers:
        if not isinstance(tier, dict):
            raise _error(
                src,
                f"parameters of rule '{ref.name}' must be a mapping or a list of tiers",
                f"les paramètres de la règle « {ref.name} » doivent être un dictionnaire ou une liste de paliers",
            )
        for key in tier.get("when", {}) if isinstance(params, list) else ():
            if parse_condition(key) is None:
                raise _error(
                    src,
                    f"rule '{ref.name}' has a tier with unknown condition '{key}' "
                    f"(known: MEASURE_below, MEASURE_at_least with MEASURE in {', '.join(MEASURES)})",
                    f"la règle « {ref.name} » a un palier à la condition inconnue « {key} »",
                )
        for required in RULES[ref.name].required_params:
            if required not in tier:
                raise _error(
                    src,
                    f"rule '{ref.name}' is missing parameter '{required}'",
                    f"il manque à la règle « {ref.name} » le paramètre « {required} »",
                )


def load_file(path: Path, search_dir: Path | None = None) -> Definition:
    """Load one definition file (resolving ``extends`` against the files beside it)."""
    folder = search_dir or path.parent
    raw = _read_file(path)
    loader = {raw.name: raw}
    for other in sorted(folder.glob("*.yaml")):
        if other != path:
            try:
                parsed = _read_file(other)
            except DefinitionError:
                continue
            loader.setdefault(parsed.name, parsed)
    return _build(raw, str(path.name), loader)


@cache
def load_all(folder: str | None = None) -> dict[str, Definition]:
    """All definitions shipped in ``definitions/`` (or ``folder``), by name, validated."""
    directory = Path(folder) if folder else _definitions_dir()
    raws: dict[str, tuple[DefinitionFile, str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        raw = _read_file(path)
        if raw.name in raws:
            raise _error(
                path.name,
                f"the name '{raw.name}' is already used by {raws[raw.name][1]}",
                f"le nom « {raw.name} » est déjà pris par {raws[raw.name][1]}",
            )
        raws[raw.name] = (raw, path.name)
    loader = {name: raw for name, (raw, _) in raws.items()}
    return {name: _build(raw, source, loader) for name, (raw, source) in raws.items()}


def get(name: str) -> Definition:
    definitions = load_all()
    if name not in definitions:
        raise DefinitionError(
            f"Unknown definition '{name}'. Known: {', '.join(sorted(definitions))}.",
            f"Définition inconnue « {name} ». Connues : {', '.join(sorted(definitions))}.",
        )
    return definitions[name]


def for_council(kind: str, population: int | None) -> Definition:
    """The definition that applies to a council of this kind and population (the most specific)."""
    candidates = [d for d in load_all().values() if d.matches(kind, population)]
    if not candidates:
        kinds = sorted({k for d in load_all().values() for k in d.kinds})
        raise DefinitionError(
            f"No definition applies to a council of kind '{kind}'. Known kinds: {', '.join(kinds)}.",
            f"Aucune définition ne s'applique à une assemblée de type « {kind} ». Types connus : {', '.join(kinds)}.",
        )
    return max(candidates, key=lambda d: len(d.applies_when))
