"""The register extract of the seed case shows the figures of the real act."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

ACT = "exemple/2024121302"
PROXIES = [
    ("D'HULST Thierry", "FLEUROUX Stéphanie"),
    ("POULAIN Brigitte", "JONVILLE Yves"),
    ("LIEVAIN Michel", "ROLLAND Thierry"),
    ("LEBRUN Nathalie", "PROUVEUR Aurore"),
]


def test_markdown_extract_of_the_seed_case(cli) -> None:
    cli.ok("demo")
    text = cli.ok("extract", ACT).stdout
    assert "DÉLIBÉRATION DU CONSEIL MUNICIPAL N°2024121302" in text
    assert "Séance du 13/12/2024" in text
    assert "| 20 | 16 | 20 |" in text  # in office, present, took part
    assert "Date de la convocation : 29/11/2024" in text
    assert "Date d'affichage : 14/12/2024" in text
    assert "Acte rendu exécutoire après dépôt en préfecture le : 13/12/2024" in text
    assert "Et publication ou notification du : 14/12/2024" in text
    assert "**Exécutoire le 14/12/2024**" in text
    assert "**A été nommé(e) secrétaire** : PROUVEUR Aurore" in text
    assert "Vote : À l'unanimité" in text and "- Pour : 20" in text and "- Contre : 0" in text
    assert "le 13 décembre à 18 heures" in text and "sous la présidence de ROLLAND Thierry, Maire" in text
    excused = re.search(r"\*\*Excusés\*\* : (.*)", text).group(1)
    assert excused.split(", ") == [f"{g} ayant donné procuration à {h}" for g, h in PROXIES]
    present = re.search(r"\*\*Présents\*\* : (.*)", text).group(1).split(", ")
    assert len(present) == 16 and "PROUVEUR Aurore" in present and "LEBRUN Nathalie" not in present


def test_html_extract_escapes_and_shows_the_figures(cli) -> None:
    cli.ok("demo")
    html = cli.ok("extract", ACT, "--format", "html").stdout
    for ident, value in (
        ("in-office", "20"),
        ("present", "16"),
        ("took-part", "20"),
        ("convocation", "29/11/2024"),
        ("posted", "14/12/2024"),
        ("filed", "13/12/2024"),
        ("executory", "14/12/2024"),
        ("secretary", "PROUVEUR Aurore"),
    ):
        assert re.search(rf'id="{ident}">{re.escape(value)}<', html), ident
    assert "D&#39;HULST Thierry ayant donné procuration à FLEUROUX Stéphanie" in html


def test_extract_json_carries_the_figures(cli) -> None:
    cli.ok("demo")
    data = cli.json("extract", ACT)["data"]
    assert data["counts"] == {"in_office": 20, "present": 16, "took_part": 20}
    assert data["proxies"] == [list(p) for p in PROXIES] or data["proxies"] == PROXIES
    assert data["dates"]["filed"] == "13/12/2024" and data["dates"]["executory"] == "14/12/2024"


def test_no_extract_before_the_vote(cli) -> None:
    cli.ok("council", "add", "v", "--name", "V")
    cli.ok("member", "add", "v", "A B", "--mayor")
    session_id = cli.ok("session", "add", "v", "--date", "2024-12-13T18:00").stdout.strip()
    act_id = cli.ok("act", "add", session_id, "--subject", "S", "--number", "1").stdout.strip()
    result = cli("extract", act_id, lang="fr")
    assert result.exit_code == 2 and "délibéré" in result.stderr
    assert cli("extract", act_id, "--format", "docx").exit_code == 2


def _weasyprint_missing() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        return f"WeasyPrint cannot be used here: {exc}"
    return None


@pytest.mark.skipif(_weasyprint_missing() is not None, reason=str(_weasyprint_missing()))
def test_pdf_extract_shows_the_figures(cli, tmp_path) -> None:
    cli.ok("demo")
    out = tmp_path / "extrait.pdf"
    cli.ok("extract", ACT, "--format", "pdf", "-o", str(out))
    content = out.read_bytes()
    assert content.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read back")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for figure in (
        "N°2024121302",
        "13/12/2024",
        "29/11/2024",
        "14/12/2024",
        "PROUVEUR Aurore",
        "ayant donné procuration à JONVILLE Yves",
    ):
        assert figure in text
    assert re.search(r"20\s+16\s+20", text)
