"""SCDL « Délibérations »: the export validates against the official schema, the custom checks
hold both ways, the round trip is exact, and the import refuses, skips and records as it says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from tests.workflow.formats.conftest import service_context
from tests.workflow.formats.scdl_rows import SIRET, valid_row, write_rows
from tests.workflow.formats.seed import SIREN, build_seed
from workflow.formats import scdl
from workflow.service.imports import import_scdl
from workflow.store.history import content_of, event_hash

OFFICIAL = Path(__file__).resolve().parents[4] / "shared/reference/scdl-deliberations/schema.json"
PACKAGED = Path(scdl.__file__).resolve().parents[1] / "data/scdl-deliberations.schema.json"


def frictionless_errors(path: Path) -> list[str]:
    """Validate with the real Table Schema validator against the schema délib ships."""
    schema = Schema.from_descriptor(json.loads(PACKAGED.read_text("utf-8")))
    report = Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()
    return [error.message for task in report.tasks for error in task.errors]


def test_packaged_schema_is_the_official_file() -> None:
    if not OFFICIAL.exists():
        pytest.skip(f"{OFFICIAL} is not beside this clone")
    assert PACKAGED.read_bytes() == OFFICIAL.read_bytes()
    assert json.loads(scdl.schema_text())["version"] == "2.1.5"
    assert [f["name"] for f in json.loads(scdl.schema_text())["fields"]] == list(scdl.FIELDS)


def test_seed_export_validates_against_the_official_schema(cli, tmp_path) -> None:
    build_seed(cli)
    out = tmp_path / "deliberations.csv"
    cli.ok("export", "scdl", "seed", "--siret", SIRET, "-o", str(out))
    assert frictionless_errors(out) == []
    header, row = out.read_text("utf-8").splitlines()
    assert header.split(",") == list(scdl.FIELDS)
    values = dict(zip(scdl.FIELDS, next(iter(__import__("csv").reader([row]))), strict=True))
    assert values["COLL_SIRET"] == SIRET and values["COLL_SIRET"].startswith(SIREN)
    assert values["DELIB_ID"] == "2024121302"
    assert values["DELIB_DATE"] == "2024-12-13"
    assert values["DELIB_MATIERE_NOM"] == "domaines de compétences par thèmes/culture"
    assert values["PREF_ID"] == "PREF059" and values["PREF_DATE"] == "2024-12-13"
    votes = [values[c] for c in scdl.VOTE_FIELDS]
    assert votes == ["20", "20", "20", "0", "0"]  # in office, took part, for, against, abstentions
    assert scdl.check_row(values)[1] == []


def test_frictionless_does_not_run_the_custom_checks_so_check_row_does(tmp_path) -> None:
    broken = valid_row(VOTE_REEL="19")  # 20 + 0 + 0 ≠ 19: only the custom check sees it
    path = write_rows(tmp_path / "sum.csv", [broken])
    assert frictionless_errors(path) == []
    row, problems = scdl.check_row(broken)
    assert row is None
    assert [(p.column, p.en) for p in problems] == [
        ("VOTE_REEL", "20 for + 0 against + 0 abstentions = 20, not the 19 who took part"),
    ]


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"COLL_SIRET": "21590000200011"}, "COLL_SIRET", "valid Luhn key"),
        ({"COLL_SIRET": "215900002"}, "COLL_SIRET", "is not a SIRET"),
        ({"DELIB_DATE": "2024-02-30"}, "DELIB_DATE", "is not a real date"),
        ({"DELIB_DATE": "13/12/2024"}, "DELIB_DATE", "read as 2024-12-13"),  # Validata refuses it
        ({"DELIB_DATE": "le 13 décembre"}, "DELIB_DATE", "is not a date (YYYY-MM-DD, or DD/MM/YYYY)"),
        ({"PREF_DATE": "pas d'envoi"}, "PREF_DATE", "empty when the act was not transmitted"),
        ({"COLL_SIRET": "2,15900E+13"}, "COLL_SIRET", "scientific notation, as a spreadsheet"),
        ({"DELIB_MATIERE_NOM": "Culture - Divers"}, "DELIB_MATIERE_NOM", "the publisher's label"),
        ({"PREF_DATE": "2024-12-12"}, "PREF_DATE", "before the deliberation of 2024-12-13"),
        ({"DELIB_OBJET": "  "}, "DELIB_OBJET", "required, but empty"),
        ({"DELIB_MATIERE_CODE": "8.9.1"}, "DELIB_MATIERE_CODE", "not a level-2 matière code"),
        ({"DELIB_ID": "2024.12.13 séance ordinaire n°2"}, "DELIB_ID", "none can be derived"),
        ({"VOTE_POUR": ""}, "VOTE_*", "go together"),
        ({"VOTE_EFFECTIF": "19"}, "VOTE_REEL", "more than the 19 members in office"),
        ({"VOTE_POUR": "5", "VOTE_CONTRE": "15"}, "VOTE_POUR", "was not adopted"),
        ({"BUDGET_ANNEE": "2024"}, "BUDGET_NOM", "go together"),
        ({"BUDGET_ANNEE": "2025/2024", "BUDGET_NOM": "principal"}, "BUDGET_ANNEE", "not a year"),
        ({"DELIB_URL": "deliberations/1.pdf"}, "DELIB_URL", "absolute URL"),
    ],
)
def test_check_row_refuses_with_the_column_and_the_reason(changes, column, fragment) -> None:
    row, problems = scdl.check_row(valid_row(**changes))
    assert row is None
    assert [p.column for p in problems] == [column]
    assert fragment in problems[0].en and problems[0].fr


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"DELIB_DATE": "13/12/2024", "PREF_DATE": "16/12/2024"}, "DELIB_DATE", "read as 2024-12-13"),
        ({"DELIB_ID": "2024.00028"}, "DELIB_ID", "kept as published; its ACTES number is 2024_00028"),
        ({"DELIB_ID": "AP D 21-07-1"}, "DELIB_ID", "its ACTES number is AP_D_21_07_1"),
        ({"DELIB_MATIERE_NOM": "Domaines de compétences par thèmes - Culture"}, "DELIB_MATIERE_NOM", "kept as"),
        ({"DELIB_MATIERE_CODE": "8.12"}, "DELIB_MATIERE_CODE", "not a level-2 matière of the national"),
        ({"PREF_ID": "PREF59"}, "PREF_ID", "PREFNNN"),
    ],
)
def test_an_import_keeps_what_is_published_with_a_warning(changes, column, fragment) -> None:
    row, problems, warnings = scdl.judge_row(valid_row(**changes))
    assert row is not None and problems == []
    assert [w.column for w in warnings][:1] == [column]
    assert fragment in warnings[0].en and warnings[0].fr
    assert row.published_id == changes.get("DELIB_ID", "2024121302")


def test_dates_written_dd_mm_yyyy_are_read_as_their_day() -> None:
    row, _, warnings = scdl.judge_row(valid_row(DELIB_DATE="13/12/2024", PREF_DATE="6/1/2025"))
    assert row is not None
    assert (row.delib_date.isoformat(), row.pref_date.isoformat()) == ("2024-12-13", "2025-01-06")
    assert [w.en for w in warnings] == [
        "'13/12/2024' read as 2024-12-13 (the schema writes dates YYYY-MM-DD)",
        "'6/1/2025' read as 2025-01-06 (the schema writes dates YYYY-MM-DD)",
    ]
    assert scdl.judge_row(valid_row(DELIB_DATE="31/02/2024"))[1][0].en == "'31/02/2024' is not a real date"


def test_actes_number_of_a_published_identifier() -> None:
    assert scdl.actes_number("2024121302") == "2024121302"
    assert scdl.actes_number("200703.01") == "200703_01"
    assert scdl.actes_number("2022,00028") == "2022_00028"
    assert scdl.actes_number("DÉL-2024/12") == "DEL_2024_12"
    assert scdl.actes_number("a much too long identifier") is None


def test_check_row_refuses_a_future_date_only_against_today() -> None:
    from datetime import date

    future = valid_row(DELIB_DATE="2030-01-02", PREF_DATE="2030-01-03")
    assert scdl.check_row(future)[1] == []
    _, problems = scdl.check_row(future, today=date(2026, 1, 1))
    assert [p.column for p in problems] == ["DELIB_DATE", "PREF_DATE"]


def test_siret_and_matiere_helpers() -> None:
    assert scdl.siret_valid(SIRET) and not scdl.siret_valid("21590000200011")
    assert scdl.siret_valid("35600000000048")  # La Poste's head office: Luhn
    assert scdl.siret_valid("35600000000015")  # another La Poste SIRET: digit sum multiple of 5
    assert not scdl.siret_valid("21590000200015")  # that rule is La Poste's only
    assert scdl.matiere_name("7.10") == "finances locales/divers"
    assert scdl.matiere_name("7.11") is None
    assert scdl.nomenclature_ok("8.9", "Domaines de competences par themes/Culture")
    assert not scdl.nomenclature_ok("8.9", "domaines de compétences par thèmes / culture")
    assert not scdl.nomenclature_ok("8.9", "finances locales/culture")


def test_round_trip_export_import_export_gives_the_same_file(cli, fresh_cli, tmp_path) -> None:
    build_seed(cli)
    first = tmp_path / "first.csv"
    cli.ok("export", "scdl", "seed", "--siret", SIRET, "-o", str(first))
    fresh_cli.ok("council", "add", "migrated", "--name", "Autre nom", "--siren", SIREN)
    report = fresh_cli.json("import", "scdl", "migrated", str(first))
    assert (report["imported"], report["skipped"], report["refused"]) == (1, [], [])
    second = tmp_path / "second.csv"
    fresh_cli.ok("export", "scdl", "migrated", "-o", str(second))  # SIRET recorded at import
    assert second.read_bytes() == first.read_bytes()


def _chain_is_intact(url: str, council: str) -> list[str]:
    from sqlmodel import select

    from workflow.store.models import Event

    ctx = service_context(url)
    with ctx.store.session() as session:
        events = list(session.exec(select(Event).where(Event.council_id == council).order_by(Event.seq)))
    previous = "0" * 64
    for expected_seq, event in enumerate(events, start=1):
        assert event.seq == expected_seq
        assert event.prev_hash == previous
        assert event.hash == event_hash(content_of(event))
        previous = event.hash
    return [e.trigger for e in events]


def test_import_in_batches_refuses_broken_rows_and_imports_nothing_twice(cli, db_url, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN, "--department", "59")
    rows = [
        valid_row("2023010101", DELIB_DATE="2023-01-01", PREF_DATE="2023-01-03"),
        valid_row("2023010102", DELIB_DATE="2023-01-01", PREF_DATE="", PREF_ID=""),
        valid_row("2023010103", DELIB_DATE="2023-01-01", COLL_SIRET="21590000200011"),  # bad Luhn
        valid_row(
            "2023020101",
            DELIB_DATE="2023-02-01",
            PREF_DATE="2023-02-02",
            VOTE_EFFECTIF="",
            VOTE_REEL="",
            VOTE_POUR="",
            VOTE_CONTRE="",
            VOTE_ABSTENTION="",
        ),
        valid_row("2023020102", DELIB_DATE="2023-02-30"),  # impossible date
        valid_row("2023020103", DELIB_DATE="2023-02-01", PREF_DATE="2023-02-02", VOTE_ABSTENTION="3"),
        valid_row("2023020104", DELIB_DATE="2023-02-01", PREF_DATE="2023-02-02", DELIB_OBJET=""),
        valid_row("2023010101", DELIB_DATE="2023-01-01", PREF_DATE="2023-01-03"),  # same number
        valid_row(
            "2023030101",
            DELIB_DATE="2023-03-01",
            PREF_DATE="2023-03-02",
            COLL_SIRET="21590001000012",
        ),  # another collectivité's SIREN
        valid_row(
            "2023030102",
            DELIB_DATE="2023-03-01",
            PREF_DATE="2023-03-02",
            BUDGET_ANNEE="2023",
            BUDGET_NOM="budget principal",
            DELIB_URL="https://example.org/d/2.pdf",
        ),
    ]
    assert scdl.siret_valid("21590001000012")
    path = write_rows(tmp_path / "old.csv", rows)
    ctx = service_context(db_url)
    seen: list[tuple[int, int]] = []
    report = import_scdl(ctx, "ville", path, batch_size=2, progress=lambda d, t: seen.append((d, t)))
    assert report.rows == 10 and report.imported == 4 and report.skipped == []
    refused = {r.line: [p.column for p in r.problems] for r in report.refused}
    assert refused == {
        4: ["COLL_SIRET"],
        6: ["DELIB_DATE"],
        7: ["VOTE_REEL"],
        8: ["DELIB_OBJET"],
        9: ["DELIB_ID"],
        10: ["COLL_SIRET"],
    }
    assert seen[0] == (6, 10) and seen[-1] == (10, 10)  # refused rows first, then batches of 2
    assert [t for t in _chain_is_intact(db_url, "ville") if t == "import"] == ["import"] * 7  # 3 sessions + 4 acts

    acts = {a["number"]: a for a in cli.json("status", "ville")}
    assert set(acts) == {"2023010101", "2023010102", "2023020101", "2023030102"}
    assert all(a["state"] == "executory" for a in acts.values())
    assert acts["2023010101"]["filed_on"] == "2023-01-03" and acts["2023010101"]["executory_on"] is None
    assert acts["2023020101"]["vote"] is None
    history = cli.json("act", "history", "ville/2023010101")
    assert len(history) == 1
    event = history[0]
    assert (event["trigger"], event["from_state"], event["to_state"]) == (
        "import",
        None,
        "executory",
    )
    assert event["legal_date"] == "2023-01-03" and event["verdicts"] == []
    assert event["facts"]["imported"] is True and event["facts"]["line"] == 2
    assert event["facts"]["vote"] == {"for": 20, "against": 0, "abstain": 0}
    for refused_number in ("2023010103", "2023020103", "2023020104", "2023030101"):
        assert cli(*("act", "show", f"ville/{refused_number}")).exit_code == 3  # nothing written

    again = import_scdl(service_context(db_url), "ville", path, batch_size=3)
    assert again.imported == 0 and [n for _, n in again.skipped] == [
        "2023010101",
        "2023010102",
        "2023020101",
        "2023030102",
    ]
    assert len(_chain_is_intact(db_url, "ville")) == 8  # council_add + 7 imports: nothing twice

    with ctx.store.session() as session:
        exported = scdl.export(session, "ville")
    by_number = {r["DELIB_ID"]: r for r in exported.rows}
    assert by_number["2023030102"]["BUDGET_ANNEE"] == "2023"
    assert by_number["2023030102"]["DELIB_URL"] == "https://example.org/d/2.pdf"
    assert by_number["2023010102"]["PREF_ID"] == "" and by_number["2023010102"]["PREF_DATE"] == ""


def test_import_into_existing_live_session_day_keeps_live_acts_apart(cli, db_url, tmp_path) -> None:
    build_seed(cli, "ville")
    path = write_rows(tmp_path / "old.csv", [valid_row("2024121399")])
    report = import_scdl(service_context(db_url), "ville", path)
    assert report.imported == 1
    assert cli.json("act", "show", "ville/2024121399")["session"] == "ville/2024-12-13-2"
    assert cli.json("act", "show", "ville/2024121302")["session"] == "ville/2024-12-13"


def test_export_needs_a_siret_and_checks_it(cli) -> None:
    build_seed(cli)
    no_siret = cli("export", "scdl", "seed")
    assert no_siret.exit_code == 2 and "--siret" in no_siret.stderr
    wrong = cli("export", "scdl", "seed", "--siret", "21590000200011")
    assert wrong.exit_code == 2 and "Luhn" in wrong.stderr
    other = cli("export", "scdl", "seed", "--siret", "21590001000012")
    assert other.exit_code == 2 and "SIREN 215900002" in other.stderr


def test_export_omits_an_act_without_matiere_and_says_why(cli) -> None:
    build_seed(cli, matiere=None)
    result = cli.ok("export", "scdl", "seed", "--siret", SIRET)
    assert result.stdout.splitlines() == [",".join(scdl.FIELDS)]
    assert "seed/2024121302" in result.stderr and "DELIB_MATIERE_CODE" in result.stderr
    data = cli.json("export", "scdl", "seed", "--siret", SIRET)
    assert data["rows"] == 0
    assert [o["act"] for o in data["omitted"]] == ["seed/2024121302"]


def test_export_names_the_level_2_matiere_of_a_deeper_code(cli) -> None:
    build_seed(cli, matiere="1.1.9")  # marchés passés selon une procédure adaptée
    data = cli.json("export", "scdl", "seed", "--siret", SIRET)
    row = data["content"].splitlines()[1].split(",")
    assert row[4:6] == ["1.1", "commande publique/marchés publics"]


def test_export_year_filter(cli) -> None:
    build_seed(cli)
    assert cli.json("export", "scdl", "seed", "--siret", SIRET, "--year", "2024")["rows"] == 1
    assert cli.json("export", "scdl", "seed", "--siret", SIRET, "--year", "2023")["rows"] == 0
