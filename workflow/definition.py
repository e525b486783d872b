"""Workflow definitions: one declarative YAML file per kind of council, validated on load.

A definition names its states, its transitions (trigger, source, destination, the rules that must
pass and the conditions that route) and its parameters. Parameters are referenced from rules as
``$name``; a parameter may be *tiered* by a measure of the council (a list of mappings, each with an
optional ``when: {MEASURE_below: N}`` or ``when: {MEASURE_at_least: N}``, MEASURE one of
:data:`MEASURES`; the first tier that matches wins). A measure that is not known matches no
``when``: the tier without ``when`` applies, so it is written last and is the most protective one.
``steps:`` names the rules of the steps that are not transitions of an act (numbering an act,
recording a proxy, posting the list of deliberations, approving the minutes).
``rules:`` gives the parameters of a rule wherever a reference names it without any (mostly the
article its verdicts cite); ``deadlines:`` names the parameters the clerk's deadlines read
(:class:`workflow.parameters.Deadlines`). Every rule's parameters, tier by tier, and every
deadline's are validated on load against their typed models (:mod:`workflow.parameters`): a
wrong type or a misspelt key is a :class:`DefinitionError` naming the file and the key.
A definition may ``extends:`` another: it inherits everything and overrides parameters, rules,
deadlines and steps (and, when it gives them, states and transitions). See
``definitions/README.md`` for the format.
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
from workflow.parameters import DEADLINE_MODELS, Deadlines, SittingDocuments
from workflow.rules import RULES
from workflow.rules.conditions import CONDITIONS

# The measures of a council that a tier may depend on (``council add --population`` and, for an
# EPCI, ``--largest-commune-population``: L5211-1 applies the rules of communes of 3,500+ when one
# member commune reaches that size).
MEASURES = ("population", "largest_commune_population")
Measures = Mapping[str, int | None]

# A deadline tied to a step (``steps:``) or a trigger exists only where the definition has it: a
# definition without the ``list_posted`` step (a département) has no list of deliberations due.
DEADLINE_STEPS: dict[str, str] = {
    "list_of_deliberations": "list_posted",
    "minutes": "minutes",
    "minutes_online": "minutes_online",
    "publication": "post",
    "transmission": "file",
    "ruling": "contest",
}

Params = dict[str, Any] | list[Any] | str  # a mapping, a list of tiers, or a ``$parameter``


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
    rules: dict[str, dict[str, Any] | list[Any] | str | None] = Field(default_factory=dict)
    deadlines: dict[str, dict[str, Any] | list[Any] | str | None] = Field(default_factory=dict)
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

    rules: Mapping[str, Params] = field(default_factory=dict)  # a rule's parameters by default
    deadlines: Mapping[str, Params] = field(default_factory=dict)

    def resolve(self, params: Params) -> dict[str, Any] | list[Any]:
        """A ``$parameter`` replaced by its value (a mapping or a list of tiers)."""
        if isinstance(params, str):
            return self.parameters[params.removeprefix("$")]  # type: ignore[no-any-return]
        return params

    def rule_params(self, ref: RuleRef, measures: Measures | int | None) -> dict[str, Any]:
        """The parameters of one rule for a council of these measures (or this population): the
        ``rules:`` defaults of the rule, overlaid by those the reference gives."""
        defaults = self.rules.get(ref.name)
        base = resolve_tier(self.resolve(defaults), measures) if defaults is not None else {}
        return {**base, **resolve_tier(self.resolve(ref.params), measures)}

    def rule_refs(self) -> list[RuleRef]:
        """Every reference to a rule: the act's transitions, the séance's, then the steps."""
        sitting = self.sitting.transitions if self.sitting else ()
        transitions = [*self.transitions, *sitting]
        return [r for t in transitions for r in t.rules] + [r for refs in self.steps.values() for r in refs]

    def params_of(self, rule: str, measures: Measures | int | None = None) -> dict[str, Any]:
        """The parameters of the first reference to ``rule`` (transitions, then steps), else its
        ``rules:`` defaults: what a caller outside a transition or a step checks it with."""
        ref = next((r for r in self.rule_refs() if r.name == rule), RuleRef(name=rule))
        return self.rule_params(ref, measures)

    def active_deadlines(self) -> dict[str, Params]:
        """The deadlines whose step or trigger the definition has (see :data:`DEADLINE_STEPS`)."""
        have = {*self.steps, *self.triggers()}
        return {
            name: params
            for name, params in self.deadlines.items()
            if name not in DEADLINE_STEPS or DEADLINE_STEPS[name] in have
        }

    def deadline_law(self, measures: Measures | int | None) -> Deadlines:
        """The deadlines of a council of these measures (``None`` where the definition has none)."""
        return Deadlines.model_validate(
            {name: resolve_tier(self.resolve(params), measures) for name, params in self.active_deadlines().items()}
        )

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
            "rules": dict(self.rules),
            "deadlines": self.active_deadlines(),
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


def _present(raw: Mapping[str, Params | None]) -> dict[str, Params]:
    return {key: value for key, value in raw.items() if value is not None}


def _merge(base: Definition, child: DefinitionFile, source: str) -> Definition:
    """The child overrides whole parameters, rules' parameters, deadlines and steps (``step:
    null`` removes one, as does ``null`` for a rule's parameters or a deadline)."""
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
        rules=_present({**base.rules, **child.rules}),
        deadlines=_present({**base.deadlines, **child.deadlines}),
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
            rules=_present(raw.rules),
            deadlines=_present(raw.deadlines),
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
    for name in definition.rules:
        if name not in RULES:
            raise _error(
                src,
                f"rules names unknown rule '{name}' (known: {', '.join(sorted(RULES))})",
                f"rules nomme une règle inconnue « {name} »",
            )
    _check_parameters(definition)


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
    spec = RULES[ref.name]
    label = _Label(f"rule '{ref.name}' of {where}", f"la règle « {ref.name} » de {where_fr}")
    own = _tiers(definition, ref.params, label, spec.keys if not isinstance(ref.params, str) else None)
    defaults = definition.rules.get(ref.name)
    base: list[tuple[dict[str, Any], str, str]] = [({}, "", "")]
    if defaults is not None:
        entry = _Label(f"the entry '{ref.name}' of rules:", f"l'entrée « {ref.name} » de rules:")
        base = _tiers(definition, defaults, entry, spec.keys if not isinstance(defaults, str) else None)
        base = [
            (values, d_en + " with rules: " + ref.name, d_fr + " avec rules: " + ref.name)
            for values, d_en, d_fr in base
        ]
    for default, d_en, d_fr in base:
        for tier, t_en, t_fr in own:
            _validate(
                src,
                spec.model,
                {**default, **tier},
                _param_label(ref, label, (t_en, t_fr), (d_en, d_fr)),
                ref.name,
            )


@dataclass(frozen=True)
class _Label:
    en: str
    fr: str


def _param_label(ref: RuleRef, label: _Label, tier: tuple[str, str], defaults: tuple[str, str]) -> _Label:
    """Where a rule's parameters come from: ``$name`` (and its tier), or the reference itself,
    with the ``rules:`` entry laid under them when there is one."""
    if isinstance(ref.params, str):
        name = ref.params.removeprefix("$")
        return _Label(
            f"parameter '{name}'{tier[0]} (for {label.en}{defaults[0]})",
            f"le paramètre « {name} »{tier[1]} (pour {label.fr}{defaults[1]})",
        )
    return _Label(
        f"the parameters{tier[0]} of {label.en}{defaults[0]}", f"les paramètres{tier[1]} de {label.fr}{defaults[1]}"
    )


def _tiers(
    definition: Definition, params: Params, label: _Label, keys: frozenset[str] | None
) -> list[tuple[dict[str, Any], str, str]]:
    """The tiers of a parameter (one for a mapping), each without its ``when``, with a label."""
    src = definition.source
    if isinstance(params, str):
        key = params.removeprefix("$")
        if not params.startswith("$") or key not in definition.parameters:
            raise _error(
                src,
                f"{label.en} refers to unknown parameter '{params}'",
                f"{label.fr} renvoie à un paramètre inconnu « {params} »",
            )
        params = definition.parameters[key]
    tiered = isinstance(params, list)
    result = []
    for number, tier in enumerate(params if isinstance(params, list) else [params], start=1):
        if not isinstance(tier, dict):
            raise _error(
                src,
                f"the parameters of {label.en} must be a mapping or a list of tiers",
                f"les paramètres de {label.fr} doivent être un dictionnaire ou une liste de paliers",
            )
        for key in tier.get("when", {}) if tiered else ():
            if parse_condition(key) is None:
                raise _error(
                    src,
                    f"{label.en} has a tier with unknown condition '{key}' "
                    f"(known: MEASURE_below, MEASURE_at_least with MEASURE in {', '.join(MEASURES)})",
                    f"{label.fr} a un palier à la condition inconnue « {key} »",
                )
        values = {k: v for k, v in tier.items() if not (tiered and k == "when")}
        unknown = sorted(set(values) - keys) if keys is not None else []
        if unknown:
            read = ", ".join(sorted(keys or ()))
            raise _error(
                src,
                f"{label.en} has unknown parameter '{unknown[0]}' (it reads: {read or 'none'})",
                f"{label.fr} a un paramètre inconnu « {unknown[0]} » (elle lit : {read or 'aucun'})",
            )
        where = (f" (tier {number})", f" (palier {number})") if tiered else ("", "")
        result.append((values, *where))
    return result


def _validate(src: str, model: type[BaseModel], values: Mapping[str, Any], label: _Label, rule: str) -> None:
    """``values`` fit ``model``, else DefinitionError naming the file, the parameter and the key."""
    try:
        model.model_validate(dict(values))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        if first["type"] == "missing":
            raise _error(
                src,
                f"rule '{rule}' is missing parameter '{key}' in {label.en}",
                f"il manque à la règle « {rule} » le paramètre « {key} » dans {label.fr}",
            ) from None
        raise _error(
            src,
            f"{label.en}, key '{key}': {first['msg']} (given: {first['input']!r})",
            f"{label.fr}, clé « {key} » : {_PROBLEMS_FR.get(first['type'], first['msg'])} "
            f"(valeur : {first['input']!r})",
        ) from None


# French for the problems pydantic names in English (its ``type`` of error).
_PROBLEMS_FR = {
    "int_parsing": "un nombre entier est attendu",
    "int_type": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "bool_parsing": "un booléen (true/false) est attendu",
    "bool_type": "un booléen (true/false) est attendu",
    "string_type": "un texte est attendu",
    "string_too_short": "un texte non vide est attendu",
    "too_short": "au moins une valeur est attendue",
    "greater_than_equal": "valeur trop petite",
    "literal_error": "valeur non admise",
    "list_type": "une liste est attendue",
    "dict_type": "un dictionnaire est attendu",
    "model_type": "un dictionnaire est attendu",
    "extra_forbidden": "clé inconnue",
}


def _check_parameters(definition: Definition) -> None:
    """Every deadline fits its model, and each key of a named parameter is read by a rule or a
    deadline that uses it (a misspelt key would otherwise be silently ignored)."""
    for name, params in definition.deadlines.items():
        _check_deadline(definition, name, params)
    if "documents" in definition.parameters:  # what the documents of the séance cite
        label = _Label("parameter 'documents'", "le paramètre « documents »")
        for values, tier_en, tier_fr in _tiers(definition, "$documents", label, None):
            where = _Label(label.en + tier_en, label.fr + tier_fr)
            _validate(definition.source, SittingDocuments, values, where, "documents")
    uses = [
        *((r.params, RULES[r.name].keys) for r in definition.rule_refs()),
        *((params, RULES[name].keys) for name, params in definition.rules.items()),
        *((params, frozenset(DEADLINE_MODELS[name].model_fields)) for name, params in definition.deadlines.items()),
    ]
    readers: dict[str, set[str]] = {}
    for params, read_by_one in uses:
        if isinstance(params, str):
            readers.setdefault(params.removeprefix("$"), set()).update(read_by_one)
    for name, keys in readers.items():
        value = definition.parameters.get(name)
        for tier in value if isinstance(value, list) else [value]:
            unknown = sorted(set(tier) - keys - {"when"}) if isinstance(tier, dict) else []
            if unknown:
                read = ", ".join(sorted(keys))
                raise _error(
                    definition.source,
                    f"parameter '{name}' has key '{unknown[0]}' that no rule or deadline using it reads "
                    f"(they read: {read or 'nothing'})",
                    f"le paramètre « {name} » a une clé « {unknown[0]} » qu'aucune règle ni échéance qui "
                    f"l'utilise ne lit (elles lisent : {read or 'rien'})",
                )


def _check_deadline(definition: Definition, name: str, params: Params) -> None:
    """A deadline of ``deadlines:`` is known and its parameters (each tier) fit its model."""
    model = DEADLINE_MODELS.get(name)
    if model is None:
        known = ", ".join(DEADLINE_MODELS)
        raise _error(
            definition.source,
            f"deadlines has unknown deadline '{name}' (known: {known})",
            f"deadlines a une échéance inconnue « {name} » (connues : {known})",
        )
    label = _Label(f"deadline '{name}'", f"l'échéance « {name} »")
    keys = None if isinstance(params, str) else frozenset(model.model_fields)
    for values, tier_en, tier_fr in _tiers(definition, params, label, keys):
        if isinstance(params, str):
            key = params.removeprefix("$")
            where = _Label(
                f"parameter '{key}'{tier_en} (for {label.en})", f"le paramètre « {key} »{tier_fr} (pour {label.fr})"
            )
        else:
            where = _Label(label.en + tier_en, label.fr + tier_fr)
        _validate(definition.source, model, values, where, name)


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
