"""Definitions for every kind of council; ``extends`` and overrides; broken files refused on
load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workflow.definition import RuleRef, for_council, get, load_all, resolve_tier
from workflow.errors import DefinitionError


def shipped_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("definitions")))


def convocation(name: str, measures=None) -> dict:
    return get(name).rule_params(RuleRef(name="convocation_delay", params="$convocation"), measures)


@pytest.mark.parametrize(
    ("kind", "population", "expected"),
    [
        ("commune", 1200, "commune"),
        ("commune", None, "commune"),
        ("epci", 50000, "epci"),
        ("departement", 600000, "departement"),
        ("region", None, "region"),
    ],
)
def test_each_kind_has_its_definition(kind, population, expected):
    assert for_council(kind, population).name == expected


def test_an_unknown_kind_is_refused_with_the_known_ones():
    with pytest.raises(DefinitionError) as refused:
        for_council("canton", 10)
    message = refused.value.message("en")
    for kind in ("commune", "epci", "departement", "region"):
        assert kind in message


@pytest.mark.parametrize(
    ("name", "measures", "days", "article"),
    [
        ("commune", 3499, 3, "CGCT art. L2121-11"),
        ("commune", 3500, 5, "CGCT art. L2121-12"),
        ("commune", None, 5, "CGCT art. L2121-12"),
        (
            "epci",
            {"population": 90000, "largest_commune_population": 3499},
            3,
            "CGCT art. L5211-1, L2121-11",
        ),
        (
            "epci",
            {"population": 90000, "largest_commune_population": 3500},
            5,
            "CGCT art. L5211-1, L2121-12",
        ),
        (
            "epci",
            {"population": 90000, "largest_commune_population": None},
            5,
            "CGCT art. L5211-1, L2121-12",
        ),
        ("epci", 1000, 5, "CGCT art. L5211-1, L2121-12"),  # population alone says nothing of it
        ("departement", None, 12, "CGCT art. L3121-19"),
        ("region", None, 12, "CGCT art. L4132-18"),
    ],
)
def test_delays_and_articles_by_kind_and_measures(name, measures, days, article):
    params = convocation(name, measures)
    assert (params["min_clear_days"], params["urgent_min_clear_days"], params["article"]) == (
        days,
        1,
        article,
    )


def test_extending_definitions_inherit_the_lifecycle_and_override_parameters():
    commune, departement = get("commune"), get("departement")
    assert departement.extends == ("commune",)
    assert departement.transitions == commune.transitions
    assert departement.states == commune.states
    assert departement.parameters["quorum"] == {"article": "CGCT art. L3121-14"}
    assert departement.parameters["proxies"]["max_consecutive_sessions"] == 1
    assert "list_posted" in commune.steps and "list_posted" not in departement.steps  # `null` removes
    assert departement.steps["minutes"] == commune.steps["minutes"]


def test_effective_definition_is_what_definitions_show_prints(cli):
    shown = cli.json("definitions", "show", "epci")
    assert shown["name"] == "epci" and shown["extends"] == ["commune"]
    assert shown["parameters"]["convocation"][0]["when"] == {"largest_commune_population_below": 3500}
    assert {t["trigger"] for t in shown["transitions"]} >= {
        "convene",
        "open",
        "quorum_failure",
        "reconvene",
        "vote",
    }
    assert shown["steps"]["list_posted"][2]["name"] == "list_posted_within"
    text = cli.ok("definitions", "show", "departement").stdout
    assert "CGCT art. L3121-19" in text and "extends:" in text and "- commune" in text


# ---------------------------------------------------------------- broken files


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(shipped_dir() / "commune.yaml", tmp_path / "commune.yaml")
    return tmp_path


def write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def refused(folder: Path) -> str:
    load_all.cache_clear()
    try:
        with pytest.raises(DefinitionError) as error:
            load_all(str(folder))
    finally:
        load_all.cache_clear()
    assert error.value.exit_code == 6
    return error.value.message("en") + " | " + error.value.message("fr")


def test_a_valid_extension_with_an_override_loads(folder):
    write(
        folder,
        "petite",
        "name: petite\nextends: commune\nkinds: [petite]\n"
        "parameters:\n  convocation: {min_clear_days: 4, urgent_min_clear_days: 2, article: CGCT art. L2121-11}\n",
    )
    load_all.cache_clear()
    try:
        loaded = load_all(str(folder))
    finally:
        load_all.cache_clear()
    child = loaded["petite"]
    assert child.rule_params(RuleRef(name="convocation_delay", params="$convocation"), 100)["min_clear_days"] == 4
    assert child.parameters["quorum"] == loaded["commune"].parameters["quorum"]  # inherited


def test_unknown_state_is_refused(folder):
    write(
        folder,
        "bad",
        "name: bad\nextends: commune\nkinds: [bad]\ntransitions:\n"
        "  - {trigger: convene, source: draft, dest: nowhere}\n",
    )
    message = refused(folder)
    assert "bad.yaml" in message and "unknown state 'nowhere'" in message and "état inconnu" in message


def test_unknown_rule_is_refused(folder):
    write(
        folder,
        "bad",
        "name: bad\nextends: commune\nkinds: [bad]\nsteps:\n  proxy: [no_such_rule]\n",
    )
    message = refused(folder)
    assert "step 'proxy' names unknown rule 'no_such_rule'" in message


def test_missing_parameter_is_refused(folder):
    write(
        folder,
        "bad",
        "name: bad\nextends: commune\nkinds: [bad]\nparameters:\n  proxies: {max_per_holder: 1, article: A}\n",
    )
    message = refused(folder)
    assert "rule 'proxy_duration' is missing parameter 'max_consecutive_sessions'" in message
    assert "bad.yaml" in message and "parameter 'proxies'" in message


def test_unknown_measure_in_a_tier_is_refused(folder):
    write(
        folder,
        "bad",
        "name: bad\nextends: commune\nkinds: [bad]\nparameters:\n  convocation:\n"
        "    - {when: {inhabitants_below: 10}, min_clear_days: 1}\n    - {min_clear_days: 3}\n",
    )
    assert "unknown condition 'inhabitants_below'" in refused(folder)


def test_a_cycle_of_extends_is_refused(folder):
    write(folder, "one", "name: one\nextends: two\nkinds: [one]\n")
    write(folder, "two", "name: two\nextends: one\nkinds: [two]\n")
    assert "makes a cycle" in refused(folder)


def test_extending_an_unknown_definition_is_refused(folder):
    write(folder, "bad", "name: bad\nextends: ghost\nkinds: [bad]\n")
    assert "extends an unknown definition 'ghost'" in refused(folder)


def test_unknown_measures_fall_to_the_last_tier():
    tiers = [{"when": {"population_below": 3500}, "days": 3}, {"days": 5}]
    assert resolve_tier(tiers, 3499) == {"days": 3}
    assert resolve_tier(tiers, 3500) == {"days": 5}
    assert resolve_tier(tiers, None) == {"days": 5}
    assert resolve_tier(tiers, {"largest_commune_population": 10}) == {"days": 5}
