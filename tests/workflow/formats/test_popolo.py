"""Popolo export: every object valid against the Popolo JSON Schemas (draft-03, with jsonschema),
counts and roll-call votes as recorded, results from the vote's outcome, --year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.workflow.formats.seed import SIREN, build_seed

KINDS = {
    "organizations": "organization",
    "persons": "person",
    "memberships": "membership",
    "events": "event",
    "motions": "motion",
    "vote_events": "vote_event",
}


def _schemas() -> Path:
    for parent in Path(__file__).resolve().parents:
        folder = parent / "shared/reference/popolo/schemas"
        if folder.is_dir():
            return folder
    pytest.skip("shared/reference/popolo/schemas is not beside this clone")


def popolo_errors(document: dict[str, Any]) -> list[str]:
    """Each object of the document validated against its Popolo schema (draft-03, $ref by id)."""
    from jsonschema import Draft3Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    schemas = {p.stem: json.loads(p.read_text("utf-8")) for p in _schemas().glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource(schema, specification=DRAFT3)) for schema in schemas.values()
    )
    registry = registry.with_resources(
        (schema["id"], Resource(schema, specification=DRAFT3)) for schema in schemas.values()
    )
    errors = []
    for key, kind in KINDS.items():
        validator = Draft3Validator(schemas[kind], registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)
        for item in document[key]:
            errors += [f"{key} {item.get('id')}: {e.message}" for e in validator.iter_errors(item)]
    return errors


def roll_call_council(cli: Cli) -> tuple[str, str]:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN, "--department", "59")
    cli.ok("member", "add", "ville", "MARTIN Alice", "--mayor")
    cli.ok("member", "add", "ville", "DURAND Bob", "PETIT Chloé", "ROUX David", "LEROY Emma")
    session = cli.ok("session", "add", "ville", "--date", "2025-03-20T19:00", "--place", "Mairie").stdout.strip()
    adopted = cli.ok("act", "add", session, "--subject", "Budget primitif", "--matiere", "7.1").stdout.strip()
    rejected = cli.ok("act", "add", session, "--subject", "Fresque", "--matiere", "8.9").stdout.strip()
    cli.ok("session", "convene", session, "--on", "2025-03-14")
    present = ["MARTIN Alice", "DURAND Bob", "PETIT Chloé", "ROUX David", "LEROY Emma"]
    cli.ok("session", "open", session, *[a for n in present for a in ("--present", n)], "--secretary", "DURAND Bob")
    cli.ok(
        "act", "vote", adopted, "--for", "3", "--against", "1", "--abstain", "1",
        "--for-names", "MARTIN Alice", "--for-names", "DURAND Bob", "--for-names", "PETIT Chloé",
        "--against-names", "ROUX David", "--abstain-names", "LEROY Emma",
    )  # fmt: skip
    cli.ok("act", "vote", rejected, "--for", "1", "--against", "3", "--blank", "1")
    return adopted, rejected


def test_a_roll_call_and_a_rejected_motion(cli: Cli, tmp_path: Path) -> None:
    adopted, rejected = roll_call_council(cli)
    out = tmp_path / "popolo.json"
    cli.ok("export", "popolo", "ville", "-o", str(out))
    document = json.loads(out.read_text("utf-8"))
    assert popolo_errors(document) == []
    (organization,) = document["organizations"]
    assert organization["identifiers"] == [{"scheme": "SIREN", "identifier": SIREN}]
    people = {p["id"]: p["name"] for p in document["persons"]}
    assert len(people) == 5
    roles = {people[m["person_id"]]: m["role"] for m in document["memberships"]}
    assert roles["MARTIN Alice"] == "mayor" and roles["ROUX David"] == "member"
    (event,) = document["events"]
    assert event["start_date"] == "2025-03-20T19:00:00+01:00" and event["location"] == "Mairie"
    motions = {m["id"]: m for m in document["motions"]}
    assert (motions[adopted]["result"], motions[rejected]["result"]) == ("pass", "fail")
    votes = {v["motion_id"]: v for v in document["vote_events"]}
    assert votes[adopted]["counts"] == [
        {"option": "yes", "value": 3},
        {"option": "no", "value": 1},
        {"option": "abstain", "value": 1},
    ]
    cast = {people[v["voter_id"]]: v["option"] for v in votes[adopted]["votes"]}
    assert cast == {
        "MARTIN Alice": "yes",
        "DURAND Bob": "yes",
        "PETIT Chloé": "yes",
        "ROUX David": "no",
        "LEROY Emma": "abstain",
    }
    assert votes[rejected]["votes"] == []  # no roll call: counts only
    broken = {**document, "vote_events": [{**votes[adopted], "counts": [{"option": "yes", "value": "3"}]}]}
    assert popolo_errors(broken) == [f"vote_events {adopted}/vote: '3' is not of type 'integer'"]  # $ref followed
    assert {"option": "blank", "value": 1} in votes[rejected]["counts"]


def test_the_year_and_the_seed(cli: Cli) -> None:
    build_seed(cli)
    document = json.loads(cli.ok("export", "popolo", "seed").stdout)
    assert popolo_errors(document) == []
    assert [m["identifier"] for m in document["motions"]] == ["2024121302"]
    assert document["vote_events"][0]["counts"][0] == {"option": "yes", "value": 20}
    other_year = json.loads(cli.ok("export", "popolo", "seed", "--year", "2023").stdout)
    assert other_year["motions"] == [] and other_year["events"] == [] and len(other_year["persons"]) == 20
    assert cli("export", "popolo", "nowhere").exit_code == 3
