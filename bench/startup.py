"""Start-up: ``delib --help``, ``delib act show`` and ``delib status`` on a council of 1,800 acts,
as processes, beside a minimal typer app's ``--help`` and ``python -c "import sqlmodel"`` (the
database stack), run alternately with their baseline; wall and CPU ratios."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import Figure
from bench.processes import cpu_note, interleaved, run_process

MINIMAL_TYPER = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "x") -> None:
    print(name)
@app.command()
def bye() -> None:
    pass
app()
"""


def delib_command() -> list[str]:
    delib = shutil.which("delib", path=str(Path(sys.executable).parent)) or shutil.which("delib")
    return [delib] if delib else [sys.executable, "-m", "cli.main"]


def run(quick: bool = False) -> list[Figure]:
    from bench.datasets import council

    repeat = 3 if quick else 15
    base = delib_command()
    path, _, acts = council(60 if quick else 1_800)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DELIB_DB": str(path), "COLUMNS": "120"}
        env.pop("DELIB_ACTOR", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed délib has its bytecode compiled
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL_TYPER)
        import sqlite3

        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            (act_id,) = con.execute("SELECT id FROM act ORDER BY id LIMIT 1 OFFSET ?", (acts // 2,)).fetchone()
        council_id = act_id.partition("/")[0]

        def timed(argv: list[str]) -> object:
            return lambda: run_process(argv, env)

        typer_help = timed([sys.executable, str(minimal), "--help"])
        import_db = timed([sys.executable, "-c", "import sqlmodel"])
        cases = [
            ("delib --help", [*base, "--help"], "minimal typer app --help", typer_help, 1.2),
            ("delib act show ACT", [*base, "act", "show", act_id], 'python -c "import sqlmodel"', import_db, 0.8),
            (
                f"delib status COUNCIL ({acts:,} acts, piped)",
                [*base, "status", council_id],
                'python -c "import sqlmodel"',
                import_db,
                1.0,
            ),
        ]
        figures = []
        for name, argv, baseline_name, baseline, target in cases:
            ours, theirs = interleaved(repeat, timed(argv), baseline)  # type: ignore[arg-type]
            figures.append(
                Figure(
                    name,
                    ours.wall * 1000,
                    "ms",
                    baseline_name,
                    theirs.wall * 1000,
                    target=target,
                    higher_is_better=False,
                    note=cpu_note(ours, theirs),
                )
            )
    return figures
