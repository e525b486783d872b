"""No delay and no article of the law in the code: they are the definitions' (issue 10, item 4).

The code of ``workflow/`` and ``cli/`` is read as Python and its string constants are searched for
a legal reference (``CGCT``, ``CJA``, ``CRPA``, ``art.``, ``L2121-25``…) or a delay written out
(``4 months``, ``15 jours``); its delays for a constant named ``*_DAYS``/``*_MONTHS`` set to a
number, or a literal number of days or months given to the date functions. Comments, and the
docstrings of ``workflow/`` (which state the rule and its article), are left out; the docstrings of
``cli/`` are not: they are the commands' help. The templates of the documents délib writes
(``*.j2``) and the French catalog's translations (``msgstr``: the French help and messages) are
searched for references and delays as text. There is no list of files let off: a new one fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = ("workflow", "cli")
REFERENCE = re.compile(r"\b(?:CGCT|CJA|CRPA)\b|\bart\.\s|\b[LRD]\.?\s?\d{3,4}(?:-\d+)+")
DELAY_TEXT = re.compile(
    r"\b\d+\s+(?:clear\s+)?(?:days?|weeks?|months?|jours?(?:\s+francs)?|semaines?|mois)\b", re.IGNORECASE
)
TEMPLATES = ("workflow/formats/templates",)
CATALOG = "cli/locale/fr/LC_MESSAGES/delib.po"
DELAY_NAME = re.compile(r"_(?:days|months)$", re.IGNORECASE)
DATE_FUNCTIONS = {"add_months", "last_day_to_lodge", "timedelta"}


def _text_findings(text: str) -> list[str]:
    """A legal reference or a delay written out in a text."""
    found = [f"legal reference {m.group(0)!r}" for m in REFERENCE.finditer(text)]
    return found + [f"delay {m.group(0)!r}" for m in DELAY_TEXT.finditer(text)]


def _docstrings(tree: ast.AST) -> set[int]:
    """The string constants that are docstrings or bare string statements."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _findings(path: Path, *, docstrings_are_text: bool = False) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set() if docstrings_are_text else _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            found += [f"line {node.lineno}: {each}" for each in _text_findings(node.value)]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            number = isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)
            for target in targets if number else ():
                if isinstance(target, ast.Name) and DELAY_NAME.search(target.id):
                    found.append(f"line {node.lineno}: delay constant {target.id}")
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in DATE_FUNCTIONS:
                numbers = [*node.args[1:], *(k.value for k in node.keywords if k.arg in ("days", "weeks", "months"))]
                if name == "timedelta":
                    numbers = [*node.args, *(k.value for k in node.keywords if k.arg in ("days", "weeks"))]
                for arg in numbers:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, int) and arg.value > 1:
                        found.append(f"line {node.lineno}: literal delay {arg.value} given to {name}")
    return found


def _msgstrs(po: str) -> list[tuple[int, str]]:
    """The translations of a ``.po`` file (obsolete ``#~`` entries left out), with their line."""
    found: list[tuple[int, str]] = []
    current: list[str] | None = None
    for number, line in enumerate(po.splitlines(), 1):
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1]]
            found.append((number, ""))
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            current = None
        if current is not None:
            found[-1] = (found[-1][0], "".join(ast.literal_eval(part) for part in current))
    return found


def _scan() -> dict[str, list[str]]:
    results = {}
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            found = _findings(path, docstrings_are_text=package == "cli")
            if found:
                results[str(path.relative_to(ROOT))] = found
    for folder in TEMPLATES:
        for path in sorted((ROOT / folder).rglob("*.j2")):
            lines = path.read_text(encoding="utf-8").splitlines()
            found = [f"line {n}: {each}" for n, line in enumerate(lines, 1) for each in _text_findings(line)]
            if found:
                results[str(path.relative_to(ROOT))] = found
    po = (ROOT / CATALOG).read_text(encoding="utf-8")
    found = [f"line {n}: {each}" for n, text in _msgstrs(po) for each in _text_findings(text)]
    if found:
        results[CATALOG] = found
    return results


def test_no_delay_or_article_outside_the_definitions_and_the_docstrings():
    results = _scan()
    assert results == {}, "\n".join(f"{p}: {f}" for p, found in results.items() for f in found)


def test_the_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docstring citing CGCT art. L2121-25 is fine."""\n'
        "# a comment citing L2121-25 is fine\n"
        "LIST_DAYS = 7\n"
        "ARTICLE = 'CGCT art. L2121-25'\n"
        "limit = add_months(day, 2)\n"
        "due = day + timedelta(days=15)\n"
        "next_day = day + timedelta(days=1)\n",
        encoding="utf-8",
    )
    found = _findings(sample)
    assert list(dict.fromkeys(f.split(":")[0] for f in found)) == ["line 3", "line 4", "line 5", "line 6"]


def test_the_docstrings_of_the_cli_are_help_texts(tmp_path):
    sample = tmp_path / "command.py"
    sample.write_text('def withdraw():\n    """Withdrawal within 4 months (CRPA L242-1)."""\n', encoding="utf-8")
    assert _findings(sample) == []
    found = _findings(sample, docstrings_are_text=True)
    found = [f.split(": ", 1)[1] for f in found]
    assert found == ["legal reference 'CRPA'", "legal reference 'L242-1'", "delay '4 months'"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("publiée sous 15 jours", ["delay '15 jours'"]),
        ("au moins 3 jours francs", ["delay '3 jours francs'"]),
        ("2 clear days", ["delay '2 clear days'"]),
        ("(CGCT art. L2121-25)", ["legal reference 'CGCT'", "legal reference 'art. '", "legal reference 'L2121-25'"]),
        ("{days} days after the session", []),
        ("N days after the session", []),
        ("3 500 habitants", []),
    ],
)
def test_a_text_is_searched_for_references_and_delays(text, found):
    assert _text_findings(text) == found


def test_the_catalog_translations_are_read_whole_and_obsolete_ones_left_out():
    po = 'msgid "a"\nmsgstr ""\n"sous 15 "\n"jours"\n\n#~ msgid "b"\n#~ msgstr "CGCT"\n'
    assert _msgstrs(po) == [(2, "sous 15 jours")]
