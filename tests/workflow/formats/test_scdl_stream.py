"""The SCDL export streamed (issue 14, item 3): read a batch of acts at a time with their vote
facts, written as it comes; the same rows, the same refusal before any row, the same file."""

from __future__ import annotations

import os

import pytest

import workflow.formats.scdl as scdl
from workflow.errors import InvalidInput

SIRET = "21590009900007"

pytestmark = pytest.mark.skipif(os.environ.get("DELIB_TEST_DB", "sqlite") != "sqlite", reason="a generated SQLite log")


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    from bench.audit_verify import generate

    path = tmp_path_factory.mktemp("scdl") / "log.sqlite3"
    generate(path, 1_500)
    return path


def test_batches_give_the_rows_of_one_read(log, monkeypatch):
    from workflow.store.database import open_store

    store = open_store(str(log), readonly=True)
    with store.session() as session:
        whole = scdl.export(session, "banc", siret=SIRET)
        monkeypatch.setattr(scdl, "BATCH", 7)
        omitted: list = []
        assert list(scdl.export_rows(session, "banc", omitted, siret=SIRET)) == whole.rows
        assert omitted == whole.omitted
        assert len(whole.rows) > 7 * 3 and whole.rows[0]["VOTE_EFFECTIF"]  # facts read batch by batch
        with pytest.raises(InvalidInput) as refused:
            next(scdl.export_rows(session, "banc", []))
        assert "banc/20100115001 and others" in refused.value.message("en")
    store.dispose()


def test_the_file_streamed_is_the_file_written_whole(log, tmp_path, monkeypatch):
    from tests.conftest import Cli

    cli = Cli(str(log))
    monkeypatch.setattr(scdl, "BATCH", 5)
    out = tmp_path / "delib.csv"
    cli.ok("export", "scdl", "banc", "--siret", SIRET, "-o", str(out))
    piped = cli.ok("export", "scdl", "banc", "--siret", SIRET).stdout
    data = cli.json("export", "scdl", "banc", "--siret", SIRET)
    assert out.read_text(encoding="utf-8") == piped == data["content"]
    assert data["rows"] == len(piped.splitlines()) - 1
    refused = cli("export", "scdl", "banc")
    assert refused.exit_code == 2 and refused.stdout == ""
