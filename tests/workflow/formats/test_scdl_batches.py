"""The SCDL import's batches: sessions shared across batches and files, free ids, the collector."""

from __future__ import annotations

import gc
from typing import Any

from sqlmodel import col, select

from tests.workflow.formats.conftest import service_context
from tests.workflow.formats.scdl_rows import valid_row, write_rows
from tests.workflow.formats.seed import SIREN
from workflow.service.imports import import_scdl
from workflow.store.history import content_of, event_hash
from workflow.store.models import Act, Event, Sitting


def _stored(url: str) -> tuple[dict[str, tuple[str, int]], dict[str, str], list[Any]]:
    with service_context(url).store.session() as session:
        acts = {a.number: (a.session_id, a.rank) for a in session.exec(select(Act).where(Act.council_id == "ville"))}
        sittings = {s.id: s.status for s in session.exec(select(Sitting).where(Sitting.council_id == "ville"))}
        events = list(session.exec(select(Event).where(Event.council_id == "ville").order_by(col(Event.seq))))
    return acts, sittings, events


def test_a_day_keeps_one_imported_session_across_batches_and_files(cli, db_url, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    cli.ok("session", "add", "ville", "--date", "2023-01-01T18:00")  # a live session: ville/2023-01-01
    cli.ok("session", "add", "ville", "--date", "2023-01-01T20:00")  # and a second: ville/2023-01-01-2
    first = write_rows(
        tmp_path / "first.csv",
        [valid_row(f"20230101{i:02d}", DELIB_DATE="2023-01-01", PREF_DATE="2023-01-02") for i in (1, 2, 3)],
    )
    assert import_scdl(service_context(db_url), "ville", first, batch_size=2).imported == 3
    second = write_rows(
        tmp_path / "second.csv",
        [
            valid_row("2023010104", DELIB_DATE="2023-01-01", PREF_DATE="2023-01-02"),
            valid_row("2023020101", DELIB_DATE="2023-02-01", PREF_DATE="2023-02-02"),
            valid_row("2023010101", DELIB_DATE="2023-01-01", PREF_DATE="2023-01-02"),  # already there
        ],
    )
    report = import_scdl(service_context(db_url), "ville", second, batch_size=1)
    assert report.imported == 2 and report.skipped == [(4, "2023010101")]

    acts, sittings, events = _stored(db_url)
    imported_day = "ville/2023-01-01-3"  # the live sessions keep their ids
    assert sittings == {
        "ville/2023-01-01": "planned",
        "ville/2023-01-01-2": "planned",
        imported_day: "imported",
        "ville/2023-02-01": "imported",
    }
    assert acts == {
        "2023010101": (imported_day, 1),
        "2023010102": (imported_day, 2),
        "2023010103": (imported_day, 3),
        "2023010104": (imported_day, 4),  # same session, next rank, from another file and batch
        "2023020101": ("ville/2023-02-01", 1),
    }
    imports = [(e.session_id, e.act_id) for e in events if e.trigger == "import"]
    assert imports == [
        (imported_day, None),
        (imported_day, "ville/2023010101"),
        (imported_day, "ville/2023010102"),
        (imported_day, "ville/2023010103"),
        (imported_day, "ville/2023010104"),
        ("ville/2023-02-01", None),
        ("ville/2023-02-01", "ville/2023020101"),
    ]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for before, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == before.hash and event.hash == event_hash(content_of(event))


def test_the_import_leaves_the_garbage_collector_as_it_found_it(cli, db_url, tmp_path) -> None:
    cli.ok("council", "add", "ville", "--name", "Ville", "--siren", SIREN)
    path = write_rows(tmp_path / "old.csv", [valid_row("2024121301"), valid_row("2024121302")])
    assert gc.get_freeze_count() == 0
    assert import_scdl(service_context(db_url), "ville", path).imported == 2
    assert gc.get_freeze_count() == 0  # the objects frozen for the import are unfrozen after it

    gc.freeze()  # frozen by someone else (e.g. a server before it forks): left so
    try:
        frozen = gc.get_freeze_count()
        again = import_scdl(service_context(db_url), "ville", path)
        assert again.skipped == [(2, "2024121301"), (3, "2024121302")]
        assert gc.get_freeze_count() > frozen // 2  # still frozen (less the objects freed meanwhile)
    finally:
        gc.unfreeze()
