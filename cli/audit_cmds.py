"""``delib audit ...``: verify the history, checkpoints and proofs, the log, findings, export.

Every command opens the database READ-ONLY (SQLite ``mode=ro``; a read-only transaction on
PostgreSQL): an audit cannot write, even by accident. ``verify-proof`` needs no database at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import typer

from cli.context import (
    FORCE,
    JSON,
    YEAR_MAX,
    YEAR_MIN,
    bounded,
    check_output,
    emit_json,
    options,
    output_file,
    service_context,
    write_file,
)
from cli.defaults import ACT
from cli.i18n import t
from cli.render import console, err_console

if TYPE_CHECKING:
    from workflow.service.context import Context

app = typer.Typer(no_args_is_help=True)

COUNCIL_ARG = typer.Argument(None, metavar="[COUNCIL]", help="One council (default: all).")
PROGRESS_FROM = 50_000  # events: below this, verification is too quick for a progress bar


def _readonly(ctx: typer.Context) -> Context:
    return service_context(ctx, readonly=True)


def _day(value: str | None, what: str) -> Any:
    from workflow.dates import parse_date

    return parse_date(value, what) if value else None


def _write(ctx: typer.Context, path: str, data: Any, force: bool) -> None:
    write_file(ctx, path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", force=force)


TRUST = typer.Option(
    [], "--trust", help="A trusted public key (NAME+ID+KEY, or a file of them), repeat for each signer."
)


def _verifiers(values: list[str]) -> list[Any]:
    """Each --trust: a verifier key, or a file holding one key a line."""
    from workflow.audit import note

    keys: list[Any] = []
    for value in values:
        path = Path(value)
        if "+" not in value or path.is_file():
            try:
                lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
            except (OSError, ValueError) as exc:
                from workflow.errors import InvalidInput

                raise InvalidInput(
                    f"Cannot read the key file {value}: {exc}.", f"Impossible de lire la clé {value} : {exc}."
                ) from None
            keys.extend(note.parse_verifier(line, value) for line in lines)
        else:
            keys.append(note.parse_verifier(value, "--trust"))
    return keys


def _signer(path: str) -> Any:
    from workflow.audit import note
    from workflow.errors import InvalidInput

    try:
        text = Path(path).read_text("utf-8")
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"Cannot read the key {path}: {exc}.", f"Impossible de lire la clé {path} : {exc}."
        ) from None
    return note.parse_signer(text, path)


def _published(against: str | None, trust: list[str], signatures: int | None) -> tuple[Any, Any]:
    """The checkpoint to verify against: a JSON one (sealed only), or a signed note whose trusted
    signatures verify (at least --signatures of them)."""
    from workflow.audit import checkpoint
    from workflow.errors import InvalidInput

    if against is None:
        if trust or signatures:
            raise InvalidInput(
                "--trust and --signatures go with --against CHECKPOINT.",
                "--trust et --signatures vont avec --against POINT.",
            )
        return None, None
    if not checkpoint.is_note(against):
        if trust or signatures:
            checkpoint.load_signed(against, [], 1)  # refused: unsigned
        return checkpoint.load(against), None
    if not trust:
        raise InvalidInput(
            f"{against} is a signed checkpoint: give the keys you trust with --trust (a note is read only "
            "once a trusted signature verifies).",
            f"{against} est un point de contrôle signé : donnez les clés de confiance avec --trust (une note "
            "ne se lit qu'une fois une signature de confiance vérifiée).",
        )
    signed = checkpoint.load_signed(against, _verifiers(trust), signatures or 1)
    entry = signed.head.entry()
    return {"format": checkpoint.SIGNED_FORMAT, "taken_at": None, "councils": [entry], "note": signed.note}, signed


def _read_json(path: str) -> Any:
    from workflow.errors import InvalidInput

    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"Cannot read {path}: {exc}.", f"Impossible de lire {path} : {exc}.") from None


@app.command("verify")
def audit_verify(
    ctx: typer.Context,
    council: str = COUNCIL_ARG,
    against: str = typer.Option(
        None, "--against", help="A published checkpoint (signed note, or JSON) the log must extend."
    ),
    trust: list[str] = TRUST,
    signatures: int = typer.Option(
        None, "--signatures", callback=bounded(1, 100), help="Trusted signatures the checkpoint needs (default 1)."
    ),
    json_: bool = JSON,
) -> None:
    """Recompute every hash and link, replay every act; name the first event where the chain breaks.

    With --against a signed checkpoint and --trust its keys, a forged checkpoint is refused and a
    rewrite of the whole chain is detected. Exit status 0 only when everything holds; 9 when the
    history does not verify.
    """
    from workflow.errors import IntegrityFailure
    from workflow.service.audit import events_to_verify, verify_history

    lang = options(ctx).lang
    published, signed = _published(against, trust, signatures)
    from workflow.audit.note import KINDS as note_kinds

    sctx = _readonly(ctx)
    total = events_to_verify(sctx, council)
    with _progress(total, json_, lang) as tick:
        result, results = verify_history(sctx, council, against=published, progress=tick)
    data = result.to_dict()
    if published is not None:
        data["checkpoint"] = {"taken_at": published.get("taken_at"), "councils": results}
        if signed is not None:
            data["checkpoint"]["origin"] = signed.head.origin
            data["checkpoint"]["signed_by"] = [
                {"key": name, "kind": note_kinds[kind], "timestamp": stamp or None}
                for name, kind, stamp in signed.signed_by
            ]
    if json_:
        emit_json(data)
    else:
        from cli.render import verify_view

        console.print(verify_view(data, lang))
    if not result.ok:
        first = result.findings[0]
        raise IntegrityFailure(
            f"The history does not verify: {first.message('en')}.",
            f"L'historique ne se vérifie pas : {first.message('fr')}.",
        )


class _progress:
    """A rich progress bar on stderr for long verifications in a terminal; silent otherwise."""

    def __init__(self, total: int, quiet: bool, lang: str) -> None:
        self.enabled = total >= PROGRESS_FROM and not quiet and err_console.is_terminal
        self.total, self.lang = total, lang

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
        )
        self.bar.__enter__()
        task = self.bar.add_task(t(self.lang, "verifying"), total=self.total)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)


@app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    council: str = COUNCIL_ARG,
    output: str = typer.Option(None, "--output", "-o", help="Write the checkpoint to this file."),
    key: str = typer.Option(None, "--key", help="Sign it with this private key: a C2SP signed checkpoint of COUNCIL."),
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """A signed-off summary of the log (events, head hash, Merkle root, date) to publish or send.

    With --key: the C2SP tlog-checkpoint of one council, as a signed note (Ed25519)."""
    check_output(ctx, output, force)
    from workflow.service.audit import take_checkpoint

    if key is not None:
        _signed_checkpoint(ctx, council, key, output, force, json_)
        return
    sctx = _readonly(ctx)
    doc = take_checkpoint(sctx, council)
    if output:
        _write(ctx, output, doc, force)
    if json_:
        emit_json(doc)
        return
    from cli.render import checkpoint_table

    lang = options(ctx).lang
    console.print(checkpoint_table(doc, lang))
    if output:
        console.print(t(lang, "checkpoint_written", path=output))


def _signed_checkpoint(
    ctx: typer.Context, council: str | None, key: str, output: str | None, force: bool, json_: bool
) -> None:
    from workflow.audit import checkpoint
    from workflow.errors import InvalidInput

    if not council:
        raise InvalidInput(
            "A signed checkpoint covers one council's log: give COUNCIL.",
            "Un point de contrôle signé couvre le journal d'une assemblée : donnez ASSEMBLÉE.",
        )
    from workflow.service.audit import take_signed_checkpoint

    signer = _signer(key)
    sctx = _readonly(ctx)
    text = take_signed_checkpoint(sctx, council, signer)
    if output:
        write_file(ctx, output, text, force=force)
    head = checkpoint.parse_head(text[: text.rfind("\n\n") + 1])
    if json_:
        emit_json(
            {"origin": head.origin, "tree_size": head.size, "root": head.root.hex(), "note": text, "output": output}
        )
    elif output:
        console.print(
            t(options(ctx).lang, "signed_checkpoint_written", path=output, origin=head.origin, size=head.size)
        )
    else:
        sys.stdout.write(text)


key_app = typer.Typer(no_args_is_help=True)
app.add_typer(key_app, name="key", help="Ed25519 keys that sign and cosign checkpoints.")


@key_app.command("generate")
def audit_key_generate(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name", help="The key's name, e.g. wambrechies.fr/delib (no space, no '+')."),
    output: str = typer.Option(..., "--output", "-o", help="The private key file (created with mode 0600)."),
    cosigner: bool = typer.Option(
        False, "--cosigner", help="A cosigner's key (tlog-cosignature/v1), e.g. the prefecture's."
    ),
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """A new Ed25519 key: the private key goes to the file (0600); the public key is printed as a
    note verifier key, to give to whoever verifies (--trust)."""
    check_output(ctx, output, force)
    from workflow.audit import note

    signer = note.generate(name, note.COSIGNATURE if cosigner else note.ED25519)
    write_file(ctx, output, signer.encoded() + "\n", force=force, mode=0o600)
    public = signer.verifier.encoded()
    if json_:
        emit_json({"name": name, "kind": note.KINDS[signer.kind], "private_key_file": output, "public_key": public})
        return
    sys.stdout.write(public + "\n")
    err_console.print(t(options(ctx).lang, "key_generated", path=output), markup=False)


@app.command("consistency")
def audit_consistency(
    ctx: typer.Context,
    old: str = typer.Argument(..., metavar="OLD", help="The last checkpoint the cosigner saw (signed note)."),
    new: str = typer.Argument(..., metavar="NEW", help="The new checkpoint (signed note)."),
    output: str = typer.Option(None, "--output", "-o", help="Write the proof (JSON) to this file."),
    force: bool = FORCE,
) -> None:
    """The RFC 9162 consistency proof from OLD to NEW, from the log: what a cosigner checks."""
    check_output(ctx, output, force)
    from workflow.audit import checkpoint, note

    heads = []
    for path in (old, new):
        text, _ = note.split(checkpoint.read_note(path), path)
        heads.append(checkpoint.parse_head(text, path))
    sctx = _readonly(ctx)
    from workflow.service.audit import consistency_proof

    proof = consistency_proof(sctx, heads[0], heads[1])
    import base64

    doc = {
        "format": "delib-consistency/1",
        "origin": heads[1].origin,
        "from_size": heads[0].size,
        "to_size": heads[1].size,
        "proof": [base64.b64encode(p).decode() for p in proof],
    }
    if output:
        _write(ctx, output, doc, force)
    else:
        emit_json(doc)


@app.command("cosign")
def audit_cosign(
    ctx: typer.Context,
    checkpoint_file: str = typer.Argument(..., metavar="CHECKPOINT", help="The council's signed checkpoint."),
    key: str = typer.Option(..., "--key", help="Your cosigner private key (delib audit key generate --cosigner)."),
    trust: list[str] = TRUST,
    last: str = typer.Option(None, "--last", help="The last checkpoint of this log you cosigned."),
    proof_file: str = typer.Option(
        None, "--proof", help="The consistency proof from --last (delib audit consistency)."
    ),
    output: str = typer.Option(..., "--output", "-o", help="The cosigned checkpoint."),
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """Cosign a council's checkpoint (as a witness: the prefecture, a neighbouring commune), once it
    is checked: signed by the council's key (--trust) and consistent with the last one you cosigned.
    Needs no database."""
    check_output(ctx, output, force)
    import base64

    from workflow.audit import checkpoint
    from workflow.errors import InvalidInput

    if not trust:
        raise InvalidInput(
            "Give the council's public key with --trust.", "Donnez la clé publique de l'assemblée avec --trust."
        )
    proof = None
    if proof_file:
        data = _read_json(proof_file)
        try:
            proof = [base64.b64decode(p, validate=True) for p in data["proof"]]
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                f"{proof_file} is not a consistency proof.", f"{proof_file} n'est pas une preuve de cohérence."
            ) from None
    cosigned = checkpoint.cosign(
        checkpoint.read_note(checkpoint_file),
        _signer(key),
        _verifiers(trust),
        last=checkpoint.read_note(last) if last else None,
        proof=proof,
    )
    write_file(ctx, output, cosigned, force=force)
    if json_:
        emit_json({"output": output, "note": cosigned})
    else:
        console.print(t(options(ctx).lang, "cosigned", path=output))


@app.command("prove")
def audit_prove(
    ctx: typer.Context,
    act_id: str = ACT,
    against: str = typer.Option(
        None, "--against", help="The published checkpoint to prove against (default: a fresh one)."
    ),
    output: str = typer.Option(None, "--output", "-o", help="Write the proof (JSON) to this file."),
    trust: list[str] = TRUST,
    signatures: int = typer.Option(
        None, "--signatures", callback=bounded(1, 100), help="Trusted signatures the checkpoint needs (default 1)."
    ),
    force: bool = FORCE,
    json_: bool = JSON,
) -> None:
    """Merkle inclusion proofs that the act's events belong to a checkpoint (checkable offline);
    --against a signed checkpoint (with --trust) proves them against the signed tree."""
    check_output(ctx, output, force)
    from workflow.service.audit import prove_act

    published, _ = _published(against, trust, signatures)
    sctx = _readonly(ctx)
    proof = prove_act(sctx, act_id, against=published)
    if output:
        _write(ctx, output, proof, force)
    if json_ or not output:
        emit_json(proof)
        return
    lang = options(ctx).lang
    console.print(
        t(
            lang,
            "proof_written",
            path=output,
            count=len(proof["events"]),
            size=proof["tree_size"],
            root=proof["merkle_root"],
        )
    )


@app.command("verify-proof")
def audit_verify_proof(
    ctx: typer.Context,
    proof_file: str = typer.Argument(..., metavar="FILE"),
    published: str = typer.Option(None, "--checkpoint", help="The checkpoint the council published, to compare with."),
    trust: list[str] = TRUST,
    signatures: int = typer.Option(
        None, "--signatures", callback=bounded(1, 100), help="Trusted signatures the checkpoint needs (default 1)."
    ),
    json_: bool = JSON,
) -> None:
    """Check a proof from `delib audit prove` without any database; exit 9 if it does not hold."""
    from workflow.audit.proof import verify_proof
    from workflow.errors import IntegrityFailure

    lang = options(ctx).lang
    theirs, _ = _published(published, trust, signatures)
    result = verify_proof(_read_json(proof_file), theirs)
    if theirs is None:
        result["warning"] = {"en": t("en", "proof_alone"), "fr": t("fr", "proof_alone")}
    if json_:
        emit_json(result)
    else:
        from cli.render import proof_table

        console.print(proof_table(result, lang))
    if theirs is None:
        err_console.print(t(lang, "proof_alone"), markup=False)
    if not result["ok"]:
        first = result["problems"][0]
        where = f"#{first['seq']}: " if first["seq"] else ""
        raise IntegrityFailure(
            f"The proof does not hold: {where}{first['en']}.",
            f"La preuve ne tient pas : {where}{first['fr']}.",
        )


@app.command("verify-document")
def audit_verify_document(
    ctx: typer.Context,
    document: Path = typer.Argument(..., metavar="FILE", help="A document written by délib (md, html or pdf)."),
    json_: bool = JSON,
) -> None:
    """Compute a document again from the history up to the event whose hash it carries and compare;
    exit 9 if it differs or names no event of the chain."""
    from workflow.errors import InvalidInput
    from workflow.service.session_documents import verify_document

    try:
        content = document.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"Cannot read {document}: {exc.strerror or exc}.", f"Impossible de lire {document} : {exc.strerror or exc}."
        ) from None
    result = verify_document(_readonly(ctx), content, shown=str(document)).to_dict()
    if json_:
        emit_json(result)
        return
    lang = options(ctx).lang
    name = result["name"]["fr" if lang == "fr" else "en"]
    console.print(t(lang, "document_verified", path=str(document), document=name, **result), markup=False)


@app.command("log")
def audit_log(
    ctx: typer.Context,
    council: str = typer.Option(None, "--council", help="Only this council."),
    actor: str = typer.Option(None, "--actor", help="Only the steps recorded by this actor."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD), inclusive."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD), inclusive."),
    trigger: str = typer.Option(None, "--trigger", help="Only this transition (convene, open, vote, post, file...)."),
    recorded: bool = typer.Option(False, "--recorded", help="Filter by the recording day rather than the legal date."),
    limit: int = typer.Option(
        200,
        "--limit",
        callback=bounded(0, 1_000_000_000),
        help="Rows shown in the terminal (0: all); --json gives all.",
    ),
    json_: bool = JSON,
) -> None:
    """The history across acts, oldest first, filtered.

    Dates filter the LEGAL date of each step; events without one (set-up, putting an act on the
    agenda) by the day they were recorded. --recorded: filter every event by its recording day.
    """
    from workflow.service.audit import audit_log

    filters = dict(
        council=council,
        actor=actor,
        trigger=trigger,
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        recorded=recorded,
    )
    sctx = _readonly(ctx)
    lang = options(ctx).lang
    rows = audit_log(sctx, **filters)
    if json_:
        _stream_json_list(rows)
        return
    from cli.render import audit_log_table

    shown: list[dict[str, Any]] = []
    more = 0
    for view in rows:
        if limit and len(shown) >= limit:
            more += 1
        else:
            shown.append(view)
    if not shown:
        console.print(t(lang, "no_events"))
        return
    console.print(audit_log_table(shown, lang))
    if more:
        console.print(t(lang, "log_more", count=more))


def _stream_json_list(items: Any) -> None:
    """A JSON list written item by item (constant memory)."""
    out = sys.stdout
    first = True
    for item in items:
        out.write(("[\n" if first else ",\n") + json.dumps(item, ensure_ascii=False, default=str))
        first = False
    out.write("[]\n" if first else "\n]\n")


@app.command("report")
def audit_report(
    ctx: typer.Context,
    council: str = COUNCIL_ARG,
    year: int = typer.Option(
        None, "--year", callback=bounded(YEAR_MIN, YEAR_MAX), help="Only the acts of that year's sessions."
    ),
    format_: str = typer.Option("table", "--format", help="table (terminal), md (Markdown) or json."),
    backdating_days: int | None = typer.Option(
        None,
        "--backdating-days",
        callback=bounded(0, 1_000_000),
        help="A step recorded more than N days after its legal date is reported (default: the definition's).",
    ),
    list_days: int | None = typer.Option(
        None,
        "--list-days",
        callback=bounded(0, 1_000_000),
        help="The list of deliberations published later than N days after the session is reported "
        "(default: the definition's delay).",
    ),
    transmission_days: int | None = typer.Option(
        None,
        "--transmission-days",
        callback=bounded(0, 1_000_000),
        help="Transmission later than N days after the session is reported (default: the definition's).",
    ),
    json_: bool = JSON,
) -> None:
    """Per act, what an auditor must see: overrides, late steps, never executory, chain breaks."""
    from workflow.audit.report import Thresholds, to_markdown
    from workflow.errors import InvalidInput
    from workflow.service.audit import audit_report

    if format_ not in ("table", "md", "json"):
        raise InvalidInput("--format takes table, md or json.", "--format prend table, md ou json.")
    limits = Thresholds(backdating_days, list_days, transmission_days)
    sctx = _readonly(ctx)
    data = audit_report(sctx, council, year=year, thresholds=limits)
    lang = options(ctx).lang
    if json_ or format_ == "json":
        emit_json(data)
    elif format_ == "md":
        sys.stdout.write(to_markdown(data, lang))
    else:
        from cli.render import report_table

        console.print(report_table(data, lang))


@app.command("export")
def audit_export(
    ctx: typer.Context,
    format_: str = typer.Option("jsonl", "--format", help="jsonl (one event a line), json (one list) or csv."),
    council: str = typer.Option(None, "--council", help="Only this council."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD), inclusive."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD), inclusive."),
    recorded: bool = typer.Option(False, "--recorded", help="Filter by the recording day rather than the legal date."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file rather than stdout."),
    force: bool = FORCE,
    json_: bool = typer.Option(False, "--json", help="Same as --format json."),
) -> None:
    """Stream every event (constant memory, millions of events): jsonl, json or csv.

    Dates filter the LEGAL date of each step; events without one (set-up, putting an act on the
    agenda) by the day they were recorded. --recorded: filter every event by its recording day.
    """
    from workflow.service.audit import export_events

    check_output(ctx, output, force)

    fmt = "json" if json_ else format_
    first, last = _day(since, "--since"), _day(until, "--until")
    sctx = _readonly(ctx)
    if output:
        with output_file(ctx, output, force=force) as out:
            written = export_events(
                sctx, cast(TextIO, out), fmt, council=council, since=first, until=last, recorded=recorded
            )
        err_console.print(t(options(ctx).lang, "exported", count=written, path=output))
    else:
        export_events(sctx, sys.stdout, fmt, council=council, since=first, until=last, recorded=recorded)
