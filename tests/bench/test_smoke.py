"""The benchmarks run in the suite at a tiny size: correctness only, no timing asserted."""

from bench import transitions
from bench.common import Figure


def test_transitions_benchmark_carries_every_act_to_executory():
    figures = transitions.run(quick=True)
    assert [f.name.split(" ")[0] for f in figures] == ["transitions/s"]
    assert all(isinstance(f, Figure) and f.value > 0 and f.baseline > 0 for f in figures)


def test_figure_ratio_and_target():
    rate = Figure("x", 50, "tr/s", "raw", 100, target=0.5)
    assert rate.ratio == 0.5 and rate.met is True
    time = Figure("y", 140, "ms", "base", 100, target=1.3, higher_is_better=False)
    assert time.met is False


def test_reads_benchmark_checks_its_query_plans():
    from bench import reads

    figures = reads.measure(3_000)
    assert len(figures) == 2
    assert "USING INDEX ix_event_act_seq" in figures[0].note
    assert all(f.value > 0 and f.baseline > 0 for f in figures)


def test_lists_benchmark_measures_processes_beside_the_raw_query(tmp_path, monkeypatch):
    from bench import lists

    monkeypatch.setenv("DELIB_BENCH_CACHE", str(tmp_path))
    figures = lists.measure(1_500, only=["delib status"])
    assert [f.name.split(" (")[0] for f in figures] == ["delib status", "delib status --json"]
    assert all(f.value > 0 and f.baseline > 0 and "peak memory" in f.note for f in figures)
    assert list(tmp_path.glob("log-1500-*.sqlite3"))  # generated once, cached


def test_live_benchmark_votes_every_item():
    from bench import live

    (figure,) = live.run(quick=True)
    assert figure.value > 0 and figure.baseline > 0 and "6 votes" in figure.note
