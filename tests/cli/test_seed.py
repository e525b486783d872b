"""The first real case: deliberation n° 2024121302 (session of 13/12/2024), replayed through the CLI."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pytest
import yaml

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
FACTS_FILE = SHARED / "deliberation-2024121302.facts.yaml"


def load_facts() -> dict:
    if FACTS_FILE.exists():
        return yaml.safe_load(FACTS_FILE.read_text("utf-8"))
    text = resources.files("workflow").joinpath("data/example-2024121302.facts.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_packaged_copy_is_the_shared_example():
    if not FACTS_FILE.exists():
        pytest.skip("../shared/examples is not beside this checkout")
    packaged = resources.files("workflow").joinpath("data/example-2024121302.facts.yaml").read_text("utf-8")
    assert packaged == FACTS_FILE.read_text("utf-8")


def test_seed_deliberation_through_the_cli(cli, tmp_path):
    facts = load_facts()
    text = tmp_path / "deliberation-2024121302.md"  # the act's own text: the exposé and the decision
    text.write_bytes(resources.files("workflow").joinpath("data/example-2024121302.text.md").read_bytes())
    council, session, act, expected = facts["council"], facts["session"], facts["act"], facts["expected"]

    cli.ok(
        "council",
        "add",
        "seed",
        "--name",
        "Conseil municipal",
        "--kind",
        council["kind"],
        "--population",
        "3000",
        "--siren",
        "215900002",
        "--department",
        "59",
    )
    cli.ok("member", "add", "seed", council["mayor"], "--mayor")
    others = [m for m in council["members"] if m != council["mayor"]]
    added = cli.json("member", "add", "seed", *others)
    assert len(added) == council["members_in_office"] - 1

    held_at = str(session["held_at"]).replace(" ", "T")[:16]
    sitting = cli.json("session", "add", "seed", "--date", held_at, "--place", session["place"])
    assert sitting["id"] == "seed/2024-12-13"
    created = cli.json(
        "act", "add", sitting["id"], "--subject", act["subject"], "--number", act["number"], "--text", str(text)
    )
    assert created["id"] == "seed/2024121302" and created["state"] == "draft"
    assert created["text_sha256"] == hashlib.sha256(text.read_bytes()).hexdigest()

    convened = cli.json("session", "convene", sitting["id"], "--on", str(session["convocation_sent_on"]))
    assert [a["state"] for a in convened] == ["convened"]

    absent_args = []
    for giver, holder in session["proxies"].items():
        absent_args += ["--proxy", f"{giver}={holder}"]
    opened = cli.json("session", "open", sitting["id"], *absent_args, "--secretary", session["secretary"])
    assert opened[0]["state"] == "in_session"
    assert len(opened[0]["attendance"]["present"]) == len(session["present"])

    vote = act["vote"]
    voted = cli.json(
        "act",
        "vote",
        created["id"],
        "--for",
        str(vote["for"]),
        "--against",
        str(vote["against"]),
        "--abstain",
        str(vote["abstain"]),
    )
    assert voted["state"] == expected["outcome"]
    assert voted["vote"]["took_part"] == expected["took_part"]

    filed = cli.json("act", "file", created["id"], "--on", str(act["transmitted_on"]))
    assert filed["state"] == "filed" and filed["executory_on"] is None
    posted = cli.json("act", "post", created["id"], "--on", str(act["posted_on"]))
    assert posted["state"] == "executory"
    assert posted["executory_on"] == str(expected["executory_on"])

    shown = cli.json("act", "show", created["id"])
    assert {k: shown[k] for k in ("id", "number", "subject", "state", "executory_on")} == {
        "id": "seed/2024121302",
        "number": "2024121302",
        "subject": act["subject"],
        "state": "executory",
        "executory_on": "2024-12-14",
    }

    history = cli.json("act", "history", created["id"])
    assert [(e["trigger"], e["from_state"], e["to_state"]) for e in history] == [
        ("create", None, "draft"),
        ("convene", "draft", "convened"),
        ("open", "convened", "in_session"),
        ("vote", "in_session", "adopted"),
        ("file", "adopted", "filed"),
        ("post", "filed", "executory"),
    ]
    figures = {v["rule"]: v["figures"] for e in history for v in e["verdicts"]}
    assert figures["convocation_delay"]["clear_days"] == expected["clear_days_between_convocation_and_session"]
    assert figures["quorum"]["present"] == 16 and figures["quorum"]["required"] == 11
    assert figures["vote_count"]["took_part"] == expected["took_part"]
    assert figures["executory_requires_both"]["executory_on"] == "2024-12-14"
    assert all(v["passed"] for e in history for v in e["verdicts"])
    assert {e["actor"] for e in history} == {"clerk"}
    assert [e["legal_date"] for e in history[1:]] == [
        "2024-11-29",
        "2024-12-13",
        "2024-12-13",
        "2024-12-13",
        "2024-12-14",
    ]


def test_demo_carries_the_example_and_shows_its_history(cli):
    result = cli.ok("demo")
    assert "executory" in result.stdout
    assert "13 clear days" in result.stdout
    again = cli.ok("demo")  # a second run does not duplicate anything
    assert "already exists" in again.stdout
    history = cli.json("act", "history", "exemple/2024121302")
    assert len(history) == 6


def test_demo_in_french(cli):
    result = cli.ok("demo", lang="fr")
    assert "exécutoire" in result.stdout
    assert "13 jours francs" in result.stdout
