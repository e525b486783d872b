"""The README's walk-through, run as written, in French and in English: no English word leaks
into the French output (checked against the catalog), nor French into the English (issue 13)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cli import catalog

README = Path(__file__).resolve().parents[2] / "README.md"
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœÆæ']+")


TYPED = re.compile(r"#\s+\S+ \S+> (.*)")  # a line typed in `delib session live`: "#   point 1> vote 5 0"


FIRST, WHOLE = "## Five minutes with the CLI", "## The whole deliberation"


def walkthrough_steps(section: str = FIRST) -> list[tuple[list[str], str]]:
    """The commands of a section of the README (by default the first with the CLI), continuation
    lines joined, each with what the clerk types into it (the lines shown under ``delib session
    live``)."""
    text = README.read_text("utf-8")
    block = text.split(section, 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    steps: list[tuple[list[str], str]] = []
    pending = ""
    for line in block.splitlines():
        line = pending + line.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        typed = TYPED.fullmatch(line)
        if typed and steps:
            args, stdin = steps[-1]
            steps[-1] = (args, stdin + typed.group(1) + "\n")
        elif line.startswith("delib "):
            steps.append((shlex.split(line, comments=True)[1:], ""))
    return steps


def walkthrough() -> list[list[str]]:
    return [args for args, _ in walkthrough_steps()]


def _words(text: str) -> set[str]:
    text = re.sub(r"\{[a-z_]+\}|\[/?[a-z]+\]", " ", text)  # placeholders, rich markup
    words: set[str] = set()
    for word in WORD.findall(text):
        words.update(w.lower() for w in word.split("'") if len(w) >= 3)
    return words


def _catalog_words() -> tuple[set[str], set[str]]:
    po = catalog.load_po("fr")
    english: set[str] = set()
    french: set[str] = set()
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            english |= _words(msgid.replace("_", " "))
        for msgstr in strings:
            french |= _words(msgstr)
    return english - french, french - english


def _run(cli, lang: str, section: str = FIRST) -> str:
    from typer.testing import CliRunner

    from cli.main import app

    outputs = []
    for args, typed in walkthrough_steps(section):
        if typed:
            argv = ["--db", cli.db_url, "--actor", cli.actor, "--lang", lang, *args]
            raw = CliRunner().invoke(app, argv, input=typed, env={"COLUMNS": "200"})
            result = type("R", (), {"exit_code": raw.exit_code, "output": raw.stdout + raw.stderr})
        else:
            result = cli(*args, lang=lang)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    return "\n".join(outputs)


def _leaks(output: str, foreign: set[str], section: str = FIRST) -> set[str]:
    data = set()
    for args, typed in walkthrough_steps(section):  # what the clerk typed (names, subjects…) is not délib's text
        for arg in [*args, *typed.split()]:
            data |= _words(arg)
    commands = {"delib", "council", "member", "session", "act", "convene", "reconvene", "open", "vote", "secret"}
    commands |= {"arrive", "leave", "recuse", "postpone", "next", "item", "quit", "agenda", "present", "roll"}
    output = re.sub(r"--[a-z-]+|\S*/\S*|\S+@\S+|\b[A-Z]+_[A-Z_]+\b", " ", output)  # options, ids, paths, env
    return (_words(output) - data - commands) & foreign


@pytest.fixture
def clerk(cli, monkeypatch):
    monkeypatch.setenv("DELIB_COUNCIL", "wambrechies")
    return cli


def test_the_walkthrough_runs_in_french_and_says_it_in_french(clerk):
    english_only, _ = _catalog_words()
    output = _run(clerk, "fr")
    assert "exécutoire" in output and "samedi 14 décembre 2024" in output
    assert "2 actes traités" in output or "2 acte" in output
    assert _leaks(output, english_only) == set()
    view = clerk.json("act", "show", "2024121301")
    assert view["state"] == "executory" and view["executory_on"] == "2024-12-14"
    assert [r["state"] for r in clerk.json("status")] == ["executory", "executory"]


def test_the_walkthrough_in_english_says_it_in_english(clerk):
    _, french_only = _catalog_words()
    output = _run(clerk, "en")
    assert "executory" in output and "Saturday, 14 December 2024" in output
    assert _leaks(output, french_only) == set()


def test_the_french_help_leaks_no_english(cli):
    english_only, _ = _catalog_words()
    for args in (["--help"], ["session", "--help"], ["act", "vote", "--help"], ["status", "--help"]):
        shown = cli(*args, lang="fr").stdout
        names = {"extract", "status", "demo", "due", "use", "council", "member", "session", "act", "definitions"}
        names |= {"export", "import", "audit", "add", "convene", "open", "reconvene", "list", "posted", "minutes"}
        names |= {"online", "show", "post", "file", "live", "completion"}
        assert _leaks(shown, english_only) - names == set(), args


def test_a_leak_is_caught(clerk):
    english_only, _ = _catalog_words()
    assert "executory" in _leaks("Acte adopté : executory", english_only)


@pytest.fixture
def files(tmp_path, monkeypatch):
    """The clerk's files the README's second walk-through names, in the current folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "projet.md").write_text("Le Conseil Municipal décide : …\n", "utf-8")
    (tmp_path / "projet-v2.md").write_text("Après en avoir délibéré, le Conseil Municipal décide :\n\n- d'adhérer\n")
    (tmp_path / "convention.pdf").write_bytes(b"%PDF-1.4 convention")
    return tmp_path


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_whole_deliberation_walkthrough_runs_and_says_it_in_its_language(clerk, files, lang):
    english_only, french_only = _catalog_words()
    _run(clerk, lang)
    output = _run(clerk, lang, WHOLE)
    assert _leaks(output, english_only if lang == "fr" else french_only, WHOLE) == set()
    act = clerk.json("act", "show", "2025012001")
    assert act["vote"] == {"for": 4, "against": 0, "abstain": 0, "took_part": 4} and act["corrected_on"]
    assert [a["title"] for a in act["annexes"]] == ["Convention MEL"]
    assert clerk.json("act", "show", "2025012002")["corrects"] == "wambrechies/2024121302"
    written = sorted(p.name for p in (files / "documents").iterdir())
    assert written == [
        "convocation.md",
        "deliberations.md",
        "extract-2025012001.md",
        "extract-2025012002.md",
        "minutes.md",
    ]
    convocation = (files / "documents" / "convocation.md").read_text("utf-8")
    assert "note explicative de synthèse" in convocation  # 3,650 inhabitants from 1 January 2025
    clerk.ok("session", "documents", "2024-12-13", "-o", "decembre")  # 3,000 inhabitants then
    earlier = (files / "decembre" / "convocation.md").read_text("utf-8")
    assert "note explicative" not in earlier and "(CGCT art. L2121-11)" in earlier
    minutes = (files / "documents" / "minutes.md").read_text("utf-8")
    assert "Membres en exercice : 5" in minutes and "BONNEEL Audrey" in minutes
    extract = (files / "documents" / "extract-2025012001.md").read_text("utf-8")
    assert "- d'adhérer" in extract and "Convention MEL (convention.pdf, SHA-256 " in extract
    assert "Pour copie conforme : en mairie, le 21/01/2025" in extract
