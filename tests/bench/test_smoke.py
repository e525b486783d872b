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
