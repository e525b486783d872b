"""Texts and annexes (issue 15, item 1): the draft's text changes until the vote, each version an
event with its SHA-256; after the vote it is frozen; an edited text or annex is named by verify."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text as sql

from tests.cli.law import council, opened, snapshot
from workflow.store.database import open_store


def said(result) -> str:
    return " ".join(result.stderr.split())


def write(tmp_path, name, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_text_versions_annexes_and_the_frozen_text(cli, tmp_path):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    first = write(tmp_path, "v1.md", "Après en avoir délibéré, le Conseil Municipal décide : …\n")
    act = cli.json("act", "add", sid, "--subject", "Bibliothèque", "--text", str(first))
    sha1 = hashlib.sha256(first.read_bytes()).hexdigest()
    assert act["text_sha256"] == sha1
    assert cli.json("act", "history", act["id"])[0]["facts"]["text_sha256"] == sha1
    second = write(tmp_path, "v2.md", "Version 2 du projet.\n")
    changed = cli.json("act", "text", act["id"], str(second))
    sha2 = hashlib.sha256(second.read_bytes()).hexdigest()
    event = cli.json("act", "history", act["id"])[-1]
    assert (changed["text_sha256"], event["trigger"]) == (sha2, "act_text")
    assert event["facts"]["previous_sha256"] == sha1
    annex = write(tmp_path, "convention.pdf", b"%PDF-1.4 convention")
    attached = cli.json("act", "attach", act["id"], str(annex), "--title", "Convention")
    assert attached["annexes"] == [
        {
            "sha256": hashlib.sha256(b"%PDF-1.4 convention").hexdigest(),
            "name": "convention.pdf",
            "title": "Convention",
            "size": 19,
        }
    ]
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", "ELU02 Prénom")
    cli.ok("act", "vote", act["id"], "--for", "20", "--against", "0", "--abstain", "0")
    before = snapshot(cli, [act["id"]])
    third = write(tmp_path, "v3.md", "Texte changé après le vote.\n")
    for lang, text in (("en", "its text is frozen as adopted"), ("fr", "son texte est figé tel qu'adopté")):
        refused = cli("act", "text", act["id"], str(third), lang=lang)
        assert refused.exit_code == 5 and text in said(refused), refused.output
    late = cli("act", "attach", act["id"], str(third))
    assert late.exit_code == 5
    assert snapshot(cli, [act["id"]]) == before
    assert cli.json("audit", "verify")["ok"] is True


def test_bad_text_files_are_refused(cli, tmp_path):
    council(cli)
    sid, acts = opened(cli)
    missing = cli("act", "text", acts[0], str(tmp_path / "absent.md"))
    assert missing.exit_code == 2 and "Cannot read" in said(missing)
    binary = write(tmp_path, "scan.md", b"\xff\xfe\x00binary")
    refused = cli("act", "text", acts[0], str(binary), lang="fr")
    assert refused.exit_code == 2 and "n'est pas du texte UTF-8" in said(refused)


@pytest.mark.rows_tampered  # the test edits a stored annex by hand
def test_an_edited_text_or_annex_is_detected(cli, tmp_path, db_url):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    act = cli.json("act", "add", sid, "--subject", "Objet", "--text", str(write(tmp_path, "t.md", "Texte.\n")))
    cli.ok("act", "attach", act["id"], str(write(tmp_path, "annexe.pdf", b"annexe")))
    assert cli.json("audit", "verify")["ok"] is True
    sha = hashlib.sha256(b"annexe").hexdigest()
    store = open_store(db_url)
    with store.engine.connect() as conn, conn.begin():
        conn.execute(sql("UPDATE document SET content = :c WHERE sha256 = :s"), {"c": b"annexe modifiee", "s": sha})
    store.dispose()
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 9, result.output
    found = [f for f in result.json()["findings"] if f["kind"] == "document_mismatch"]
    assert len(found) == 1 and found[0]["act"] == act["id"] and found[0]["figures"]["recorded"] == sha
    fr = cli("audit", "verify", lang="fr")
    assert "son annexe annexe.pdf enregistrée avec le SHA-256" in " ".join(fr.stdout.split() + fr.stderr.split())


def test_the_extract_carries_the_text_the_annexes_the_correction_and_the_hash(cli, tmp_path):
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    body = (
        "La MEL mène une politique culturelle engagée.\n\n"
        "Après en avoir délibéré, le Conseil Municipal décide :\n\n- de valider la candidature\n"
    )
    act = cli.json("act", "add", sid, "--subject", "Bibliothèque", "--text", str(write(tmp_path, "t.md", body)))["id"]
    cli.ok("act", "attach", act, str(write(tmp_path, "convention.pdf", b"pdf")), "--title", "Convention")
    cli.ok("session", "convene", sid, "--on", "2024-12-02")
    cli.ok("session", "open", sid, "--secretary", "ELU02 Prénom")
    cli.ok("act", "vote", act, "--for", "20", "--against", "0", "--abstain", "0")
    cli.ok("act", "correct", act, "--for", "19", "--abstain", "1", "--on", "2024-12-16", "--reason", "omise")
    md = cli.ok("extract", act, "--format", "md").stdout
    assert "La MEL mène une politique culturelle engagée." in md
    assert "Après en avoir délibéré, le Conseil Municipal décide :" in md
    assert "Convention (convention.pdf, SHA-256 " in md
    assert "corrigé le 16/12/2024" in md
    assert cli.json("act", "history", act)[-1]["hash"] in md
    html = cli.ok("extract", act, "--format", "html").stdout
    assert "<li>de valider la candidature</li>" in html
