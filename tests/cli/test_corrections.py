"""Corrections that keep history (issue 15, item 3): the rectification of a transcription error is a
new event that supersedes the figures, checked by the vote's rules on the corrected facts; a
délibération rectificative is an act linked to the act it corrects."""

from __future__ import annotations

from tests.cli.law import MEMBERS, council, opened, snapshot


def said(result) -> str:
    return " ".join(result.stderr.split())


def voted(cli) -> tuple[str, str]:
    council(cli)
    sid, acts = opened(cli)
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0", "--abstain", "0")
    return sid, acts[0]


def test_a_correction_supersedes_the_figures_and_keeps_the_original(cli):
    _, act = voted(cli)
    shown = cli.json(
        "act", "correct", act, "--for", "19", "--abstain", "1", "--on", "2024-12-16", "--reason", "une abstention omise"
    )
    assert shown["vote"] == {"for": 19, "against": 0, "abstain": 1, "took_part": 20}
    assert (shown["corrected_on"], shown["state"]) == ("2024-12-16", "adopted")
    history = cli.json("act", "history", act)
    vote, correction = history[-2], history[-1]
    assert vote["facts"]["vote"] == {"for": 20, "against": 0, "abstain": 0}  # the original, untouched
    assert (correction["trigger"], correction["from_state"], correction["to_state"]) == (
        "act_correct",
        "adopted",
        "adopted",
    )
    assert correction["facts"]["original"]["vote"] == {"for": 20, "against": 0, "abstain": 0}
    assert correction["facts"]["vote"] == {"for": 19, "against": 0, "abstain": 1}
    assert correction["facts"]["reason"] == "une abstention omise"
    assert {v["rule"] for v in correction["verdicts"]} >= {"quorum", "vote_outcome"}
    assert "corrigé le 2024-12-16" in cli("act", "show", act, lang="fr").stdout
    assert "corrected on 2024-12-16" in cli("act", "show", act).stdout
    timeline = " ".join(cli("act", "history", act, lang="fr").stdout.split())
    assert "20 / 0 / 0 → 19 / 0 / 1" in timeline and "une abstention omise" in timeline
    # The act as it stood before the correction still shows the figures first recorded.
    assert cli.json("act", "show", act, "--as-of", "2024-12-14")["vote"]["for"] == 20
    assert cli.json("audit", "verify")["ok"] is True


def test_a_correction_of_the_subject(cli):
    _, act = voted(cli)
    shown = cli.json("act", "correct", act, "--subject", "Objet corrigé", "--reason", "faute de frappe")
    assert shown["subject"] == "Objet corrigé" and shown["vote"]["for"] == 20
    assert cli.json("act", "history", act)[-1]["facts"]["original"]["subject"] == "Objet 1"


def test_a_correction_that_breaks_a_rule_is_refused_and_writes_nothing(cli):
    _, act = voted(cli)
    before = snapshot(cli, [act])
    for lang, nothing in (("en", "Nothing was written"), ("fr", "Rien n'a été enregistré")):
        result = cli("act", "correct", act, "--for", "25", "--reason", "typo", lang=lang)
        assert result.exit_code == 4, result.output
        assert nothing in said(result)
    assert snapshot(cli, [act]) == before


def test_a_correction_that_turns_the_decision_is_refused(cli):
    _, act = voted(cli)
    before = snapshot(cli, [act])
    result = cli("act", "correct", act, "--for", "5", "--against", "15", "--reason", "inversé", lang="fr")
    assert result.exit_code == 2, result.output
    assert "délibération rectificative" in said(result) and "Rien n'a été enregistré" in said(result)
    english = cli("act", "correct", act, "--for", "5", "--against", "15", "--reason", "swapped")
    assert "it does not turn the decision" in said(english)
    assert snapshot(cli, [act]) == before


def test_bad_corrections_are_refused(cli):
    council(cli)
    sid, acts = opened(cli)
    not_voted = cli("act", "correct", acts[0], "--for", "3", "--reason", "x")
    assert not_voted.exit_code == 2 and "has no recorded vote" in said(not_voted)
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0", "--abstain", "0")
    nothing = cli("act", "correct", acts[0], "--reason", "x", lang="fr")
    assert nothing.exit_code == 2 and "Rien à corriger" in said(nothing)
    early = cli("act", "correct", acts[0], "--for", "19", "--abstain", "1", "--on", "2024-12-01", "--reason", "x")
    assert early.exit_code == 2 and "before the vote" in said(early)


def test_a_deliberation_rectificative_names_the_act_it_corrects(cli):
    _, act = voted(cli)
    sid = cli.json("session", "add", "ville", "--date", "2025-01-20T18:00")["id"]
    fix = cli.json("act", "add", sid, "--subject", "Rectification de la délibération 2024121301", "--corrects", act)
    assert fix["corrects"] == act
    assert f"délibération rectificative de {act}" in cli("act", "show", fix["id"], lang="fr").stdout
    assert f"rectified by {fix['id']}" in cli("act", "show", act).stdout
    assert cli.json("act", "show", act)["corrected_by"] == [fix["id"]]
    draft = cli.json("act", "add", sid, "--subject", "Autre")["id"]
    refused = cli("act", "add", sid, "--subject", "Rectif", "--corrects", draft)
    assert refused.exit_code == 2 and "that was voted" in said(refused)
    assert MEMBERS  # the council of the shared set-up


def test_the_audit_report_shows_the_original_and_the_correction(cli):
    _, act = voted(cli)
    cli.ok("act", "correct", act, "--for", "19", "--abstain", "1", "--on", "2024-12-16", "--reason", "abstention omise")
    data = cli.json("audit", "report", "ville", "--year", "2024")
    found = [f for entry in data["acts"] for f in entry["findings"] if f["kind"] == "corrected"]
    assert len(found) == 1 and data["summary"]["corrected"] == 1
    assert found[0]["figures"]["original"]["vote"] == {"for": 20, "against": 0, "abstain": 0}
    assert found[0]["figures"]["corrected"]["vote"] == {"for": 19, "against": 0, "abstain": 1}
    assert "20 / 0 / 0 → 19 / 0 / 1" in found[0]["messages"]["fr"]
    md = cli("audit", "report", "ville", "--year", "2024", "--format", "md", lang="fr").stdout
    assert "20 / 0 / 0 → 19 / 0 / 1" in md
