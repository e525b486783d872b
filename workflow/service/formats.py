"""The formats of the field as use cases: each reads through the :class:`Context` and returns what
the CLI writes (the SCDL open-data file, the @CTES metadata, the extract of the register, the
calendar, Popolo); files are written by the CLI, atomically."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from workflow.dates import legal_today
from workflow.service.context import Context


def export_scdl(ctx: Context, council_id: str, *, year: int | None = None, siret: str | None = None) -> Any:
    """The council's deliberations as an SCDL file (checked by the schema's custom checks)."""
    from workflow.formats import scdl

    with ctx.store.session() as session:
        return scdl.export(session, council_id, year=year, siret=siret)


def export_scdl_rows(
    ctx: Context, council_id: str, omitted: list[Any], *, year: int | None = None, siret: str | None = None
) -> Iterator[dict[str, str]]:
    """:func:`export_scdl`'s rows as they are read (the store stays open while they are); the acts
    left out are appended to ``omitted``."""
    from workflow.formats import scdl

    with ctx.store.session() as session:
        yield from scdl.export_rows(session, council_id, omitted, year=year, siret=siret)


def export_actes(ctx: Context, act_id: str, *, annexes: tuple[str, ...] = ()) -> tuple[Any, bytes]:
    """The act's @CTES metadata file (ACTES XSD) and its transmission identifier."""
    from workflow.formats import actes

    with ctx.store.session() as session:
        return actes.export(session, act_id, annexes=annexes)


def extract_data(ctx: Context, act_id: str, *, certified: date | None = None) -> dict[str, Any]:
    """What the extract of the register says of an act, certified ``certified`` (else today)."""
    from workflow.service.session_documents import extract_data as gather

    return gather(ctx, act_id, certified=certified)


def export_popolo(ctx: Context, council_id: str, *, year: int | None = None) -> dict[str, Any]:
    """The council, its members, sessions, motions and votes as a Popolo document."""
    from workflow.formats import popolo

    with ctx.store.session() as session:
        return popolo.export(session, council_id, year=year)


def export_ics(ctx: Context, council_id: str) -> tuple[bytes, int, int]:
    """The council's sessions and deadlines as iCalendar: the file, how many sessions and deadlines."""
    from workflow.formats import ics

    now = ctx.now()
    with ctx.store.session() as session:
        return ics.calendar(session, council_id, today=legal_today(now), stamp=now)
