"""Measuring processes: wall and CPU time and peak memory of a command, its baseline run
alternately with it (the 2 cores are shared: interleaving spreads the noise over both)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.common import _number


@dataclass
class Run:
    """One process: wall and CPU seconds (user + system), peak memory (MB)."""

    wall: float
    cpu: float
    rss_mb: float


def run_process(argv: list[str], env: dict[str, str] | None = None, stdout: Any = None) -> Run:
    """Run ``argv`` to its end (output to /dev/null unless ``stdout``), measured by GNU ``time``
    when installed (a child forked from this process would report this process's memory as its
    own peak), else by ``wait4``."""
    import os
    import shutil
    import subprocess
    import tempfile

    timer = shutil.which("time", path="/usr/bin:/bin")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        command = [timer, "-q", "-f", "%U %S %M", "-o", report.name, *argv] if timer else argv
        began = time.perf_counter()
        with subprocess.Popen(command, env=env, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            errors = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        wall = time.perf_counter() - began
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited with {proc.returncode}: {errors[-2000:]}")
        if timer:
            user, system, peak = report.read().split()[-3:]
            return Run(wall, float(user) + float(system), int(peak) / 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def interleaved(
    repeat: int, subject: Callable[[], Run], baseline: Callable[[], Run], *, warm: bool = True
) -> tuple[Run, Run]:
    """Run the subject and its baseline alternately, ``repeat`` times each (after one warm-up of
    each, unless not ``warm``); the medians of wall and CPU, the peak of memory, of each."""
    if warm:
        subject(), baseline()
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(subject())
        theirs.append(baseline())

    def median(runs: list[Run]) -> Run:
        return Run(
            statistics.median(r.wall for r in runs),
            statistics.median(r.cpu for r in runs),
            max(r.rss_mb for r in runs),
        )

    return median(ours), median(theirs)


def cpu_note(ours: Run, theirs: Run, unit: float = 1000.0, label: str = "ms") -> str:
    """The CPU figures beside the wall ones: ``CPU 212 ms vs 301 ms = 0.70``."""
    ratio = ours.cpu / theirs.cpu if theirs.cpu else float("nan")
    return f"CPU {_number(ours.cpu * unit)} {label} vs {_number(theirs.cpu * unit)} {label} = {ratio:.2f}"
