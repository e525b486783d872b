"""Workflow definitions: one declarative YAML file per kind of council, validated on load.

A definition names its states, its transitions (trigger, source, destination, the rules that must
pass and the conditions that route) and its parameters. Parameters are referenced from rules as
``$name``; a parameter may be *tiered* by population (a list of mappings, each with an optional
``when: {population_below: N}`` or ``when: {population_at_least: N}``; the first that matches wins).
A definition may ``extends:`` another: it inherits everything and overrides parameters (and, when it
gives them, states and transitions). See ``definitions/README.md`` for the format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workflow.errors import DefinitionError
from workflow.rules import RULES
from workflow.rules.conditions import CONDITIONS


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
        refs = []
        for item in value or []:
            if isinstance(item, str):
                refs.append({"name": item})
            elif isinstance(item, dict) and len(item) == 1:
                (name, params), = item.items()
                refs.append({"name": name, "params": params if params is not None else {}})
            else:
                refs.append(item)
        return refs


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
    transitions: list[TransitionDef] | None = None


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

    def rule_params(self, ref: RuleRef, population: int | None) -> dict[str, Any]:
        """The parameters of one rule for a council of this population."""
        params = ref.params
        if isinstance(params, str):
            params = self.parameters[params.removeprefix("$")]
        return resolve_tier(params, population)

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
            "parameters": self.parameters,
            "transitions": [
                t.model_dump(exclude_defaults=False) for t in self.transitions
            ],
            "source": self.source,
        }

    def matches(self, kind: str, population: int | None) -> bool:
        if kind not in self.kinds:
            return False
        pop = population or 0
        below = self.applies_when.get("population_below")
        at_least = self.applies_when.get("population_at_least")
        return (below is None or pop < below) and (at_least is None or pop >= at_least)


def resolve_tier(value: Any, population: int | None) -> dict[str, Any]:
    """Pick the tier of a tiered parameter that applies to ``population``."""
    if isinstance(value, dict):
        return dict(value)
    pop = population or 0
    for tier in value:
        when = tier.get("when", {})
        if "population_below" in when and not pop < when["population_below"]:
            continue
        if "population_at_least" in when and not pop >= when["population_at_least"]:
            continue
        return {k: v for k, v in tier.items() if k != "when"}
    raise DefinitionError(
        f"No tier of a parameter applies to a population of {population}.",
        f"Aucun palier d'un paramètre ne s'applique à une population de {population}.",
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
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise DefinitionError(
            f"Definition file {path} is invalid: {problems}.",
            f"Le fichier de définition {path} est invalide : {problems}.",
        ) from None


def _merge(base: Definition, child: DefinitionFile, source: str) -> Definition:
    parameters = {**base.parameters, **child.parameters}
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
    )


def _build(raw: DefinitionFile, source: str, loader: Mapping[str, DefinitionFile], seen: tuple[str, ...] = ()) -> Definition:
    if raw.extends:
        if raw.extends in seen or raw.extends == raw.name:
            raise _error(source, f"'extends: {raw.extends}' makes a cycle", f"« extends: {raw.extends} » forme un cycle")
        if raw.extends not in loader:
            raise _error(source, f"it extends an unknown definition '{raw.extends}'", f"elle étend une définition inconnue « {raw.extends} »")
        base = _build(loader[raw.extends], source, loader, (*seen, raw.name))
        definition = _merge(base, raw, source)
    else:
        if not raw.states or not raw.initial or not raw.transitions:
            raise _error(source, "states, initial and transitions are required", "states, initial et transitions sont requis")
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
        )
    check(definition)
    return definition


def _error(source: str, en: str, fr: str) -> DefinitionError:
    return DefinitionError(
        f"Definition {source} is invalid: {en}.", f"La définition {source} est invalide : {fr}."
    )


def check(definition: Definition) -> None:
    """Every state, rule, condition and parameter a definition names must exist."""
    states = set(definition.states)
    src = definition.source
    if definition.initial not in states:
        raise _error(src, f"initial state '{definition.initial}' is not a state", f"l'état initial « {definition.initial} » n'est pas un état")
    for state in definition.final:
        if state not in states:
            raise _error(src, f"final state '{state}' is not a state", f"l'état final « {state} » n'est pas un état")
    for t in definition.transitions:
        for state in (*t.source, t.dest):
            if state not in states:
                raise _error(src, f"transition '{t.trigger}' names unknown state '{state}'", f"la transition « {t.trigger} » nomme un état inconnu « {state} »")
        for cond in t.when:
            if cond not in CONDITIONS:
                raise _error(src, f"transition '{t.trigger}' names unknown condition '{cond}'", f"la transition « {t.trigger} » nomme une condition inconnue « {cond} »")
        if t.legal_date not in ("given", "session"):
            raise _error(src, f"transition '{t.trigger}' has unknown legal_date '{t.legal_date}'", f"la transition « {t.trigger} » a un legal_date inconnu « {t.legal_date} »")
        for ref in t.rules:
            _check_rule(definition, t, ref)


def _check_rule(definition: Definition, t: TransitionDef, ref: RuleRef) -> None:
    src = definition.source
    if ref.name not in RULES:
        raise _error(src, f"transition '{t.trigger}' names unknown rule '{ref.name}' (known: {', '.join(sorted(RULES))})", f"la transition « {t.trigger} » nomme une règle inconnue « {ref.name} »")
    params = ref.params
    if isinstance(params, str):
        key = params.removeprefix("$")
        if not params.startswith("$") or key not in definition.parameters:
            raise _error(src, f"rule '{ref.name}' refers to unknown parameter '{params}'", f"la règle « {ref.name} » renvoie à un paramètre inconnu « {params} »")
        params = definition.parameters[key]
    tiers = params if isinstance(params, list) else [params]
    for tier in tiers:
        if not isinstance(tier, dict):
            raise _error(src, f"parameters of rule '{ref.name}' must be a mapping or a list of tiers", f"les paramètres de la règle « {ref.name} » doivent être un dictionnaire ou une liste de paliers")
        for required in RULES[ref.name].required_params:
            if required not in tier:
                raise _error(src, f"rule '{ref.name}' is missing parameter '{required}'", f"il manque à la règle « {ref.name} » le paramètre « {required} »")


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
            raise _error(path.name, f"the name '{raw.name}' is already used by {raws[raw.name][1]}", f"le nom « {raw.name} » est déjà pris par {raws[raw.name][1]}")
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
