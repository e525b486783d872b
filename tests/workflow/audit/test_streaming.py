"""Export and verification stream the log: memory does not grow with the number of events
(sqlite only: the log is generated straight into the file by the benchmark's generator)."""

from __future__ import annotations

import os
import tracemalloc

import pytest

from bench.audit_verify import generate
from workflow.audit.export import export
from workflow.audit.verify import verify
from workflow.store.database import open_store

pytestmark = pytest.mark.skipif(
    os.environ.get("DELIB_TEST_DB", "sqlite") != "sqlite",
    reason="sqlite only: writes the SQLite file directly",
)


class Sink:
    """A text stream that keeps nothing but a count."""

    def __init__(self) -> None:
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def peak_export(path, fmt: str) -> tuple[int, int]:
    store = open_store(str(path), readonly=True)
    sink = Sink()
    tracemalloc.start()
    with store.session() as session:
        written = export(session, sink, fmt)  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    store.dispose()
    return written, peak


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_memory_does_not_grow_with_the_log(tmp_path, fmt):
    small, large = tmp_path / "small.sqlite3", tmp_path / "large.sqlite3"
    generate(small, 2_000)
    generate(large, 17_000)
    small_written, small_peak = peak_export(small, fmt)
    large_written, large_peak = peak_export(large, fmt)
    assert large_written >= 8 * small_written
    assert large_peak < 1.5 * small_peak + 256 * 1024, (small_peak, large_peak)


def test_a_generated_log_verifies_and_reports_its_progress(tmp_path):
    path = tmp_path / "log.sqlite3"
    written, acts, _ = generate(path, 3_050)
    seen: list[int] = []
    store = open_store(str(path), readonly=True)
    with store.session() as session:
        result = verify(session, progress=seen.append)
    store.dispose()
    assert result.ok and result.events == written and result.acts == acts
    assert seen[:3] == [1000, 2000, 3000] and seen[-1] == written
