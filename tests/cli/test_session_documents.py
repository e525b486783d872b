"""The documents of the séance (issue 15, item 4): convocation and agenda, list of the
deliberations, minutes skeleton and the extract of each act, from the recorded facts, in md, html
and PDF/A-3b; each carries the hash of the event it is derived from, and ``audit verify-document``
computes it again from the log (exit 0) or names the difference (exit 9)."""

from __future__ import annotations

import pytest

from tests.cli.law import MEMBERS, council, opened
from tests.pdftext import is_pdf_a_3b, pdf_text

SITTING, ACT = "exemple/2024-12-13", "exemple/2024121302"
FILES = ["convocation", "deliberations", "minutes", "extract-2024121302"]


def said(result) -> str:
    return " ".join((result.stdout + result.stderr).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def documents(cli, tmp_path, fmt="md", *extra):
    out = tmp_path / fmt
    out.mkdir()
    written = cli.json("session", "documents", SITTING, "-o", str(out), "--format", fmt, *extra)["files"]
    assert [p.rsplit("/", 1)[-1] for p in written] == [f"{name}.{fmt}" for name in FILES]
    return out


def test_the_documents_of_the_seed_session_in_markdown(cli, tmp_path):
    cli.ok("demo")
    out = documents(cli, tmp_path, "md", "--certified-on", "2024-12-13")
    last = cli.json("act", "history", ACT)[-1]["hash"]
    convocation = (out / "convocation.md").read_text("utf-8")
    assert "le 13 décembre 2024 à 18 h 00, Salle de réception de la mairie" in convocation
    assert "### Ordre du jour (CGCT art. L2121-10)" in convocation
    assert "1. Délibération n°2024121302 — DEMANDE D'ACCES A LA BIBLIOTHEQUE NUMERIQUE METROPOLITAINE" in convocation
    # population unknown: the most protective tier, the note of synthesis of the communes of 3,500 and more
    assert "note explicative de synthèse" in convocation and "(CGCT art. L2121-12)" in convocation
    assert "Convocation adressée le : 29/11/2024" in convocation
    listed = (out / "deliberations.md").read_text("utf-8")
    assert "(CGCT art. L2121-25)" in listed
    assert "| 2024121302 | DEMANDE D'ACCES A LA BIBLIOTHEQUE NUMERIQUE METROPOLITAINE | Adoptée |" in listed
    minutes = (out / "minutes.md").read_text("utf-8")
    for line in (
        "Présidence : ROLLAND Thierry, Maire",
        "Secrétaire de séance : PROUVEUR Aurore",
        "Membres en exercice : 20 — présents : 16 — procurations : 4",
        "D'HULST Thierry ayant donné procuration à FLEUROUX Stéphanie",
        "- Présents : 16 — ayant pris part au vote : 20",
        "- Vote : pour 20, contre 0, abstention 0 — Adoptée",
        "Procès-verbal à approuver au début de la séance suivante (CGCT art. L2121-15).",
    ):
        assert line in minutes, line
    for name in FILES:
        text = (out / f"{name}.md").read_text("utf-8")
        assert last in text  # the séance's last event is the act's last (its publication)
    assert "Pour copie conforme : en mairie, le 13/12/2024" in (out / "extract-2024121302.md").read_text("utf-8")


def test_html_escapes_and_marks(cli, tmp_path):
    cli.ok("demo")
    out = documents(cli, tmp_path, "html")
    html = (out / "minutes.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta name="keywords" content="delib-document kind=minutes' in html
    assert "D'HULST Thierry ayant donné procuration à FLEUROUX Stéphanie" in html
    assert "<table>" in (out / "deliberations.html").read_text("utf-8")
    council(cli)
    sid = cli.json("session", "add", "ville", "--date", "2024-12-13T18:00")["id"]
    cli.ok("act", "add", sid, "--subject", "Tarifs <script>alert(1)</script>")
    mine = tmp_path / "mine"
    mine.mkdir()
    cli.ok("session", "documents", sid, "-o", str(mine), "--format", "html")
    convocation = (mine / "convocation.html").read_text("utf-8")
    assert "<script>" not in convocation and "&lt;script&gt;alert(1)&lt;/script&gt;" in convocation
    assert "(aucune affaire)" not in convocation and "non encore adressée" in convocation


def _pdf_or_skip():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        pytest.skip(f"WeasyPrint cannot be used here: {exc}")


def test_pdf_a_3b_with_selectable_text_and_verified(cli, tmp_path):
    _pdf_or_skip()
    cli.ok("demo")
    out = documents(cli, tmp_path, "pdf", "--certified-on", "2024-12-13")
    for name in FILES:
        pdf = (out / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and is_pdf_a_3b(pdf), name
    text = squeezed(pdf_text((out / "extract-2024121302.pdf").read_bytes()))
    for phrase in (
        "DÉLIBÉRATION DU CONSEIL MUNICIPAL N°2024121302",
        "Après en avoir délibéré, le Conseil Municipal décide :",
        "LEBRUN Nathalie ayant donné procuration à PROUVEUR Aurore",
        "Pour copie conforme : en mairie, le 13/12/2024",
        "059-215900002-20241213-2024121302-DE",
    ):
        assert squeezed(phrase) in text, phrase
    assert squeezed("Membres en exercice : 20") in squeezed(pdf_text((out / "minutes.pdf").read_bytes()))
    for name in FILES:
        verified = cli.json("audit", "verify-document", str(out / f"{name}.pdf"))
        assert verified["ok"] is True and verified["format"] == "pdf"


def test_verify_document_both_sides_in_both_languages(cli, tmp_path):
    cli.ok("demo")
    out = documents(cli, tmp_path, "md")
    good = out / "extract-2024121302.md"
    verified = cli.json("audit", "verify-document", str(good))
    assert (verified["kind"], verified["id"], verified["event"]) == (
        "extract",
        ACT,
        cli.json("act", "history", ACT)[-1]["hash"],
    )
    assert "is the one the history gives" in said(cli.ok("audit", "verify-document", str(good)))
    assert "est celui que donne l'historique" in said(cli.ok("audit", "verify-document", str(good), lang="fr"))
    tampered = tmp_path / "tampered.md"
    tampered.write_text(good.read_text("utf-8").replace("- Pour : 20", "- Pour : 19"), "utf-8")
    for lang, text in (("en", "it was altered after it was written"), ("fr", "il a été modifié après son écriture")):
        result = cli("audit", "verify-document", str(tampered), lang=lang)
        assert result.exit_code == 9 and text in said(result), result.output
    forged = tmp_path / "forged.md"
    forged.write_text(good.read_text("utf-8").replace(verified["event"], "ab" * 32), "utf-8")
    result = cli("audit", "verify-document", str(forged), lang="fr")
    assert result.exit_code == 9 and "n'est pas un événement de la chaîne" in said(result)
    unmarked = tmp_path / "other.md"
    unmarked.write_text("# Un document\n", "utf-8")
    result = cli("audit", "verify-document", str(unmarked))
    assert result.exit_code == 9 and "carries no délib mark" in said(result)
    assert cli("audit", "verify-document", str(tmp_path / "absent.md")).exit_code == 2


def test_a_document_written_before_a_later_step_still_verifies(cli, tmp_path):
    """The mark names the event the document was derived from: after a correction the old extract
    is still the one the log gave then, and the new one carries the correction's event."""
    council(cli)
    sid, acts = opened(cli)
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0", "--abstain", "0")
    before = tmp_path / "before.md"
    cli.ok("extract", acts[0], "-o", str(before), "--certified-on", "2024-12-14")
    cli.ok("act", "correct", acts[0], "--for", "19", "--abstain", "1", "--on", "2024-12-16", "--reason", "omise")
    after = tmp_path / "after.md"
    cli.ok("extract", acts[0], "-o", str(after), "--certified-on", "2024-12-16")
    first, second = (cli.json("audit", "verify-document", str(p)) for p in (before, after))
    assert first["seq"] < second["seq"]
    assert second["event"] == cli.json("act", "history", acts[0])[-1]["hash"]
    assert "corrigé le 16/12/2024" in after.read_text("utf-8") and "corrigé" not in before.read_text("utf-8")


def test_documents_refuse_an_existing_file_and_write_nothing(cli, tmp_path):
    cli.ok("demo")
    out = tmp_path / "docs"
    out.mkdir()
    (out / "minutes.md").write_text("mine\n", "utf-8")
    result = cli("session", "documents", SITTING, "-o", str(out))
    assert result.exit_code == 2 and "--force" in said(result)
    assert sorted(p.name for p in out.iterdir()) == ["minutes.md"]
    assert (out / "minutes.md").read_text("utf-8") == "mine\n"
    cli.ok("session", "documents", SITTING, "-o", str(out), "--force")
    assert len(list(out.iterdir())) == 4
    missing = cli("session", "documents", SITTING, "-o", str(tmp_path / "no" / "where"), lang="fr")
    assert missing.exit_code == 2 and "n'est pas un dossier" in said(missing)
    assert cli("session", "documents", SITTING, "-o", str(out), "--format", "docx").exit_code == 2
    cli.ok("session", "documents", SITTING, "-o", str(tmp_path / "new"))  # a missing last folder is made
    assert len(list((tmp_path / "new").iterdir())) == 4


def test_the_minutes_show_departures_arrivals_recusals_and_corrections(cli, tmp_path):
    council(cli)
    sid, acts = opened(cli, acts=2, args=("--absent", MEMBERS[19]))
    cli.ok("act", "vote", acts[0], "--for", "18", "--against", "0", "--abstain", "0", "--left", MEMBERS[5])
    cli.ok("act", "vote", acts[1], "--for", "16", "--against", "1", "--abstain", "0", "--recused", MEMBERS[6])
    cli.ok(
        "act", "correct", acts[1], "--for", "15", "--abstain", "1", "--on", "2024-12-16", "--reason", "une abstention"
    )
    out = tmp_path / "docs"
    out.mkdir()
    cli.ok("session", "documents", sid, "-o", str(out))
    minutes = (out / "minutes.md").read_text("utf-8")
    assert minutes.count(f"- Départ(s) : {MEMBERS[5]}") == 1  # counted from the item before
    assert f"- Ne prend (prennent) pas part au vote (intérêt personnel) : {MEMBERS[6]}" in minutes
    assert (
        "- Rectifié le 16/12/2024 (erreur matérielle ; motif : une abstention) : pour 16, contre 1, abstention 0"
        in minutes
    )
    assert f"**Absents** : {MEMBERS[19]}" in minutes
    assert not any(MEMBERS[6] in line for line in minutes.splitlines() if "Départ" in line)
    # a small commune: no note of synthesis, the 3-clear-day article
    convocation = (out / "convocation.md").read_text("utf-8")
    assert "note explicative" not in convocation and "(CGCT art. L2121-11)" in convocation
    assert cli.json("audit", "verify-document", str(out / "minutes.md"))["kind"] == "minutes"
