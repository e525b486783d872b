"""Streaming export of the log: every event, as JSON lines, a JSON array or CSV, in constant memory.

Rows are read ``BATCH`` at a time (server-side cursor on PostgreSQL) and written as they come:
memory does not grow with the number of events. Each record has the keys of
``service.event_view``; in CSV, ``facts`` and ``verdicts`` are JSON strings, and a cell that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``...) is prefixed with ``'`` (OWASP
CSV injection; :func:`workflow.files.spreadsheet_safe`). JSON exports keep every value as stored.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from sqlmodel import Session

from workflow.audit.source import events_query, stream
from workflow.errors import InvalidInput
from workflow.files import spreadsheet_safe

FORMATS = ("jsonl", "json", "csv")
COLUMNS = (
    "id",
    "seq",
    "council",
    "act",
    "session",
    "trigger",
    "from_state",
    "to_state",
    "legal_date",
    "recorded_at",
    "actor",
    "facts",
    "verdicts",
    "prev_hash",
    "hash",
)


def export(
    session: Session,
    out: TextIO,
    fmt: str = "jsonl",
    *,
    council: str | None = None,
    since: date | None = None,
    until: date | None = None,
    recorded: bool = False,
) -> int:
    """Write the matching events to ``out``; returns how many were written."""
    writers: dict[str, Callable[[TextIO], Callable[[dict[str, Any] | None], None]]] = {
        "jsonl": _jsonl,
        "json": _json_array,
        "csv": _csv,
    }
    if fmt not in writers:
        raise InvalidInput(
            f"Unknown export format '{fmt}': {', '.join(FORMATS)}.",
            f"Format d'export « {fmt} » inconnu : {', '.join(FORMATS)}.",
        )
    from workflow.service.views import event_view

    write = writers[fmt](out)
    written = 0
    query = events_query(council=council, since=since, until=until, recorded=recorded)
    for row in stream(session, query):
        write(event_view(row))
        written += 1
    write(None)
    return written


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _jsonl(out: TextIO) -> Callable[[dict[str, Any] | None], None]:
    def write(record: dict[str, Any] | None) -> None:
        if record is not None:
            out.write(_dump(record) + "\n")

    return write


def _json_array(out: TextIO) -> Callable[[dict[str, Any] | None], None]:
    first = [True]

    def write(record: dict[str, Any] | None) -> None:
        if record is None:
            out.write("[]\n" if first[0] else "\n]\n")
            return
        out.write(("[\n" if first[0] else ",\n") + _dump(record))
        first[0] = False

    return write


def _csv(out: TextIO) -> Callable[[dict[str, Any] | None], None]:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()

    def write(record: dict[str, Any] | None) -> None:
        if record is not None:
            row = {**record, "facts": _dump(record["facts"]), "verdicts": _dump(record["verdicts"])}
            writer.writerow({key: spreadsheet_safe(row.get(key)) for key in COLUMNS})

    return write
