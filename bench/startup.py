"""Start-up: wall time of ``delib --help``, ``delib act show`` and ``delib status`` as processes,
beside a minimal typer app's ``--help`` and ``python -c "import sqlmodel"`` (the database stack)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, median_of

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


def _timer(argv: list[str], env: dict[str, str], repeat: int) -> float:
    def once() -> None:
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    once()  # warm the file cache and the bytecode
    return median_of(repeat, once)


def run(quick: bool = False) -> list[Figure]:
    repeat = 3 if quick else 11
    delib = shutil.which("delib") or ""
    base = [delib] if delib else [sys.executable, "-m", "cli.main"]
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.sqlite3")
        env = {**os.environ, "DELIB_DB": db, "COLUMNS": "120"}
        subprocess.run(
            [*base, "db", "init", db], env=env, check=True, stdout=subprocess.DEVNULL
        )  # a --db path must exist
        subprocess.run([*base, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL_TYPER)
        typer_help = _timer([sys.executable, str(minimal), "--help"], env, repeat)
        import_db = _timer([sys.executable, "-c", "import sqlmodel"], env, repeat)
        help_time = _timer([*base, "--help"], env, repeat)
        show = _timer([*base, "act", "show", "exemple/2024121302"], env, repeat)
        status = _timer([*base, "status"], env, repeat)
    ms = 1000.0
    return [
        Figure(
            "delib --help",
            help_time * ms,
            "ms",
            "minimal typer app --help",
            typer_help * ms,
            target=1.5,
            higher_is_better=False,
        ),
        Figure(
            "delib act show ACT",
            show * ms,
            "ms",
            'python -c "import sqlmodel"',
            import_db * ms,
            target=1.3,
            higher_is_better=False,
        ),
        Figure(
            "delib status",
            status * ms,
            "ms",
            'python -c "import sqlmodel"',
            import_db * ms,
            target=1.3,
            higher_is_better=False,
        ),
    ]
