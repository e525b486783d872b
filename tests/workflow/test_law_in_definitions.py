"""No delay and no article of the law in the code: they are the definitions' (issue 10, item 4).

The code of ``workflow/`` and ``cli/`` is read as Python (docstrings and comments, which state
the rule and its article, are left out) and its string constants are searched for a legal
reference (``CGCT``, ``CJA``, ``CRPA``, ``art.``, ``L2121-25``…); its delays for a constant named
``*_DAYS``/``*_MONTHS`` set to a number, or a literal number of days or months given to the date functions.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("workflow", "cli")
REFERENCE = re.compile(r"\b(?:CGCT|CJA|CRPA)\b|\bart\.\s|\b[LRD]\.?\s?\d{3,4}(?:-\d+)+")
DELAY_NAME = re.compile(r"_(?:days|months)$", re.IGNORECASE)
DATE_FUNCTIONS = {"add_months", "last_day_to_lodge", "timedelta"}

# Files not converted yet, each with what is left there; the test fails when one no longer has any
# (then its entry goes). They belong to other items of the issue (the audit, the séance) or are
# help texts of options.
PENDING: dict[str, str] = {
    "workflow/audit/report.py": "late list/transmission: L2121-25, L2131-1 and Thresholds' 7 and 15 days "
    "(to read from the definition's deadlines, which would also drop the list for a département)",
    "cli/act.py": "help texts of --recused and --mode",
    "cli/audit_cmds.py": "--list-days/--transmission-days: help text and defaults 7 and 15",
    "cli/council.py": "help text of --largest-commune-population",
    "cli/review_cmds.py": "help text of --ground",
}


def _docstrings(tree: ast.AST) -> set[int]:
    """The string constants that are docstrings or bare string statements."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if REFERENCE.search(node.value):
                found.append(f"line {node.lineno}: legal reference {node.value[:60]!r}")
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


def _scan() -> dict[str, list[str]]:
    results = {}
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            found = _findings(path)
            if found:
                results[str(path.relative_to(ROOT))] = found
    return results


def test_no_delay_or_article_outside_the_definitions_and_the_docstrings():
    results = _scan()
    unexpected = {path: found for path, found in results.items() if path not in PENDING}
    assert unexpected == {}, "\n".join(f"{p}: {f}" for p, found in unexpected.items() for f in found)


def test_the_pending_list_only_names_files_that_still_need_it():
    results = _scan()
    assert [path for path in PENDING if path not in results] == []


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
    assert [f.split(":")[0] for f in found] == ["line 3", "line 4", "line 5", "line 6"]
