"""Appeals run from their own dates, in any state (issue 11, item 5): the prefect's window from
transmission (CGCT art. L2131-6), third parties' from publication (CJA R421-1)."""

from __future__ import annotations

import pytest

from tests.cli.test_review import adopted, council  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("council")

PREFECT = "CGCT art. L2131-6"
THIRD = "CJA art. R421-1"


def _unchanged_refusal(cli, act, args, rule, article, en, fr):
    before = (cli.json("act", "show", act), cli.json("act", "history", act))
    for lang, text in (("en", en), ("fr", fr)):
        result = cli(*args, lang=lang)
        said = " ".join(result.stderr.split())
        assert result.exit_code == 4, result.output
        from cli.i18n import rule_name

        assert f"[{rule_name(lang, rule)}, {article}]" in said and text in said, said
    assert (cli.json("act", "show", act), cli.json("act", "history", act)) == before


def test_a_prefects_request_and_deferral_on_a_filed_act_not_yet_published(cli):
    _, (act,) = adopted(cli)
    cli.ok("act", "file", act, "--on", "2024-12-16")
    asked = cli.json("act", "request", act, "--on", "2025-01-10", "--by", "prefect", "--kind", "documents")
    assert asked["state"] == "filed"
    lodged = cli.json("act", "contest", act, "--on", "2025-01-20", "--by", "prefect")
    assert lodged["state"] == "filed"
    event = cli.json("act", "history", act)[-1]
    check = next(v for v in event["verdicts"] if v["rule"] == "appeal_window_open")
    assert check["article"] == PREFECT and check["figures"]["opened_on"] == "2024-12-16"
    assert check["figures"]["late"] is False
    # published afterwards: executory, the appeal still pending, so not final
    assert cli.json("act", "post", act, "--on", "2025-01-21")["state"] == "executory"
    result = cli("act", "finalize", act, "--on", "2025-12-01")
    assert result.exit_code == 4 and "1 appeal pending: record the ruling first" in " ".join(result.stderr.split())
    assert cli.json("act", "uphold", act, "--on", "2025-06-01", "--ruling", "TA Lille 2500001")["state"] == "executory"
    assert cli.json("act", "finalize", act, "--on", "2025-12-01")["state"] == "definitive"


def test_a_third_partys_appeal_on_a_posted_act_not_yet_transmitted(cli):
    _, (act,) = adopted(cli)
    cli.ok("act", "post", act, "--on", "2024-12-14")
    asked = cli.json("act", "request", act, "--on", "2025-01-05", "--by", "third-party", "--kind", "gracieux")
    assert asked["state"] == "posted"
    lodged = cli.json("act", "contest", act, "--on", "2025-01-20", "--by", "third-party", "--ref", "2500002")
    assert lodged["state"] == "posted"
    check = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "appeal_window_open")
    assert check["article"] == THIRD and check["figures"]["opened_on"] == "2024-12-14"
    assert cli.json("act", "annul", act, "--on", "2025-09-01", "--ruling", "TA 2500002")["state"] == "annulled"


@pytest.mark.parametrize(
    ("step", "by", "article", "en", "fr"),
    [
        ("post", "prefect", PREFECT, "the prefect's window has not started: the act is not transmitted",
         "le délai de déféré préfectoral n'a pas commencé : l'acte n'est pas transmis"),
        ("file", "third-party", THIRD, "the third parties' window has not started: the act is not published",
         "le délai de recours des tiers n'a pas commencé : l'acte n'est pas publié"),
    ],
)  # fmt: skip
def test_an_appeal_before_its_own_window_opens_is_refused(cli, step, by, article, en, fr):
    _, (act,) = adopted(cli)
    cli.ok("act", step, act, "--on", "2024-12-14")
    args = ("act", "contest", act, "--on", "2025-01-20", "--by", by)
    _unchanged_refusal(cli, act, args, "appeal_window_open", article, en, fr)


def test_a_third_party_request_on_a_filed_act_not_published_is_refused(cli):
    _, (act,) = adopted(cli)
    cli.ok("act", "file", act, "--on", "2024-12-14")
    args = ("act", "request", act, "--on", "2025-01-05", "--by", "third-party", "--kind", "gracieux")
    _unchanged_refusal(cli, act, args, "request_in_window", THIRD, "no third_party window is running yet",
                       "aucun délai des tiers ne court encore")  # fmt: skip


def test_a_late_appeal_is_recorded_and_said_late(cli):
    _, (act,) = adopted(cli)
    cli.ok("act", "file", act, "--on", "2024-12-14")
    cli.ok("act", "contest", act, "--on", "2025-04-01", "--by", "prefect")
    check = next(v for v in cli.json("act", "history", act)[-1]["verdicts"] if v["rule"] == "appeal_window_open")
    assert check["figures"]["late"] is True
    assert "tardif" in check["messages"]["fr"] and "late" in check["messages"]["en"]


def test_a_ruling_without_an_appeal_is_refused(cli):
    _, (act,) = adopted(cli)
    cli.ok("act", "file", act, "--on", "2024-12-14")
    args = ("act", "uphold", act, "--on", "2025-04-01", "--ruling", "TA 1")
    _unchanged_refusal(cli, act, args, "appeal_pending", "CJA art. L4", "0 appeals pending", "0 recours pendant")
