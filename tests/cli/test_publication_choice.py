"""A commune under 3,500 chooses its mode of publication by a deliberation (CGCT art. L2131-1 IV):
`council edit --publication posting|paper|electronic --by ACT`, in force from the day that act is
executory; electronic until then (issue 11, item 6)."""

from __future__ import annotations

from tests.cli.law import MEMBERS, council, refused

SMALL = "CGCT art. L2131-1 IV"


def _voted(cli, slug: str, day: str, convened_on: str, subject: str) -> str:
    sid = cli.json("session", "add", slug, "--date", f"{day}T18:00")["id"]
    act = cli.json("act", "add", sid, "--subject", subject)["id"]
    cli.ok("session", "convene", sid, "--on", convened_on)
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", act, "--for", "20", "--against", "0")
    return act


def _choice(cli, slug="petite", population="1200") -> tuple[str, str]:
    council(cli, slug, population=population)
    choice = _voted(cli, slug, "2024-11-08", "2024-11-01", "Modalités de publicité des actes")
    later = _voted(cli, slug, "2024-12-13", "2024-12-06", "Tarifs de la cantine")
    return choice, later


def test_electronic_until_a_deliberation_chooses_then_the_chosen_mode(cli):
    choice, later = _choice(cli)
    posting = ("act", "post", later, "--on", "2024-12-14", "--mode", "posting")
    refused(
        cli, posting, "publication_mode", SMALL,
        ["posting (affichage) not allowed (allowed: electronic, no deliberation choosing another mode"],
        ["affichage non admise (admises : électronique, aucune délibération n'ayant choisi un autre mode"],
        acts=[later],
    )  # fmt: skip
    cli.ok("act", "post", choice, "--on", "2024-11-09")  # the deliberation itself, electronically
    cli.ok("act", "file", choice, "--on", "2024-11-12")
    edited = cli("council", "edit", "petite", "--publication", "posting", "--by", choice)
    assert edited.exit_code == 0, edited.output
    assert cli.json("act", "post", later, *posting[3:])["state"] == "posted"
    facts = cli.json("act", "history", later)[-1]["facts"]
    assert facts["publication_chosen"] == {"mode": "posting", "by": choice}
    other = _voted(cli, "petite", "2025-01-10", "2025-01-03", "Subvention")
    refused(
        cli, ("act", "post", other, "--on", "2025-01-11"), "publication_mode", SMALL,
        [f"electronic publication not allowed (allowed: posting, as chosen by {choice})"],
        [f"choisi par {choice}"],
        acts=[other],
    )  # fmt: skip


def test_the_choice_takes_effect_when_its_deliberation_is_executory(cli):
    choice, later = _choice(cli)
    cli.ok("act", "post", choice, "--on", "2024-11-09")
    cli.ok("act", "file", choice, "--on", "2024-12-16")  # executory on 16 December
    cli.ok("council", "edit", "petite", "--publication", "posting", "--by", choice)
    before = cli("act", "post", later, "--on", "2024-12-14", "--mode", "posting", lang="fr")
    assert before.exit_code == 4 and "affichage non admise" in " ".join(before.stderr.split())
    assert cli.json("act", "post", later, "--on", "2024-12-16", "--mode", "posting")["state"] == "posted"


def test_the_choice_needs_an_executory_deliberation_of_the_council(cli):
    choice, _ = _choice(cli)
    before = cli.json("council", "show", "petite")
    for lang, text in (
        ("en", f"{choice} is not an executory deliberation of petite"),
        ("fr", f"{choice} n'est pas une délibération exécutoire de petite"),
    ):
        result = cli("council", "edit", "petite", "--publication", "posting", "--by", choice, lang=lang)
        assert result.exit_code == 2 and text in " ".join(result.stderr.split())
    for args, text in (
        (("--publication", "posting"), "--publication MODE and --by ACT go together"),
        (("--publication", "pigeon", "--by", choice), "--publication takes posting, paper or electronic"),
        (("--publication", "paper", "--by", choice, "--on", "2024-12-01"), "give no --on"),
    ):
        result = cli("council", "edit", "petite", *args)
        assert result.exit_code == 2 and text in " ".join(result.stderr.split()), result.output
    assert cli.json("council", "show", "petite") == before


def test_a_commune_of_3500_has_no_mode_to_choose(cli):
    choice, _ = _choice(cli, "grande", "3500")
    cli.ok("act", "post", choice, "--on", "2024-11-09")
    cli.ok("act", "file", choice, "--on", "2024-11-12")
    result = cli("council", "edit", "grande", "--publication", "posting", "--by", choice)
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "grande publishes its acts by electronic" in said
    assert "it has no mode to choose" in said
