"""The light read path (``workflow.store.reader``): ``act show`` and ``status`` on an SQLite file
read through ``sqlite3`` after one revision query, without SQLAlchemy, SQLModel or pydantic; the
same views as the store's, and the same refusals of a database not at this délib's revision."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from workflow.service.context import Context
from workflow.store.database import open_store
from workflow.store.reader import ACT_COLUMNS, open_reader

pytestmark = pytest.mark.skipif(
    __import__("os").environ.get("DELIB_TEST_DB", "sqlite") != "sqlite", reason="the light path reads SQLite files"
)

ACT = "exemple/2024121302"


def test_the_reader_reads_every_column_of_the_act_row():
    from workflow.history import ACT_COLUMNS as FOLDED

    assert ACT_COLUMNS == FOLDED


def _demo(cli):
    """The example council, and a délibération rectificative of its act on a later séance."""
    cli.ok("demo")
    sitting = cli.json("session", "add", "exemple", "--date", "2025-01-20T18:00")["id"]
    return cli.json("act", "add", sitting, "--subject", "Rectification", "--corrects", ACT)["id"]


def test_act_show_and_status_give_the_store_views(db_url, cli):
    from workflow.service.views import act_overview_with_links, status, status_stream

    fix = _demo(cli)
    reader = open_reader(db_url)
    assert reader is not None
    store = open_store(db_url, readonly=True)
    light, full = Context(store=store, actor="x", reader=reader), Context(store=store, actor="x")
    for act_id in (ACT, fix):
        shown = act_overview_with_links(light, act_id)
        assert shown == act_overview_with_links(full, act_id)
    assert act_overview_with_links(light, ACT)["corrected_by"] == [fix]
    assert act_overview_with_links(light, fix)["corrects"] == ACT
    assert status(light) == status(full) and len(status(full)) == 2
    assert status(light, "exemple") == status(full, "exemple")
    keys = ("id", "session", "subject", "state", "irregular", "next")
    brief = list(status_stream(light, brief=True))
    assert brief == [{k: row[k] for k in keys} for row in status(full)]
    store.dispose()


def test_act_show_and_status_do_not_import_the_database_stack(db_url, cli):
    _demo(cli)
    for argv in (["act", "show", ACT], ["status"], ["status", "exemple", "--json"]):
        code = (
            "import sys\n"
            f"sys.argv = ['delib', '--db', {db_url!r}, *{argv!r}]\n"
            "from cli.main import run\n"
            "try:\n    run()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
            "print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic'}))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.splitlines()[-1] == "LOADED []", (argv, out[-500:])


def test_an_unknown_act_or_council_is_refused_on_the_light_path(cli):
    _demo(cli)
    result = cli("act", "show", "exemple/1999")
    assert result.exit_code == 3 and "No act 'exemple/1999'" in result.stderr
    result = cli("status", "nulle-part", lang="fr")
    assert result.exit_code == 3 and "Aucune assemblée « nulle-part »" in result.stderr


@pytest.mark.parametrize("revision", ["9999", None])
def test_a_database_not_at_head_is_refused_by_act_show_as_by_the_store(db_url, cli, revision):
    """The light path's one query sees another revision (or none) and hands over to the store's
    check: the same message and exit code as any other command, nothing read."""
    _demo(cli)
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn, conn.begin():
        if revision is None:
            conn.execute(text("DROP TABLE alembic_version"))
        else:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    store.dispose()
    assert open_reader(db_url) is None
    for argv in (["act", "show", ACT], ["status"]):
        result = cli(*argv)
        assert result.exit_code == 7, result.output
        assert ACT not in result.stdout
        expected = "newer délib" if revision else "0001 (unrecorded)"
        assert expected in " ".join(result.stderr.split()), result.stderr


def test_a_file_that_is_not_a_database_is_refused_by_act_show(tmp_path):
    from tests.conftest import Cli

    bad = tmp_path / "notes.txt"
    bad.write_text("this is not a database\n" * 100)
    assert open_reader(str(bad)) is None
    result = Cli(str(bad))("act", "show", ACT)
    assert result.exit_code == 7 and "cannot be used" in result.stderr
    assert bad.read_text() == "this is not a database\n" * 100
