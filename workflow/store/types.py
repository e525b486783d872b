"""Column types: timezone-aware UTC timestamps on every database; JSON text written as given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.types import TypeDecorator

from workflow.dates import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, stored in UTC and always read back timezone-aware (UTC).

    PostgreSQL keeps the zone (``timestamptz``); SQLite has no such type and hands back naive
    values, which are UTC since this type wrote them. A naive value given is taken as UTC, as the
    hash chain's canonical form takes it (``workflow.dates.as_utc``).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class JSONText(TypeDecorator[str]):
    """A value for a ``JSON`` column given as its JSON text already (the canonical text the hash
    covers, serialised once): bound as it is, not serialised again. Only for writing."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Any) -> None:
        return None
