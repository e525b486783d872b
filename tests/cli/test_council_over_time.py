"""The council over time (issue 15, item 2): members leave and are installed on a legal date, the
number in office at a séance is the count on that day, the council's values change by dated
events that the rules read on each step's legal date, and the SCDL export reads the stored SIRET."""

from __future__ import annotations

from tests.cli.law import MEMBERS, absent, convened, council, last_event, sitting, verdict

SIRET = "21590000200019"


def said(result) -> str:
    return " ".join(result.stderr.split())


def test_a_session_the_day_after_a_resignation_counts_19_and_its_quorum_is_10(cli):
    council(cli)
    left = cli.json("member", "leave", "ville", MEMBERS[19], "--on", "2024-12-12", "--reason", "resignation")
    assert (left["in_office"], left["left_on"], left["left_reason"]) == (False, "2024-12-12", "resignation")
    sid, acts = convened(cli)
    # 10 present of 19 in office: the quorum (more than half of 19) is 10, reached.
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *absent(*MEMBERS[10:19]))
    quorum = verdict(last_event(cli, acts[0]), "quorum")
    assert quorum["figures"]["in_office"] == 19 and quorum["figures"]["required"] == 10
    assert last_event(cli, acts[0])["facts"]["members_in_office"] == 19
    assert cli.json("audit", "verify")["ok"] is True


def test_a_session_before_the_resignation_still_counts_20(cli):
    council(cli)
    sid, acts = convened(cli)  # séance of 2024-12-13
    cli.ok("member", "leave", "ville", MEMBERS[19], "--on", "2024-12-14", "--reason", "death")
    # 10 present of 20: no quorum (11 required), though only 19 are in office today.
    result = cli("session", "open", sid, "--secretary", MEMBERS[1], *absent(*MEMBERS[10:]))
    assert result.exit_code == 4, result.output
    assert "10 present < 11 required (more than half of 20 in office" in said(result)


def test_member_list_as_of_shows_the_composition_that_day(cli):
    council(cli)
    cli.ok("member", "leave", "ville", MEMBERS[19], "--on", "2024-12-12", "--reason", "resignation")
    cli.ok("member", "add", "ville", "NOUVEL Élu", "--on", "2024-12-20")
    before = cli.json("member", "list", "ville", "--as-of", "2024-12-11")
    between = cli.json("member", "list", "ville", "--as-of", "2024-12-13")
    after = cli.json("member", "list", "ville", "--as-of", "2024-12-20")
    assert (before["members_in_office"], between["members_in_office"], after["members_in_office"]) == (20, 19, 20)
    assert MEMBERS[19] in [m["name"] for m in before["members"]]
    assert "NOUVEL Élu" not in [m["name"] for m in between["members"]]
    assert after["members"][-1] == {
        "name": "NOUVEL Élu",
        "mayor": False,
        "in_office": True,
        "since": "2024-12-20",
        "left_on": None,
        "left_reason": None,
    }
    fr = cli("member", "list", "ville", "--as-of", "2024-12-13", lang="fr")
    assert "ville le 2024-12-13 : 19 membre(s) en exercice" in fr.stdout


def test_a_member_installed_after_a_session_is_not_counted_at_it(cli):
    council(cli, members=MEMBERS[:19])
    cli.ok("member", "add", "ville", MEMBERS[19], "--on", "2024-12-20")
    sid, acts = convened(cli)
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *absent(*MEMBERS[10:19]))
    assert verdict(last_event(cli, acts[0]), "quorum")["figures"]["in_office"] == 19


def test_a_bad_departure_is_refused_in_both_languages_and_writes_nothing(cli):
    council(cli)
    before = cli.json("audit", "log")
    for lang, text in (
        ("en", "--reason must be one of resignation, death, other (not 'moved')."),
        ("fr", "--reason doit valoir resignation, death, other (et non « moved »)."),
    ):
        result = cli("member", "leave", "ville", MEMBERS[3], "--on", "2024-12-12", "--reason", "moved", lang=lang)
        assert result.exit_code == 2 and text in said(result), result.output
    cli.ok("member", "add", "ville", "NOUVEL Élu", "--on", "2024-12-20")
    early = cli("member", "leave", "ville", "NOUVEL Élu", "--on", "2024-12-19", "--reason", "other")
    assert early.exit_code == 2 and "installed on 2024-12-20" in said(early)
    unknown = cli("member", "leave", "ville", "PERSONNE Inconnue", "--on", "2024-12-19", "--reason", "other")
    assert unknown.exit_code != 0
    assert len(cli.json("audit", "log")) == len(before) + 1  # only the installation


def test_the_population_in_force_on_the_legal_date_chooses_the_delay(cli):
    council(cli, population="1200")
    edited = cli.json("council", "edit", "ville", "--population", "4000", "--on", "2025-01-01")
    assert edited["population"] == 4000
    # A séance of 2024: 1,200 inhabitants then, 3 clear days suffice (L2121-11).
    convened(cli, day="2024-12-13", on="2024-12-09")
    # A séance of 2025: 4,000 inhabitants, 5 clear days are required (L2121-12).
    sid, acts = sitting(cli, day="2025-01-20")
    result = cli("session", "convene", sid, "--on", "2025-01-16")
    assert result.exit_code == 4 and "3 clear days < 5 required" in said(result), result.output
    event = cli.json("audit", "log", "--council", "ville", "--trigger", "council_edit")[-1]
    assert (event["legal_date"], event["facts"]) == ("2025-01-01", {"changes": {"population": 4000}})


def test_council_edit_refuses_bad_values_and_nothing_to_change(cli):
    council(cli, extra=("--siren", "215900002"))
    before = cli.json("audit", "log")
    nothing = cli("council", "edit", "ville", lang="fr")
    assert nothing.exit_code == 2 and "Rien à modifier" in said(nothing)
    other = cli("council", "edit", "ville", "--siret", "21590001700018")
    assert other.exit_code == 2, other.output
    negative = cli("council", "edit", "ville", "--population", "-3")
    assert negative.exit_code == 2 and "--population cannot be negative." in said(negative)
    assert cli.json("audit", "log") == before


def test_the_scdl_export_reads_the_stored_siret(cli, tmp_path):
    council(cli, extra=("--siren", "215900002"))
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    acts = [cli.json("act", "add", sid, "--subject", "Bibliothèque", "--matiere", "8.9")["id"]]
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0", "--abstain", "0")
    cli.ok("act", "file", acts[0], "--on", "2024-12-13")
    cli.ok("act", "post", acts[0], "--on", "2024-12-14")
    missing = cli("export", "scdl", "ville", "-o", str(tmp_path / "a.csv"))
    assert missing.exit_code == 2 and "delib council edit ville --siret SIRET" in said(missing)
    cli.ok("council", "edit", "ville", "--siret", SIRET, "--name", "Ville de Ville")
    exported = cli.ok("export", "scdl", "ville", "-o", str(tmp_path / "b.csv"), "--json")
    text = (tmp_path / "b.csv").read_text(encoding="utf-8")
    assert SIRET in text and "Ville de Ville" in text, exported.stdout
    shown = cli.json("council", "show", "ville")
    assert shown["name"] == "Ville de Ville"
    assert cli.json("audit", "verify")["ok"] is True
