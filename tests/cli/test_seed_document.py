"""The seed case, whole (issue 15, item 5): the extract délib writes of deliberation n° 2024121302
gives every fact of the public act (``shared/examples/deliberation-2024121302.md``), field by field.

The act's own text is read where it is beside this checkout; the package ships its text (the
exposé and the decision, ``workflow/data/example-2024121302.text.md``) and the facts the demo
records, so the comparison runs from the packaged copy when the shared folder is not there. What
the act prints and délib does not record: the civilities (Mmes, MM, M, Mme) and the spelling in
capitals without accents of the heading, the place and the month; they are compared folded.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
SEED = next(
    (
        p / "shared" / "examples" / "deliberation-2024121302.md"
        for p in HERE.parents
        if (p / "shared" / "examples").is_dir()
    ),
    HERE.parents[2].parent / "shared" / "examples" / "deliberation-2024121302.md",
)
ACT = "exemple/2024121302"


def fold(text: str) -> str:
    """Without accents, case, civilities or runs of spaces (what the act's typing varies)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    plain = re.sub(r"\b(?:Mmes|MM|Mme|M)\s*:?\s+", "", plain)
    return " ".join(plain.replace("\u2019", "'").split()).casefold()


def packaged_text() -> str:
    return resources.files("workflow").joinpath("data/example-2024121302.text.md").read_text("utf-8")


def seed_document() -> str:
    if not SEED.exists():
        pytest.skip("../shared/examples is not beside this checkout")
    return SEED.read_text("utf-8")


def after(label: str, text: str) -> str:
    """The value after ``label`` on its line, or on the next non-empty line."""
    found = re.search(rf"{label}\s*:?[ \t]*(.*)\n(?:\s*\n)*(.*)", text)
    assert found, label
    return (found.group(1).strip() or found.group(2).strip()).strip("* ")


def seed_facts(doc: str) -> dict:
    """Every fact the seed document states."""
    counts = re.search(r"Afférents\s+Présents\s+Qui ont pris part au vote\s*\n(\d+)\s+(\d+)\s+(\d+)", doc)
    present = after(r"\*\*Présents\*\*", doc)
    excused = after(r"\*\*Excusés\*\*", doc).rstrip(".")
    body = doc[doc.index("La MEL mène") : doc.index("Fait et délibéré")]
    opening = re.search(
        r"L' an (\d{4}) le (\d+) (\w+) à (\d+) heures.*?lieu habituel de ses séances, (.*?) "
        r"sous la présidence de M (.*?), Maire",
        doc,
    )
    return {
        "heading": re.search(r"## (DELIBERATION DU CONSEIL MUNICIPAL N°\d+)", doc).group(1),
        "session": after("Séance du", doc),
        "reference": after("Référence", doc),
        "subject": after("Objet de la délibération", doc),
        "counts": tuple(int(n) for n in counts.groups()),
        "convocation": after("Date de la convocation", doc),
        "posted": after("Date d'affichage", doc),
        "unanimous": "A l'unanimité" in doc,
        "vote": tuple(int(re.search(rf"{k} : (\d+)", doc).group(1)) for k in ("Pour", "Contre", "Abstention")),
        "transmitted": re.search(r"Acte rendu exécutoire après dépôt en\s+\n?Le : (\S+)", doc).group(1),
        "opening": opening.groups(),
        "present": [n.strip() for n in re.split(r",\s*(?:MM\s*:\s*)?", re.sub(r"^Mmes\s*:\s*", "", present))],
        "proxies": [tuple(p.split(" ayant donné procuration à ")) for p in re.split(r",\s*", excused)],
        "absent": re.search(r"\*\*Absents non excusés\*\* :[ \t]*(.*)", doc).group(1).strip() or None,
        "secretary": re.sub(r"^Mme\s+", "", after(r"\*\*A été nommé\(e\) secrétaire\*\*", doc)),
        "subject_times": doc.count("DEMANDE D'ACCES A LA BIBLIOTHEQUE NUMERIQUE METROPOLITAINE"),
        "text": body.strip(),
        "certified": re.search(r"Pour copie conforme :\s*\n?En mairie, le (\S+)", doc).group(1),
        "mayor": re.search(r"Le Maire\s*\n+\s*(.+)", doc).group(1).strip(),
    }


def test_the_packaged_text_is_the_seed_act_s_own():
    doc = seed_document()
    assert packaged_text().strip() in doc
    assert packaged_text().startswith("La MEL mène une politique culturelle")
    assert packaged_text().rstrip().endswith("précédemment cités dès 2023")


def test_the_extract_of_the_seed_act_gives_every_fact_of_the_seed_document(cli):
    seed = seed_facts(seed_document())
    cli.ok("demo")
    md = cli.ok("extract", ACT, "--certified-on", seed["certified"]).stdout
    ours = {
        "heading": re.search(r"## (DÉLIBÉRATION DU CONSEIL MUNICIPAL N°\d+)", md).group(1),
        "session": after("Séance du", md),
        "reference": after("Référence", md),
        "subject": after("Objet de la délibération", md),
        "counts": tuple(int(n) for n in re.search(r"\| (\d+) \| (\d+) \| (\d+) \|", md).groups()),
        "convocation": after("Date de la convocation", md),
        "posted": after("Date d'affichage", md),
        "unanimous": "Vote : À l'unanimité" in md,
        "vote": tuple(int(re.search(rf"- {k} : (\d+)", md).group(1)) for k in ("Pour", "Contre", "Abstention")),
        "transmitted": re.search(r"Acte rendu exécutoire après dépôt en préfecture le : (\S+)", md).group(1),
        "opening": re.search(
            r"L'an (\d{4}), le (\d+) (\w+) à (\d+) heures, le Conseil municipal, régulièrement convoqué, s'est réuni "
            r"au nombre prescrit par la loi, (.*?), sous la présidence de (.*?), Maire\.",
            md,
        ).groups(),
        "present": after(r"\*\*Présents\*\*", md).split(", "),
        "proxies": [tuple(p.split(" ayant donné procuration à ")) for p in after(r"\*\*Excusés\*\*", md).split(", ")],
        "absent": None if after(r"\*\*Absents\*\*", md) == "—" else after(r"\*\*Absents\*\*", md),
        "secretary": after(r"\*\*A été nommé\(e\) secrétaire\*\*", md),
        "subject_times": md.count("DEMANDE D'ACCES A LA BIBLIOTHEQUE NUMERIQUE METROPOLITAINE"),
        "text": md[md.index("La MEL mène") : md.index("Fait et délibéré")].strip(),
        "certified": re.search(r"Pour copie conforme : en mairie, le (\S+)", md).group(1),
        "mayor": re.search(r"Le Maire : (.+)", md).group(1).strip(),
    }
    for key in ("heading", "opening"):
        assert [fold(str(v)) for v in (ours[key] if key == "opening" else [ours[key]])] == [
            fold(str(v)) for v in (seed[key] if key == "opening" else [seed[key]])
        ], key
    for key in ("session", "reference", "subject", "counts", "convocation", "posted", "unanimous", "vote"):
        assert ours[key] == seed[key], key
    for key in ("transmitted", "present", "proxies", "absent", "secretary", "subject_times", "text", "certified"):
        assert ours[key] == seed[key], key
    assert fold(ours["mayor"]) == fold(" ".join(reversed(seed["mayor"].split())))  # "Thierry ROLLAND"
    # What the act leaves blank and délib states: the @CTES identifier and the hash of the history.
    assert "(accusé de réception 059-215900002-20241213-2024121302-DE)" in md
    assert cli.json("act", "history", ACT)[-1]["hash"] in md
    assert "**Exécutoire le 14/12/2024**" in md


def test_the_seed_parser_reads_what_the_act_says():
    """The comparison above can fail: the parser reads the act's own figures."""
    seed = seed_facts(seed_document())
    assert seed["counts"] == (20, 16, 20) and seed["vote"] == (20, 0, 0)
    assert len(seed["present"]) == 16 and seed["present"][0] == "PROUVEUR Aurore"
    assert seed["proxies"][0] == ("D'HULST Thierry", "FLEUROUX Stéphanie") and len(seed["proxies"]) == 4
    assert (seed["convocation"], seed["posted"], seed["transmitted"], seed["certified"]) == (
        "29/11/2024",
        "14/12/2024",
        "13/12/2024",
        "13/12/2024",
    )
    assert seed["secretary"] == "PROUVEUR Aurore" and seed["absent"] is None


def test_the_demo_records_the_seed_text(cli):
    cli.ok("demo")
    shown = cli.json("act", "show", ACT)
    import hashlib

    assert shown["text_sha256"] == hashlib.sha256(packaged_text().encode("utf-8")).hexdigest()
    assert cli.json("act", "history", ACT)[0]["facts"]["text_sha256"] == shown["text_sha256"]


def test_a_missing_shared_folder_is_said(monkeypatch):
    import tests.cli.test_seed_document as me

    monkeypatch.setattr(me, "SEED", Path("/nonexistent/seed.md"))
    with pytest.raises(pytest.skip.Exception):
        me.seed_document()
