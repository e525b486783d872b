"""Rejected deliberations are deliberations (issue 11, items 5 and 6): posted and transmitted
(CGCT art. L2131-2 lists deliberations, not adopted ones), shown due for transmission, and open to
the prefect's request or déféré (L2131-6) and a third party's recours (CJA R421-1) from their own
dates; they stay rejected."""

from __future__ import annotations

import pytest

from tests.cli.test_appeals import _unchanged_refusal
from tests.cli.test_review import council, session  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("council")

PREFECT = "CGCT art. L2131-6"
THIRD = "CJA art. R421-1"
PUBLICATION = "CGCT art. L2131-1"


def _rejected(cli) -> str:
    sitting = session(cli, "2024-12-13")
    act = cli.json("act", "add", sitting, "--subject", "Vente du presbytère")["id"]
    cli.ok("session", "convene", sitting, "--on", "2024-12-09")
    cli.ok("session", "open", sitting, "--secretary", "B Deux")
    assert cli.json("act", "vote", act, "--for", "1", "--against", "2")["state"] == "rejected"
    return act


def _due(cli, act, today="2024-12-20"):
    return [i for i in cli.json("due", "ville", "--today", today) if i["subject"] == act]


def test_a_rejected_deliberation_is_due_for_transmission_then_posted_and_filed(cli):
    act = _rejected(cli)
    due = _due(cli, act)
    assert [i["what"] for i in due] == ["transmission"]
    assert "a rejected deliberation is a deliberation, transmitted too" in due[0]["messages"]["en"]
    assert "une délibération rejetée est une délibération, transmise elle aussi" in due[0]["messages"]["fr"]
    posted = cli.json("act", "post", act, "--on", "2024-12-16")
    assert posted["state"] == "rejected" and posted["posted_on"] == "2024-12-16"
    filed = cli.json("act", "file", act, "--on", "2024-12-17")
    assert filed["state"] == "rejected" and filed["filed_on"] == "2024-12-17"
    assert filed["executory_on"] is None
    assert [e["trigger"] for e in cli.json("act", "history", act)][-2:] == ["post", "file"]
    whats = {i["what"] for i in _due(cli, act)}
    assert "transmission" not in whats and {"prefect_window", "third_party_window"} <= whats


def test_a_rejected_deliberation_is_posted_once_and_filed_once(cli):
    act = _rejected(cli)
    cli.ok("act", "post", act, "--on", "2024-12-16")
    cli.ok("act", "file", act, "--on", "2024-12-17")
    _unchanged_refusal(
        cli,
        act,
        ("act", "post", act, "--on", "2024-12-18"),
        "not_done_twice",
        PUBLICATION,
        "already published on 2024-12-16",
        "déjà publié le 2024-12-16",
    )
    _unchanged_refusal(
        cli, act, ("act", "file", act, "--on", "2024-12-18"), "not_done_twice", PUBLICATION,
        "already transmitted on 2024-12-17", "déjà transmis le 2024-12-17",
    )  # fmt: skip


def test_the_prefect_asks_and_refers_a_rejected_deliberation_once_transmitted(cli):
    act = _rejected(cli)
    _unchanged_refusal(
        cli, act, ("act", "contest", act, "--on", "2025-01-20", "--by", "prefect"), "appeal_window_open", PREFECT,
        "the prefect's window has not started: the act is not transmitted",
        "le délai de déféré préfectoral n'a pas commencé : l'acte n'est pas transmis",
    )  # fmt: skip
    cli.ok("act", "file", act, "--on", "2024-12-17")
    asked = cli.json("act", "request", act, "--on", "2025-01-10", "--by", "prefect", "--kind", "gracieux")
    assert asked["state"] == "rejected"
    assert cli.json("act", "answer", act, "--on", "2025-01-15")["state"] == "rejected"
    lodged = cli.json("act", "contest", act, "--on", "2025-02-01", "--by", "prefect")
    assert lodged["state"] == "rejected"
    check = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "appeal_window_open")
    assert check["article"] == PREFECT and check["figures"]["opened_on"] == "2024-12-17"
    assert cli.json("act", "annul", act, "--on", "2025-06-01", "--ruling", "TA Lille 2500003")["state"] == "annulled"


def test_a_third_party_appeals_a_rejected_deliberation_once_published(cli):
    act = _rejected(cli)
    _unchanged_refusal(
        cli, act, ("act", "contest", act, "--on", "2025-01-20", "--by", "third-party"), "appeal_window_open", THIRD,
        "the third parties' window has not started: the act is not published",
        "le délai de recours des tiers n'a pas commencé : l'acte n'est pas publié",
    )  # fmt: skip
    cli.ok("act", "post", act, "--on", "2024-12-16")
    lodged = cli.json("act", "contest", act, "--on", "2025-01-20", "--by", "third-party", "--ref", "2500004")
    assert lodged["state"] == "rejected"
    result = cli("act", "finalize", act, "--on", "2025-12-01")
    assert result.exit_code != 0 and cli.json("act", "show", act)["state"] == "rejected"
    upheld = cli.json("act", "uphold", act, "--on", "2025-06-01", "--ruling", "TA Lille 2500004")
    assert upheld["state"] == "rejected"
    result = cli("act", "uphold", act, "--on", "2025-06-02", "--ruling", "TA Lille 2500005")
    assert result.exit_code == 4 and "0 appeals pending" in " ".join(result.stderr.split())
