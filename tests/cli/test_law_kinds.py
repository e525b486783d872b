"""Every kind of council: its definition chosen at `council add`, its own delays
(issue 3, item 1)."""

from __future__ import annotations

import pytest

from tests.cli.law import MEMBERS, council, refused, sitting


@pytest.mark.parametrize("kind", ["commune", "epci", "departement", "region"])
def test_council_add_chooses_the_definition_of_its_kind(cli, kind):
    view = cli.json("council", "add", "c", "--name", "C", "--kind", kind, "--population", "5000")
    assert (view["kind"], view["definition"]) == (kind, kind)
    assert cli.json("council", "show", "c")["definition"] == kind


def test_the_largest_member_commune_of_an_epci_is_recorded(cli):
    view = cli.json(
        "council",
        "add",
        "metro",
        "--name",
        "Métropole",
        "--kind",
        "epci",
        "--population",
        "90000",
        "--largest-commune-population",
        "3200",
    )
    assert view["largest_commune_population"] == 3200
    assert cli.json("council", "show", "metro")["largest_commune_population"] == 3200


def test_the_largest_member_commune_is_refused_for_a_commune(cli):
    result = cli(
        "council",
        "add",
        "v",
        "--name",
        "V",
        "--kind",
        "commune",
        "--population",
        "100",
        "--largest-commune-population",
        "100",
    )
    assert result.exit_code == 2 and "L5211-1" in result.stderr
    assert cli("council", "show", "v").exit_code == 3  # nothing was written


def test_a_negative_measure_is_refused(cli):
    result = cli("council", "add", "v", "--name", "V", "--kind", "epci", "--largest-commune-population", "-1")
    assert result.exit_code == 2 and "--largest-commune-population cannot be negative" in result.stderr


@pytest.mark.parametrize(
    ("largest", "ok_on", "short_on", "required", "article"),
    [
        ("3499", "2024-12-09", "2024-12-10", 3, "CGCT art. L5211-1, L2121-11"),
        ("3500", "2024-12-07", "2024-12-08", 5, "CGCT art. L5211-1, L2121-12"),
        (None, "2024-12-07", "2024-12-08", 5, "CGCT art. L5211-1, L2121-12"),  # unknown: 5
    ],
)
def test_epci_convocation_follows_its_largest_member_commune(cli, largest, ok_on, short_on, required, article):
    extra = ("--largest-commune-population", largest) if largest else ()
    council(cli, "cc", kind="epci", population="40000", extra=extra)
    sid, acts = sitting(cli, "cc")
    short = required - 1
    refused(
        cli,
        ("session", "convene", sid, "--on", short_on),
        "convocation_delay",
        article,
        [f"{short} clear days < {required} required"],
        [f"{short} jours francs < {required} requis"],
        acts=acts,
        session=sid,
    )
    assert cli.json("session", "convene", sid, "--on", ok_on)[0]["state"] == "convened"


@pytest.mark.parametrize(("kind", "article"), [("departement", "CGCT art. L3121-19"), ("region", "CGCT art. L4132-18")])
def test_departement_and_region_convene_twelve_clear_days_ahead(cli, kind, article):
    council(cli, "cd", kind=kind, population=None)
    sid, acts = sitting(cli, "cd")
    refused(
        cli,
        ("session", "convene", sid, "--on", "2024-12-01"),
        "convocation_delay",
        article,
        ["11 clear days < 12 required"],
        ["11 jours francs < 12 requis"],
        acts=acts,
        session=sid,
    )
    assert cli.json("session", "convene", sid, "--on", "2024-11-30")[0]["state"] == "convened"


def test_a_commune_of_unknown_population_gets_the_longer_delay(cli):
    council(cli, "v", population=None)
    sid, acts = sitting(cli, "v")
    refused(
        cli,
        ("session", "convene", sid, "--on", "2024-12-08"),
        "convocation_delay",
        "CGCT art. L2121-12",
        ["4 clear days < 5 required"],
        ["4 jours francs < 5 requis"],
        acts=acts,
        session=sid,
    )


def test_departement_proxies_are_for_one_meeting_only(cli):
    council(cli, "cd", kind="departement", population=None)
    refused(
        cli,
        (
            "member",
            "proxy",
            "cd",
            MEMBERS[5],
            "--to",
            MEMBERS[6],
            "--from",
            "2024-12-01",
            "--sessions",
            "2",
            "--illness",
        ),
        "proxy_duration",
        "CGCT art. L3121-16",
        ["2 consecutive sessions > 1 allowed"],
        ["2 séances consécutives > 1 autorisées"],
    )
    assert cli.json("member", "proxies", "cd") == []


def test_departement_has_no_one_week_list_step(cli):
    council(cli, "cd", kind="departement", population=None)
    sid, _ = sitting(cli, "cd")
    result = cli("session", "list-posted", sid, "--on", "2024-12-14")
    assert result.exit_code == 2
    assert "'list_posted' is not a step of the 'departement' definition" in result.stderr


def adopted(cli, slug, population):
    council(cli, slug, population=population)
    sid, acts = sitting(cli, slug)
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0")
    return acts[0]


def test_a_small_commune_may_publish_by_posting(cli):
    act = adopted(cli, "petite", "1200")
    # the council chose posting by an earlier deliberation (L2131-1 IV; see test_publication_choice)
    choice = cli.json(
        "act",
        "add",
        cli.json("session", "add", "petite", "--date", "2024-11-08T18:00")["id"],
        "--subject",
        "Modalités de publicité des actes",
    )["id"]
    cli.ok("session", "convene", "petite/2024-11-08", "--on", "2024-11-01")
    cli.ok("session", "open", "petite/2024-11-08", "--secretary", MEMBERS[1])
    cli.ok("act", "vote", choice, "--for", "20", "--against", "0")
    cli.ok("act", "post", choice, "--on", "2024-11-09")
    cli.ok("act", "file", choice, "--on", "2024-11-10")
    cli.ok("council", "edit", "petite", "--publication", "posting", "--by", choice)
    posted = cli.json("act", "post", act, "--on", "2024-12-14", "--mode", "posting")
    assert posted["state"] == "posted"
    assert cli.json("act", "history", act)[-1]["facts"]["publication_mode"] == "posting"


def test_a_commune_of_3500_publishes_electronically(cli):
    act = adopted(cli, "grande", "3500")
    refused(
        cli,
        ("act", "post", act, "--on", "2024-12-14", "--mode", "posting"),
        "publication_mode",
        "CGCT art. L2131-1 III, R2131-1",
        ["posting (affichage) not allowed (allowed: electronic)"],
        ["affichage non admise (admises : électronique)"],
        acts=[act],
    )
    assert cli.json("act", "post", act, "--on", "2024-12-14")["state"] == "posted"
