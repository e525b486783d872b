"""The import benchmark at a tiny size: it checks its own work (no timing asserted)."""

from bench import import_scdl


def test_import_benchmark_smoke_run() -> None:
    result = import_scdl.measure(300, show_progress=False)
    assert (result["rows"], result["broken"], result["imported"]) == (300, 3, 297)
    assert result["rate"] > 0 and result["baseline_rate"] > 0
