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
