"""Hostile and careless input (issue 12, item 2): each a clean message and exit 2, nothing written;
and a property test driving the commands with generated hostile arguments."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app

DOCUMENTED_EXIT_CODES = {0, 2, 3, 4, 5, 6, 7, 8, 9}


def snapshot(db_url: str) -> str:
    """Every row of every délib table (the database's content, on either backend)."""
    from sqlmodel import SQLModel

    from workflow.store import models  # noqa: F401 - registers the tables
    from workflow.store.database import open_store

    store = open_store(db_url, readonly=True)
    digest = hashlib.sha256()
    try:
        with store.engine.connect() as con:
            for table in sorted(SQLModel.metadata.tables):
                for row in con.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                    digest.update(repr(tuple(row)).encode())
    finally:
        store.dispose()
    return digest.hexdigest()


@pytest.fixture
def council(cli):
    cli.ok("council", "add", "w", "--name", "W", "--population", "3000")
    cli.ok("member", "add", "w", "ROLLAND Thierry", "--mayor")
    cli.ok("member", "add", "w", "PROUVEUR Aurore", "HARDY Nicole")
    cli.ok("session", "add", "w", "--date", "2024-12-13T18:00")
    cli.ok("act", "add", "w/2024-12-13", "--subject", "Bibliothèque")
    return cli


def refused(cli, *args: str, says: str, lang: str = "en") -> None:
    before = snapshot(cli.db_url)
    result = cli(*args, lang=lang)
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.output
    assert snapshot(cli.db_url) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("council", "add", "w\n", "--name", "W2"), "line break or a control character"),
        (("council", "add", " w", "--name", "W2"), "must be lowercase letters"),
        (("council", "add", "w2 ", "--name", "W2"), "must be lowercase letters"),
        (("council", "add", "", "--name", "W2"), "must be lowercase letters"),
        (("council", "add", "w2", "--name", ""), "it is empty"),
        (("council", "add", "w2", "--name", "   "), "it is empty"),
        (("council", "add", "w2", "--name", " W2"), "begins or ends with a space"),
        (("council", "add", "w2", "--name", "W2\nX"), "line break or a control character"),
        (("council", "add", "w2", "--name", "W\udcff"), "not valid UTF-8"),
        (("council", "add", "w2\udcff", "--name", "W"), "not valid UTF-8"),
        (("council", "add", "w2", "--name", "W", "--population", "9" * 30), "from 0 to 100000000"),
        (("council", "add", "w2", "--name", "W", "--siren", "٢١٥٩٠٠٠٠٢"), "SIREN"),
        (("council", "add", "w2", "--name", "W", "--department", " 59"), "Department code"),
        (("member", "add", "w", "NOUVEAU\x00Membre"), "control character"),
        (("member", "add", "w", "NOUVEAU Membre "), "begins or ends with a space"),
        (("member", "add", "w", "x" * 300), "longer than 200 characters"),
        (("member", "add", "w", "y" * 20_000), "longer than 10000 characters"),
        (("session", "add", "w", "--date", "1899-12-31T18:00"), "from 1900-01-01 to 2199-12-31"),
        (("session", "add", "w", "--date", "9999-12-31"), "from 1900-01-01 to 2199-12-31"),
        (("session", "add", "w", "--date", "2024-12-20", "--place", "Salle\u2028B"), "line break"),
        (("act", "add", "w/2024-12-13", "--subject", "X", "--matiere", "8.99"), "not in the @CTES classification"),
        (("act", "add", "w/2024-12-13", "--subject", "X", "--nature", "ZZ"), "not an @CTES nature code"),
        (("act", "add", "w/2024-12-13", "--subject", "X", "--number", "2024121302\n"), "control character"),
        (("act", "add", "w/2024-12-13", "--subject", ""), "it is empty"),
        (("act", "vote", "w/2024121301", "--for", "1000", "--against", "0"), "3 members in office"),
        (("act", "vote", "w/2024121301", "--for", "9" * 25, "--against", "0"), "whole number from"),
        (("audit", "report", "--year", "99999999999999999999"), "from 1900 to 2199"),
        (("audit", "report", "--year", "-5"), "cannot be negative"),
        (("audit", "log", "--limit", "9" * 30), "whole number from 0"),
        (("audit", "log", "--since", "0001-01-01"), "from 1900-01-01"),
        (("export", "scdl", "w", "--year", "9" * 22), "from 1900 to 2199"),
        (("act", "show", "w/2024121301", "--as-of", "1500-01-01"), "from 1900-01-01"),
        (("--actor", "", "member", "add", "w", "NOUVEAU Membre"), "--actor is empty"),
        (("--actor", "   ", "member", "add", "w", "NOUVEAU Membre"), "--actor is empty"),
        (("--actor", "a\nb", "member", "add", "w", "NOUVEAU Membre"), "control character"),
        (("--actor", " greffe", "member", "add", "w", "NOUVEAU Membre"), "begins or ends with a space"),
    ],
)
def test_bad_input_is_a_clean_refusal_and_writes_nothing(council, args, says):
    refused(council, *args, says=says)


def test_refusals_speak_french_too(council):
    refused(council, "council", "add", "w2", "--name", " W2", says="commence ou finit par une espace", lang="fr")
    refused(council, "session", "add", "w", "--date", "1850-01-01", says="hors limites", lang="fr")
    refused(council, "member", "add", "w", "a\tb", says="caractère de contrôle", lang="fr")


def test_a_trailing_newline_does_not_make_a_second_council(council):
    refused(council, "council", "add", "w\n", "--name", "W", says="control character")
    assert [c["id"] for c in council.json("council", "list")] == ["w"]


def test_the_actor_from_the_environment_is_checked(council, monkeypatch):
    before = snapshot(council.db_url)
    result = CliRunner().invoke(
        app, ["--db", council.db_url, "member", "add", "w", "NOUVEAU Membre"], env={"DELIB_ACTOR": "x\ny"}
    )
    assert result.exit_code == 2 and "control character" in " ".join(result.stderr.split())
    assert snapshot(council.db_url) == before


def test_a_csv_field_over_the_limit_is_refused_whole(council, tmp_path):
    from workflow.formats.scdl import FIELDS

    big = tmp_path / "big.csv"
    big.write_text(",".join(FIELDS) + "\n" + '"' + "x" * 200_000 + '"' + "," * (len(FIELDS) - 1) + "\n")
    refused(council, "import", "scdl", "w", str(big), says="cannot be read as CSV")


def test_a_db_path_that_does_not_exist_is_not_created(tmp_path):
    runner = CliRunner()
    missing = tmp_path / "typo" / "delib.sqlite3"
    for target in (missing, tmp_path / "typo.sqlite3"):
        result = runner.invoke(app, ["--db", str(target), "council", "add", "w", "--name", "W"])
        assert result.exit_code == 7 and "delib db init" in " ".join(result.stderr.split())
        assert not target.exists() and not target.parent.joinpath("typo").exists()
    env = {"DELIB_DB": str(missing)}
    assert runner.invoke(app, ["status"], env=env).exit_code == 7
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 7
    assert not missing.parent.exists()
    created = runner.invoke(app, ["db", "init", str(missing)])
    assert created.exit_code == 0, created.output
    assert runner.invoke(app, ["--db", str(missing), "council", "add", "w", "--name", "W"]).exit_code == 0
    again = runner.invoke(app, ["db", "init", str(missing)])
    assert again.exit_code == 2 and "already exists" in again.stderr


# ------------------------------------------------------------------ the property


HOSTILE_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "w\n",
            "a\nb",
            "x\x00y",
            "\x1b[31m",
            "\udcff",
            "é\udce9",
            " lead",
            "trail ",
            "=HYPERLINK(1)",
            "@SUM(A1)",
            "9" * 40,
            "-1",
            "0",
            "w",
            "w/2024-12-13",
            "w/2024121301",
            "ROLLAND Thierry",
            "1899-12-31",
            "9999-12-31",
            "2024-02-30",
            "2024-12-13",
            "0001-01-01T00:00",
            "x" * 12_000,
            "8.9",
            "9.9.9",
            "../../etc/passwd",
        ]
    ),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "1e9", "0x10", "٣", " 3", "NaN", "-0"]),
)


def _commands(t: Any, n: Any) -> st.SearchStrategy[list[str]]:
    return st.one_of(
        st.tuples(t, t, n).map(lambda v: ["council", "add", v[0], "--name", v[1], "--population", v[2]]),
        st.tuples(t).map(lambda v: ["member", "add", "w", v[0]]),
        st.tuples(t, t).map(lambda v: ["session", "add", "w", "--date", v[0], "--place", v[1]]),
        st.tuples(t, t).map(lambda v: ["act", "add", "w/2024-12-13", "--subject", v[0], "--matiere", v[1]]),
        st.tuples(t, n, n).map(lambda v: ["act", "vote", v[0], "--for", v[1], "--against", v[2]]),
        st.tuples(t, t).map(lambda v: ["session", "convene", v[0], "--on", v[1]]),
        st.tuples(t, t).map(lambda v: ["act", "show", v[0], "--as-of", v[1]]),
        st.tuples(t, n).map(lambda v: ["audit", "log", "--since", v[0], "--limit", v[1]]),
        st.tuples(n, t).map(lambda v: ["audit", "report", "--year", v[0], "--format", v[1]]),
        st.tuples(t).map(lambda v: ["audit", "export", "--format", v[0]]),
        st.tuples(t, t).map(lambda v: ["--actor", v[0], "member", "add", "w", v[1]]),
        st.tuples(t, t, t, n).map(
            lambda v: ["member", "proxy", "w", v[0], "--to", v[1], "--from", v[2], "--sessions", v[3]]
        ),
        st.tuples(t, t).map(lambda v: ["act", "post", v[0], "--on", v[1]]),
        st.tuples(t).map(lambda v: ["due", v[0]]),
        st.tuples(t).map(lambda v: ["audit", "checkpoint", "-o", v[0]]),
    )


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=_commands(HOSTILE_TEXT, HOSTILE_NUMBER))
def test_hostile_arguments_never_crash_and_a_refusal_writes_nothing(council, tmp_path_factory, argv):
    import os

    here = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))  # any file a command writes lands here
    try:
        before = snapshot(council.db_url)
        result = CliRunner().invoke(app, ["--db", council.db_url, "--actor", "clerk", *argv], catch_exceptions=True)
    finally:
        os.chdir(here)
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, result.exception)
    assert result.exit_code in DOCUMENTED_EXIT_CODES, (argv, result.output)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert snapshot(council.db_url) == before, (argv, result.output)
