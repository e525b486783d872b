"""Import a published SCDL file into a council: the use case behind ``delib import scdl``.

Each valid row (:func:`workflow.formats.scdl.judge_row`) becomes an executory act with its known
dates and counts, recorded by one ``import`` event (facts flagged ``imported``; the published
``DELIB_ID`` kept beside the ACTES number), and each day's acts share one imported session. The
rows are written in batches, each in one transaction rerun whole on a concurrent append; a row
already present (same council and ACTES number) is counted as already there, a broken row is
refused with its reasons, and no row is lost silently: rows read = imported + already there +
refused.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

from sqlmodel import Session

from workflow.errors import InvalidInput
from workflow.formats.scdl import Problem, Refusal, Row, Warned, judge_rows, open_table
from workflow.history import Step
from workflow.service.chain import new_step, retrying
from workflow.service.context import Context
from workflow.service.reading import get_council

IMPORTED_SESSION_STATUS = "imported"


@dataclass
class ImportReport:
    """What an import did: every row read is imported, already there, or refused.

    ``warned`` lists the rows kept with warnings, ``file_warnings`` what the file's header said
    (a missing optional column, an extra one, a header read under another spelling).
    """

    file: str
    encoding: str = ""
    separator: str = ""
    rows: int = 0
    blank_lines: int = 0
    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    warned: list[Warned] = field(default_factory=list)
    file_warnings: list[Problem] = field(default_factory=list)
    siren: str | None = None
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def warnings(self) -> int:
        """Warnings counted: the file's, and each row's (refused rows' included)."""
        rows = sum(len(w.warnings) for w in self.warned) + sum(len(r.warnings) for r in self.refused)
        return len(self.file_warnings) + rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "encoding": self.encoding,
            "separator": self.separator,
            "rows": self.rows,
            "blank_lines": self.blank_lines,
            "imported": self.imported,
            "already_there": len(self.skipped),
            "refused_count": len(self.refused),
            "warnings": self.warnings,
            "skipped": [{"line": line, "number": number} for line, number in self.skipped],
            "refused": [r.to_dict() for r in self.refused],
            "warned": [w.to_dict() for w in self.warned],
            "file_warnings": [w.to_dict() for w in self.file_warnings],
            "siren": self.siren,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


def _import_facts(row: Row, file_name: str) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "imported": True,
        "source": "SCDL",
        "file": file_name,
        "line": row.line,
        "number": row.number,
        "subject": row.subject,
        "session_date": row.delib_date.isoformat(),
        "matiere": row.matiere,
        "matiere_nom": row.matiere_nom,
        "coll_nom": row.coll_nom,
        "siret": row.siret,
        "note": "history before délib, imported as published; not re-checked against the rules",
    }
    if row.published_id != row.number:
        facts["published_id"] = row.published_id  # DELIB_ID as published; an export writes it back
    if row.pref_date:
        facts["filed_on"] = row.pref_date.isoformat()
    for key, value in (
        ("pref_id", row.pref_id),
        ("budget_year", row.budget_year),
        ("budget_name", row.budget_name),
        ("url", row.url),
    ):
        if value:
            facts[key] = value
    if row.votes:
        effectif, reel, pour, contre, abstention = row.votes
        facts["members_in_office"] = effectif
        facts["took_part"] = reel
        facts["vote"] = {"for": pour, "against": contre, "abstain": abstention}
    return facts


class _Batch:
    """Writes one batch of rows in the caller's transaction (rerun whole on a concurrent append).

    A few statements per batch whatever its size: the numbers already present, the imported
    sessions of its days and their last ranks, the free session ids, then one multi-row insert
    each for the new sessions and the acts (Core, no ORM object), and the events.
    """

    def __init__(self, ctx: Context, council_id: str, rows: Sequence[tuple[Any, ...]], file_name: str) -> None:
        self.ctx, self.council_id, self.file_name = ctx, council_id, file_name
        self.rows = [Row._make(r) for r in rows]

    def __call__(self, session: Session) -> tuple[int, list[tuple[int, str]]]:
        from sqlmodel import col, select

        from workflow.service.chain import append_events
        from workflow.store.models import Act

        present = set(
            session.exec(
                select(Act.number).where(
                    Act.council_id == self.council_id,
                    col(Act.number).in_([r.number for r in self.rows]),
                )
            )
        )
        todo = [r for r in self.rows if r.number not in present]
        if todo:
            events: list[Step] = []
            slots = self._sittings(session, {r.delib_date for r in todo}, events)
            self._write(session, todo, slots, events)
            append_events(session, self.ctx, events)
        return len(todo), [(r.line, r.number) for r in self.rows if r.number in present]

    def _sittings(self, session: Session, days: set[date], events: list[Step]) -> dict[date, list[Any]]:
        """``[session id, last rank]`` of the imported session of each day, created when missing
        (their ``import`` events added to ``events``, in date order)."""
        from sqlalchemy import func, insert
        from sqlmodel import col, select

        from workflow.store.models import Act, Sitting

        moments = [datetime.combine(d, clock()) for d in days]
        found = {
            held_at.date(): sitting_id
            for sitting_id, held_at in session.exec(
                select(Sitting.id, Sitting.held_at).where(
                    Sitting.council_id == self.council_id,
                    Sitting.status == IMPORTED_SESSION_STATUS,
                    col(Sitting.held_at).in_(moments),
                )
            )
        }
        ranks = (
            dict(
                session.exec(
                    select(Act.session_id, func.max(Act.rank))
                    .where(col(Act.session_id).in_(list(found.values())))
                    .group_by(Act.session_id)
                ).all()
            )
            if found
            else {}
        )
        new = sorted(days - found.keys())
        ids = self._free_ids(session, new)
        if new:
            session.execute(
                insert(Sitting.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "id": ids[day],
                        "council_id": self.council_id,
                        "held_at": datetime.combine(day, clock()),
                        "place": None,
                        "status": IMPORTED_SESSION_STATUS,
                        "convened_on": None,
                        "urgent": False,
                        "attendance": None,
                        "version": 1,
                    }
                    for day in new
                ],
            )
        events.extend(
            new_step(
                self.ctx,
                self.council_id,
                trigger="import",
                session_id=ids[day],
                legal_date=day,
                facts={
                    "imported": True,
                    "source": "SCDL",
                    "file": self.file_name,
                    "session_date": day.isoformat(),
                },
            )
            for day in new
        )
        known = {day: [sitting_id, ranks.get(sitting_id) or 0] for day, sitting_id in found.items()}
        return known | {day: [ids[day], 0] for day in new}

    def _free_ids(self, session: Session, days: Sequence[date]) -> dict[date, str]:
        """A free session id for each day: ``COUNCIL/DAY`` unless taken (by a live session),
        then ``COUNCIL/DAY-2``, ``-3``…; one query for the usual case, where none is taken."""
        from sqlmodel import col, select

        from workflow.identifiers import session_id
        from workflow.store.models import Sitting

        if not days:
            return {}
        first = {day: session_id(self.council_id, day) for day in days}
        taken = set(session.exec(select(Sitting.id).where(col(Sitting.id).in_(first.values()))))
        ids = {}
        for day, base in first.items():
            index = 1
            if base in taken:
                index = 2
                while session.get(Sitting, session_id(self.council_id, day, index)) is not None:
                    index += 1
            ids[day] = session_id(self.council_id, day, index)
        return ids

    def _write(
        self,
        session: Session,
        rows: Sequence[Row],
        slots: dict[date, list[Any]],
        events: list[Step],
    ) -> None:
        """The acts in one multi-row insert; their ``import`` events added to ``events``."""
        from workflow.identifiers import act_id

        acts = []
        for row in rows:
            slot = slots[row.delib_date]
            slot[1] += 1
            facts = {**_import_facts(row, self.file_name), "rank": slot[1]}  # the fold proves the row
            identifier = act_id(self.council_id, row.number)
            acts.append(
                {
                    "id": identifier,
                    "session_id": slot[0],
                    "number": row.number,
                    "rank": slot[1],
                    "subject": row.subject,
                    "matiere": row.matiere,
                    "vote": {**facts["vote"], "took_part": row.votes[1]} if row.votes else None,
                    "voted_on": row.delib_date,
                    "filed_on": row.pref_date,
                }
            )
            events.append(
                new_step(
                    self.ctx,
                    self.council_id,
                    trigger="import",
                    act_id=identifier,
                    session_id=slot[0],
                    to_state="executory",
                    legal_date=row.pref_date or row.delib_date,
                    facts=facts,
                )
            )
        session.execute(_imported_acts(self.council_id), acts)


def _imported_acts(council_id: str) -> Any:
    """The insert of imported acts: what all share is written in the statement, once, not per row
    (an executory deliberation, no attendance or posting recorded, as the ORM's defaults give)."""
    from sqlalchemy import false, insert, literal_column, null, true

    from workflow.store.models import Act

    return insert(Act.__table__).values(  # type: ignore[attr-defined]
        council_id=council_id,
        nature="DE",
        subject_to_transmission=true(),
        state="executory",
        version=1,
        attendance=literal_column("'null'"),  # the JSON text of None, as the ORM stores it
        posted_on=null(),
        ack=null(),
        executory_on=null(),
        irregular=false(),
    )


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """The objects alive before an import left out of the garbage collector's scans until it ends.

    Each batch allocates thousands of objects, which makes the collector run full scans of every
    object of the process (the ORM's, the definitions'...) again and again: 6 to 10 % of the time
    of a 100,000-row import. Frozen (``gc.freeze``), those older objects are skipped; the import's
    own objects are collected as usual. Left alone when something else in the process froze
    objects already.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def import_scdl(
    ctx: Context,
    council_id: str,
    path: Path,
    *,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a published SCDL file into a council; ``progress(done, total)`` follows the rows.

    The file is refused whole (:class:`InvalidInput`, nothing written) when it cannot be read or
    lacks a required column; otherwise every row is judged, the valid ones written in batches of
    ``batch_size``, and the report says what became of each.
    """
    from workflow import definition as definitions
    from workflow.dates import legal_today

    if batch_size < 1:
        raise InvalidInput("--batch-size must be at least 1.", "--batch-size doit valoir au moins 1.")
    started = time.perf_counter()
    with ctx.store.session() as session:
        council = get_council(session, council_id)
    if "executory" not in definitions.get(council.definition).states:
        raise InvalidInput(
            f"The definition {council.definition} has no 'executory' state to import into.",
            f"La définition {council.definition} n'a pas d'état « executory » où importer.",
        )
    table = open_table(path)
    report = ImportReport(
        file=path.name, encoding=table.encoding, separator=table.separator, file_warnings=table.warnings
    )
    with _older_objects_frozen():
        judged = judge_rows(table.records, council.siren, legal_today(ctx.now()))
        report.rows, report.refused, report.warned, report.siren = (
            judged.rows,
            judged.refused,
            judged.warned,
            judged.siren,
        )
        report.blank_lines = table.blank_lines
        done = len(report.refused)
        if progress:
            progress(done, report.rows)
        for start in range(0, len(judged.valid), batch_size):
            batch = judged.valid[start : start + batch_size]
            imported, skipped = retrying(ctx, _Batch(ctx, council_id, batch, path.name))
            report.imported += imported
            report.skipped.extend(skipped)
            done += len(batch)
            if progress:
                progress(done, report.rows)
    report.seconds = time.perf_counter() - started
    return report
