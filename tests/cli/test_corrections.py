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


# ---------------------------------------------------------------- the attendance of an item


def test_an_attendance_correction_supersedes_the_item_s_attendance(cli):
    """20 in office, all present, 20 for; in fact ELU05 was absent and had given a proxy to ELU06:
    the same 20 took part, the figures stand; the fold derives the act's row from the correction."""
    _, act = voted(cli)
    shown = cli.json(
        "act", "correct", act, "--proxy", f"{MEMBERS[4]}={MEMBERS[5]}", "--on", "2024-12-16", "--reason", "pouvoir omis"
    )
    assert MEMBERS[4] not in shown["attendance"]["present"] and len(shown["attendance"]["present"]) == 19
    assert shown["attendance"]["proxies"] == {MEMBERS[4]: MEMBERS[5]}
    assert shown["vote"]["took_part"] == 20 and shown["corrected_on"] == "2024-12-16"
    correction = cli.json("act", "history", act)[-1]
    assert correction["facts"]["original"]["attendance"]["proxies"] == {}
    assert correction["facts"]["attendance"]["proxies"] == {MEMBERS[4]: MEMBERS[5]}
    assert {v["rule"] for v in correction["verdicts"]} >= {"quorum", "proxies_valid", "vote_count"}
    timeline = " ".join(cli("act", "history", act, lang="fr").stdout.split())
    assert f"présences : présents −{MEMBERS[4]}; pouvoirs +{MEMBERS[4]}→{MEMBERS[5]}" in timeline
    assert "attendance: present −" in " ".join(cli("act", "history", act).stdout.split())
    assert "corrigé le 2024-12-16" in cli("act", "show", act, lang="fr").stdout
    # the séance's attendance at the opening is not changed, only the item's
    assert len(cli.json("session", "show", "ville/2024-12-13")["attendance"]["present"]) == 20
    assert cli.json("audit", "verify")["ok"] is True


def test_an_attendance_correction_recounts_those_who_took_part_with_the_figures(cli):
    _, act = voted(cli)
    before = snapshot(cli, [act])
    # ELU20 was in fact absent: 19 took part, and 20 votes for no longer add up
    for lang, text in (("en", "20 ≠ 19 who took part"), ("fr", "20 ≠ 19 votants")):
        refused = cli("act", "correct", act, "--absent", MEMBERS[19], "--reason", "absent", lang=lang)
        assert refused.exit_code == 4 and text in said(refused), refused.output
    assert snapshot(cli, [act]) == before
    shown = cli.json("act", "correct", act, "--absent", MEMBERS[19], "--for", "19", "--reason", "absent")
    assert shown["vote"] == {"for": 19, "against": 0, "abstain": 0, "took_part": 19}
    assert MEMBERS[19] in shown["attendance"]["absent"]


def test_an_attendance_correction_that_breaks_quorum_is_refused_and_writes_nothing(cli):
    council(cli)
    sid, acts = opened(cli, args=tuple(a for m in MEMBERS[11:20] for a in ("--absent", m)))  # 11 present of 20
    cli.ok("act", "vote", acts[0], "--for", "11", "--against", "0", "--abstain", "0")
    before = snapshot(cli, acts)
    for lang, texts in (
        ("en", ["quorum", "CGCT art. L2121-17", "10 present", "11 required", "Nothing was written"]),
        ("fr", ["quorum", "CGCT art. L2121-17", "10 présents", "11 requis", "Rien n'a été enregistré"]),
    ):
        refused = cli(
            "act", "correct", acts[0], "--absent", MEMBERS[10], "--for", "10", "--reason", "absent", lang=lang
        )
        assert refused.exit_code == 4, refused.output
        for text in texts:
            assert text in said(refused), (text, refused.output)
    assert snapshot(cli, acts) == before
    # the other side of the boundary: moving a member the other way keeps the quorum
    shown = cli.json("act", "correct", acts[0], "--present", MEMBERS[11], "--for", "12", "--reason", "arrivé")
    assert len(shown["attendance"]["present"]) == 12 and shown["vote"]["took_part"] == 12


def test_bad_attendance_corrections_are_refused(cli):
    _, act = voted(cli)
    before = snapshot(cli, [act])
    away = cli("act", "correct", act, "--absent", MEMBERS[5], "--proxy", f"{MEMBERS[4]}={MEMBERS[5]}", "--reason", "x")
    assert away.exit_code == 2 and "holds a proxy but is not present" in said(away)
    twice = cli("act", "correct", act, "--absent", MEMBERS[4], "--present", MEMBERS[4], "--reason", "x", lang="fr")
    assert twice.exit_code == 2 and "donné(s) deux fois" in said(twice)
    same = cli("act", "correct", act, "--present", MEMBERS[4], "--reason", "x")
    assert same.exit_code == 2 and "the one recorded" in said(same)
    unknown = cli("act", "correct", act, "--absent", "Personne Inconnue", "--reason", "x")
    assert unknown.exit_code in (2, 3)
    malformed = cli("act", "correct", act, "--proxy", "sans signe égal", "--reason", "x")
    assert malformed.exit_code == 2 and "GIVER=HOLDER" in said(malformed)
    assert snapshot(cli, [act]) == before
