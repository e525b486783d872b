"""Every file délib writes: never the database (nor a link to it), whole or not at all, never over
an existing file without --force (issue 12, item 1)."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from workflow.files import Protected, atomic_output, spreadsheet_safe, write_atomically

ACT = "exemple/2024121302"
SQLITE = os.environ.get("DELIB_TEST_DB", "sqlite") == "sqlite"


def _digest(path: Path) -> str:
    """The database's content (not its bytes: SQLite moves pages from the WAL into the file when
    the last connection closes, which changes the bytes and nothing else)."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@pytest.fixture
def seed(cli, tmp_path):
    cli.ok("demo")
    cli.ok("audit", "key", "generate", "--name", "exemple.fr/delib", "-o", str(tmp_path / "log.key"))
    cli.ok("audit", "checkpoint", "exemple", "--key", str(tmp_path / "log.key"), "-o", str(tmp_path / "cp.note"))
    # a council with a SIREN and a department, for the @CTES export
    cli.ok("council", "add", "w", "--name", "W", "--population", "3000", "--siren", "215900002", "--department", "59")
    cli.ok("member", "add", "w", "ROLLAND Thierry", "--mayor")
    cli.ok("member", "add", "w", "PROUVEUR Aurore", "HARDY Nicole")
    cli.ok("session", "add", "w", "--date", "2024-12-13T18:00")
    cli.ok("act", "add", "w/2024-12-13", "--subject", "Bibliothèque", "--matiere", "8.9")
    cli.ok("session", "convene", "w/2024-12-13", "--on", "2024-11-29")
    cli.ok("session", "open", "w/2024-12-13", "--secretary", "PROUVEUR Aurore")
    cli.ok("act", "vote", "w/2024121301", "--for", "3", "--against", "0")
    return cli


def commands(tmp: Path) -> dict[str, list[str]]:
    """Every command with -o/--output, with what it needs; the output path is appended."""
    return {
        "audit checkpoint": ["audit", "checkpoint"],
        "audit checkpoint --key": ["audit", "checkpoint", "exemple", "--key", str(tmp / "log.key")],
        "audit prove": ["audit", "prove", ACT],
        "audit export": ["audit", "export"],
        "audit export csv": ["audit", "export", "--format", "csv"],
        "audit key generate": ["audit", "key", "generate", "--name", "x.fr/k"],
        "audit consistency": ["audit", "consistency", str(tmp / "cp.note"), str(tmp / "cp.note")],
        "export scdl": ["export", "scdl", "exemple", "--siret", "21590000200019"],
        "export actes": ["export", "actes", "w/2024121301"],
        "export ics": ["export", "ics", "exemple"],
        "extract": ["extract", ACT],
    }


NAMES = list(commands(Path(".")))


@pytest.mark.skipif(not SQLITE, reason="the database is a file only on SQLite")
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("via", ["the database", "a symlink to it", "its -wal", "a hard link to it"])
def test_no_output_reaches_the_database(seed, tmp_path, name, via):
    database = Path(seed.db_url.removeprefix("sqlite:///"))
    target = {"the database": database, "its -wal": database.with_name(database.name + "-wal")}.get(via)
    if via == "a symlink to it":
        target = tmp_path / "innocent.json"
        target.symlink_to(database)
    if via == "a hard link to it":
        target = tmp_path / "hard.json"
        os.link(database, target)
    before = _digest(database)
    for force in ([], ["--force"]):
        result = seed(*commands(tmp_path)[name], "-o", str(target), *force)
        assert result.exit_code == 2, result.output
        assert "délib database" in result.stderr and "nothing was written" in result.stderr
    assert _digest(database) == before
    assert seed("audit", "verify").exit_code == 0


@pytest.mark.parametrize("name", NAMES)
def test_an_existing_file_is_replaced_only_with_force(seed, tmp_path, name):
    out = tmp_path / "out.file"
    out.write_text("the clerk's earlier file\n")
    refused = seed(*commands(tmp_path)[name], "-o", str(out))
    assert refused.exit_code == 2 and "already exists: give --force" in refused.stderr
    assert out.read_text() == "the clerk's earlier file\n"
    replaced = seed(*commands(tmp_path)[name], "-o", str(out), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert "Replaced the existing file" in replaced.stderr  # never silently, not even a checkpoint
    assert out.read_bytes() != b"the clerk's earlier file\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_leaves_the_old_file_whole(tmp_path, monkeypatch):
    out = tmp_path / "checkpoint.json"
    out.write_text("the published checkpoint\n")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(Exception) as caught:
        write_atomically(out, "a new one\n", force=True)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert caught.value.exit_code == 2
    assert "the disk is full" in caught.value.message("en") and "left whole" in caught.value.message("en")
    assert "le disque est plein" in caught.value.message("fr")
    assert out.read_text() == "the published checkpoint\n"
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.json"]


def test_an_error_while_streaming_leaves_no_partial_file(tmp_path):
    out = tmp_path / "events.jsonl"
    with pytest.raises(RuntimeError), atomic_output(out) as stream:
        stream.write("half an export")
        raise RuntimeError("the database went away")
    assert list(tmp_path.iterdir()) == []


def test_the_default_data_folder_is_protected(tmp_path):
    guard = Protected.around(None, [tmp_path / "data"])
    (tmp_path / "data").mkdir()
    with pytest.raises(Exception) as caught:
        write_atomically(tmp_path / "data" / "notes.txt", "x", protected=guard)
    assert "data folder" in caught.value.message("en")


def test_a_private_key_is_never_readable_by_others(cli, tmp_path):
    key = tmp_path / "council.key"
    result = cli.ok("audit", "key", "generate", "--name", "exemple.fr/delib", "-o", str(key))
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert result.stdout.startswith("exemple.fr/delib+") and "PRIVATE" not in result.stdout
    assert key.read_text().startswith("PRIVATE+KEY+exemple.fr/delib+")


def test_audit_csv_cells_cannot_run_as_formulas(cli):
    cli.ok("council", "add", "f", "--name", "F", "--kind", "commune", "--population", "100")
    cli.ok("member", "add", "f", '=HYPERLINK("http://x")', actor="@evil")
    csv_text = cli.ok("audit", "export", "--format", "csv", actor="@evil").stdout
    assert ",'@evil," in csv_text
    assert "\n=" not in csv_text and ",=" not in csv_text and ",@" not in csv_text
    assert spreadsheet_safe("-1+1") == "'-1+1" and spreadsheet_safe("+33 1") == "'+33 1"
    assert spreadsheet_safe("Conseil") == "Conseil" and spreadsheet_safe(12) == 12


def test_audit_commands_write_nothing_but_the_file_asked_for(seed, tmp_path, monkeypatch):
    """In the working folder and beside the database, only the -o file appears (SQLite's own -wal
    and -shm companions of a WAL database aside, which any reader of it creates)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    folders = [work] + ([Path(seed.db_url.removeprefix("sqlite:///")).parent] if SQLITE else [])

    def files() -> set[Path]:
        return {p for f in folders for p in f.iterdir() if not p.name.endswith(("-wal", "-shm"))}

    before = files()
    for args in (["audit", "verify"], ["audit", "log"], ["audit", "report"], ["audit", "export"]):
        seed.ok(*args)
    assert files() == before
    seed.ok("audit", "prove", ACT, "-o", str(work / "proof.json"))
    assert files() == before | {work / "proof.json"}


def test_the_scdl_export_cannot_run_as_formulas(cli, tmp_path):
    import csv
    import io

    from tests.workflow.formats.scdl_rows import SIRET, valid_row, write_rows
    from tests.workflow.formats.seed import SIREN

    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    rows = [valid_row("1", DELIB_OBJET='=HYPERLINK("http://x","clic")'), valid_row("2", DELIB_OBJET="Voirie")]
    cli.ok("import", "scdl", "ville", str(write_rows(tmp_path / "in.csv", rows)))
    text = cli.ok("export", "scdl", "ville", "--siret", SIRET).stdout
    subjects = [r["DELIB_OBJET"] for r in csv.DictReader(io.StringIO(text))]
    assert sorted(subjects) == sorted(['\'=HYPERLINK("http://x","clic")', "Voirie"])
