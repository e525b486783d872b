"""The auditor's use cases: each opens the store read-only through the :class:`Context` and reads
the history through ``workflow.audit`` (the CLI opens no store session itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TextIO

from workflow.service.context import Context


def events_to_verify(ctx: Context, council: str | None = None) -> int:
    """How many events ``verify`` will read (for a progress bar); an unknown council is refused."""
    from workflow.audit.verify import events_to_verify as count
    from workflow.service.reading import get_council

    with ctx.store.session() as session:
        if council:
            get_council(session, council)
        return count(session, council)


def verify_history(
    ctx: Context,
    council: str | None = None,
    *,
    against: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Any, list[dict[str, Any]] | None]:
    """Every hash, link and row of the log (one council's or all), and, ``against`` a published
    checkpoint, that today's log extends it: the result and the checkpoint's councils."""
    from workflow.audit import checkpoint
    from workflow.audit.verify import verify
    from workflow.service.reading import get_council

    with ctx.store.session() as session:
        if council:
            get_council(session, council)
        result = verify(session, council, progress=progress)
        councils = None
        if against is not None:
            councils, findings = checkpoint.check_against(session, against)
            result.checkpoint_checked = True
            result.checkpoint_findings = findings
    return result, councils


def take_checkpoint(ctx: Context, council: str | None = None) -> dict[str, Any]:
    """A checkpoint of the log (each council's size and root), to publish or send."""
    from workflow.audit import checkpoint

    with ctx.store.session() as session:
        return checkpoint.take(session, council, ctx.actor, ctx.now())


def prove_act(ctx: Context, act_id: str, *, against: dict[str, Any] | None = None) -> dict[str, Any]:
    """Inclusion proofs of an act's events (RFC 9162), against a published checkpoint when given."""
    from workflow.audit.proof import prove

    with ctx.store.session() as session:
        return prove(session, act_id, checkpoint=against, actor=ctx.actor, now=ctx.now())


def audit_log(ctx: Context, **filters: Any) -> Iterator[dict[str, Any]]:
    """The events matching ``filters`` (those of ``workflow.audit.source.events_query``), oldest
    first, streamed: the store stays open while they are read."""
    from workflow.audit.source import events_query, stream
    from workflow.service.views import event_view

    with ctx.store.session() as session:
        for row in stream(session, events_query(**filters)):
            yield event_view(row)


def audit_report(ctx: Context, council: str, *, year: int | None, thresholds: Any) -> dict[str, Any]:
    """What an auditor should look at in a council's year: overrides, back-dating, late steps…"""
    from workflow.audit.report import report

    with ctx.store.session() as session:
        return report(session, council, year=year, thresholds=thresholds)


def export_events(
    ctx: Context,
    out: TextIO,
    fmt: str,
    *,
    council: str | None = None,
    since: date | None = None,
    until: date | None = None,
    recorded: bool = False,
) -> int:
    """The log written to ``out`` as JSON lines or CSV, in constant memory; the number written."""
    from workflow.audit.export import export

    with ctx.store.session() as session:
        return export(session, out, fmt, council=council, since=since, until=until, recorded=recorded)


def take_signed_checkpoint(ctx: Context, council: str, signer: Any) -> str:
    """A checkpoint of a council's log as a signed note (C2SP tlog-checkpoint)."""
    from workflow.audit import checkpoint

    with ctx.store.session() as session:
        return str(checkpoint.take_signed(session, council, signer))


def consistency_proof(ctx: Context, old: Any, new: Any) -> list[bytes]:
    """The RFC 9162 consistency proof between two checkpoints of the same log."""
    from workflow.audit import checkpoint

    with ctx.store.session() as session:
        return list(checkpoint.consistency(session, old, new))
