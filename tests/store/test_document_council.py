"""The ``document`` table is the council's (migration i15d): each text and annex row carries the
council whose events name it, so that PostgreSQL's row-level security scopes it; a database of
revision i15b is upgraded with every content given to each council that names it."""

from __future__ import annotations

import hashlib

from alembic import command
from sqlalchemy import text

from tests.cli.law import council
from workflow.store import schema
from workflow.store.database import open_store


def rows(db_url: str) -> list[tuple]:
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn:
        found = conn.execute(text("SELECT * FROM document")).mappings().all()
    store.dispose()
    return sorted(tuple(sorted(r.items())) for r in found)


def two_councils_one_annex(cli, tmp_path) -> tuple[str, str]:
    annex = tmp_path / "convention.pdf"
    annex.write_bytes(b"%PDF-1.4 la meme convention")
    body = tmp_path / "texte.md"
    body.write_text("Le conseil décide.\n", "utf-8")
    for slug in ("nord", "sud"):
        council(cli, slug)
        sid = cli.json("session", "add", slug, "--date", "2024-12-13T18:00")["id"]
        act = cli.json("act", "add", sid, "--subject", "Convention", "--text", str(body))["id"]
        cli.ok("act", "attach", act, str(annex))
    return hashlib.sha256(annex.read_bytes()).hexdigest(), hashlib.sha256(body.read_bytes()).hexdigest()


def test_each_council_has_its_own_copy(cli, tmp_path, db_url):
    annex, body = two_councils_one_annex(cli, tmp_path)
    stored = {(dict(r)["council_id"], dict(r)["sha256"]) for r in rows(db_url)}
    assert stored == {("nord", annex), ("nord", body), ("sud", annex), ("sud", body)}
    assert cli.json("audit", "verify")["ok"] is True


def test_upgrade_from_i15b_gives_each_content_to_the_councils_that_name_it(cli, tmp_path, db_url):
    annex, body = two_councils_one_annex(cli, tmp_path)
    before = {dict(r)["council_id"]: None for r in rows(db_url)}
    assert set(before) == {"nord", "sud"}
    store = open_store(db_url, check=False)
    with store.engine.connect() as connection, connection.begin():
        command.downgrade(schema.alembic_config(connection), "i15b")
    store.dispose()
    old = rows(db_url)
    assert sorted(dict(r)["sha256"] for r in old) == sorted([annex, body])  # one row a content
    assert all("council_id" not in dict(r) for r in old)
    assert cli.json("db", "upgrade")["current"] == "i15d"
    upgraded = {(dict(r)["council_id"], dict(r)["sha256"]): dict(r)["content"] for r in rows(db_url)}
    assert set(upgraded) == {("nord", annex), ("nord", body), ("sud", annex), ("sud", body)}
    assert upgraded[("sud", annex)] == b"%PDF-1.4 la meme convention"
    assert cli.json("audit", "verify")["ok"] is True
