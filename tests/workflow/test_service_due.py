"""``delib due`` in bounded memory (issue 14, item 3): read council by council and act by act,
sorted in runs merged from temporary files; the items and their order are those of one sort."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workflow.service.due as due_module
from workflow.service.due import NOT_DELIBERATING, _next_deliberating

STATUSES = ["closed", "open", "quorum_failed", "adjourned", "planned", "reconvened"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 8), st.sampled_from(STATUSES)), max_size=14))
def test_the_next_seance_that_deliberated_is_found_in_one_pass(drawn):
    sittings = [
        SimpleNamespace(id=str(i), council_id=c, held_at=datetime(2024, 1, 1) + timedelta(days=d), status=s)
        for i, (c, d, s) in enumerate(drawn)
    ]
    found = _next_deliberating(sittings)
    for sitting in sittings:
        later = [
            s.held_at.date()
            for s in sittings
            if s.council_id == sitting.council_id and s.held_at > sitting.held_at and s.status not in NOT_DELIBERATING
        ]
        assert found.get(sitting.id) == (min(later) if later else None)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    if __import__("os").environ.get("DELIB_TEST_DB", "sqlite") != "sqlite":
        pytest.skip("the generated log is an SQLite file")
    from bench.audit_verify import generate
    from workflow.service.context import Context
    from workflow.store.database import open_store

    path = tmp_path_factory.mktemp("due") / "log.sqlite3"
    generate(path, 2_500)
    store = open_store(str(path), readonly=True)
    yield Context(store=store, actor="x")
    store.dispose()


@pytest.mark.parametrize("today, within", [(date(2010, 3, 1), None), (date(2010, 3, 1), 20), (date(2040, 1, 1), None)])
def test_sorted_runs_merged_give_the_items_of_one_sort(generated, monkeypatch, today, within):
    from workflow.deadlines import order_key

    whole = due_module.due(generated, today=today, within_days=within)
    assert whole, "the generated log has acts with something due"
    assert [order_key(i) for i in whole] == sorted(order_key(i) for i in whole)
    monkeypatch.setattr(due_module, "RUN", 7)  # many runs, each spilled to a temporary file
    assert due_module.due(generated, today=today, within_days=within) == whole
    assert list(due_module.due_stream(generated, "banc", today=today, within_days=within)) == whole
