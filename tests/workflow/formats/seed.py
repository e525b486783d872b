"""The seed case (deliberation n° 2024121302 of 13/12/2024) replayed through the CLI, with the
identifiers the formats need and the real act does not print (SIREN, department, matière)."""

from __future__ import annotations

from typing import Any

from cli.demo import load_example

SIREN = "215900002"  # the placeholder SIREN of the domain rules (valid Luhn key)
SIRET = "21590000200019"  # that SIREN + NIC 00019 (valid Luhn key over 14 digits)
NAME = "Commune d'exemple"


def build_seed(
    cli: Any, slug: str = "seed", *, matiere: str | None = "8.9", department: str = "59", transmit: bool = True
) -> str:
    """Carry the seed act to executory as a clerk would (``transmit=False``: voted and posted,
    not yet filed at the prefecture); returns its id."""
    facts = load_example()
    council, sitting, act = facts["council"], facts["session"], facts["act"]
    cli.ok(
        "council",
        "add",
        slug,
        "--name",
        NAME,
        "--kind",
        "commune",
        "--siren",
        SIREN,
        "--department",
        department,
    )
    cli.ok("member", "add", slug, council["mayor"], "--mayor")
    cli.ok("member", "add", slug, *[m for m in council["members"] if m != council["mayor"]])
    session_id = cli.ok(
        "session", "add", slug, "--date", "2024-12-13T18:00", "--place", sitting["place"]
    ).stdout.strip()
    extra = ["--matiere", matiere] if matiere else []
    act_id = cli.ok(
        "act", "add", session_id, "--subject", act["subject"], "--number", act["number"], *extra
    ).stdout.strip()
    cli.ok("session", "convene", session_id, "--on", str(sitting["convocation_sent_on"]))
    present = [arg for name in sitting["present"] for arg in ("--present", name)]
    proxies = [arg for giver, holder in sitting["proxies"].items() for arg in ("--proxy", f"{giver}={holder}")]
    cli.ok("session", "open", session_id, *present, *proxies, "--secretary", sitting["secretary"])
    cli.ok("act", "vote", act_id, "--for", "20", "--against", "0", "--abstain", "0")
    if transmit:
        cli.ok("act", "file", act_id, "--on", str(act["transmitted_on"]))
    cli.ok("act", "post", act_id, "--on", str(act["posted_on"]))
    return act_id
