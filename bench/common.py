"""Shared helpers: a figure with its baseline, and the table that prints them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    """One measurement beside its baseline; ``higher_is_better`` for rates, not for times."""

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    target: float | None = None  # the ratio to reach (rates: value/baseline ≥ target; times: ≤)
    higher_is_better: bool = True
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """Best wall time of ``repeat`` runs (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _number(value: float) -> str:
    """Three significant figures at least: 0.0412 ms, 12.3 ms, 1,234.5 tr/s."""
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.3g}"


def print_figures(figures: list[Figure]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="délib benchmarks (ratios to baselines measured in the same run)", title_justify="left")
    for column in ("measure", "délib", "baseline", "ratio", "target", "met"):
        table.add_column(column)
    for f in figures:
        target = "—" if f.target is None else (f"≥ {f.target:g}" if f.higher_is_better else f"≤ {f.target:g}")
        met = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "—"}[f.met]
        table.add_row(
            f.name + (f"\n[dim]{f.note}[/dim]" if f.note else ""),
            f"{_number(f.value)} {f.unit}",
            f"{_number(f.baseline)} {f.unit} ({f.baseline_name})",
            f"{f.ratio:.2f}",
            target,
            met,
        )
    Console().print(table)


@dataclass
class Paired:
    """Interleaved runs of délib and its baseline: wall and CPU seconds of each run, same work."""

    work: int  # units of work per run (transitions, rows, events)
    wall: list[tuple[float, float]]  # (délib, baseline) per round
    cpu: list[tuple[float, float]]

    def rate(self, which: int) -> float:
        """Units per second, median over the rounds (0: délib, 1: baseline)."""
        return self.work / statistics.median(w[which] for w in self.wall)

    def wall_ratio(self) -> float:
        """Median of the per-round ratios baseline time / délib time (≥ 1: délib is faster)."""
        return statistics.median(b / d for d, b in self.wall)

    def cpu_ratio(self) -> float:
        return statistics.median(b / d for d, b in self.cpu)

    def cpu_us(self, which: int) -> float:
        """CPU µs per unit of work, median over the rounds."""
        return 1e6 * statistics.median(c[which] for c in self.cpu) / self.work

    def note(self, unit: str) -> str:
        return (
            f"interleaved ×{len(self.wall)}: wall ratio {self.wall_ratio():.2f}, CPU ratio {self.cpu_ratio():.2f}; "
            f"CPU {self.cpu_us(0):,.0f} µs/{unit} (baseline {self.cpu_us(1):,.0f})"
        )


def interleaved(
    rounds: int, work: int, delib: Callable[[], Callable[[], object]], baseline: Callable[[], Callable[[], object]]
) -> Paired:
    """Run délib and its baseline one after the other, ``rounds`` times, in this process: each
    factory prepares a run (not timed) and returns the work to time (wall and process CPU)."""
    wall: list[tuple[float, float]] = []
    cpu: list[tuple[float, float]] = []
    for _ in range(rounds):
        pair_wall, pair_cpu = [], []
        for factory in (delib, baseline):
            job = factory()
            began, began_cpu = time.perf_counter(), time.process_time()
            job()
            pair_wall.append(time.perf_counter() - began)
            pair_cpu.append(time.process_time() - began_cpu)
        wall.append((pair_wall[0], pair_wall[1]))
        cpu.append((pair_cpu[0], pair_cpu[1]))
    return Paired(work, wall, cpu)
