"""The message catalog: collect every user-facing text, update ``delib.pot`` and ``fr/delib.po``,
compile ``delib.mo`` (``python -m cli.catalog``; ``--check`` only reports what is missing).

Collected: the messages of :mod:`cli.i18n` (plurals included), the next-step commands, typer's and
click's own texts, every help text of the command tree, and with a context the ids kept in the
history: states and triggers of every definition, rule ids, kinds of finding.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from cli.i18n import DOMAIN, HINTS, LOCALE_DIR, MESSAGES, Plural

# Kinds of finding of workflow.audit.verify (breaks of the chain) beside those of the report.
VERIFY_KINDS = ("act_mismatch", "deleted", "edited", "inserted", "reordered", "row_mismatch", "document_mismatch")
# Triggers of events written outside the definitions' transitions (an act put on the agenda, imported).
EXTRA_TRIGGERS = (
    "create",
    "import",
    "exempt",
    "proxy",
    "council_add",
    "member_add",
    "proxy_add",
    "session_add",
    "session_convene",
    "session_open",
    "session_quorum_failure",
    "session_reconvene",
    "session_close",
    "list_posted",
    "minutes",
    "minutes_online",
    "member_leave",
    "council_edit",
    "act_correct",
    "act_text",
    "act_attach",
)


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None

    @property
    def key(self) -> str | tuple[str, str]:
        return self.msgid if self.context is None else (self.msgid, self.context)


def collect() -> list[Message]:
    """Every message délib shows, each once, in a stable order."""
    seen: dict[tuple[str, str | None], Message] = {}
    for message in _all():
        seen.setdefault((message.msgid, message.context), message)
    return list(seen.values())


def _all() -> Iterator[Message]:
    import typer

    from cli.main import app
    from cli.typer_l10n import CLICK_MESSAGES, HELP_OPTION, METAVARS, RICH_CONSTANTS, USAGE_PREFIX, help_texts

    for entry in MESSAGES.values():
        yield Message(entry.one, entry.many) if isinstance(entry, Plural) else Message(entry)
    for text in HINTS.values():
        yield Message(text)
    for text in (*RICH_CONSTANTS.values(), USAGE_PREFIX, HELP_OPTION, *METAVARS, *CLICK_MESSAGES):
        yield Message(text)
    for text in help_texts(typer.main.get_command(app)):
        yield Message(text)
    yield from _ids()


def _ids() -> Iterator[Message]:
    import workflow.rules  # noqa: F401 - registers every rule
    from workflow import definition
    from workflow.audit.report import KINDS
    from workflow.rules.registry import RULES

    states: set[str] = set()
    triggers: set[str] = set(EXTRA_TRIGGERS)
    for defn in definition.load_all().values():
        states.update(defn.states)
        triggers.update(t.trigger for t in defn.transitions)
    for state in sorted(states):
        yield Message(state, context="state")
    for trigger in sorted(triggers):
        yield Message(trigger, context="trigger")
    for rule in sorted(RULES):
        yield Message(rule, context="rule")
    for kind in (*KINDS, *VERIFY_KINDS):
        yield Message(kind, context="finding")


def po_path(lang: str = "fr") -> str:
    return str(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po")


def load_po(lang: str = "fr"):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with open(po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def missing(lang: str = "fr") -> list[Message]:
    """The messages the catalog of ``lang`` lacks, or holds untranslated or fuzzy."""
    catalog = load_po(lang)
    lacking = []
    for message in collect():
        entry = catalog.get(message.msgid, context=message.context)
        strings = entry.string if entry is not None else None
        texts = list(strings) if isinstance(strings, tuple | list) else [strings]
        if entry is None or entry.fuzzy or not all(texts):
            lacking.append(message)
    return lacking


def compiled(lang: str = "fr") -> bytes:
    """The ``.mo`` the ``.po`` compiles to."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, load_po(lang))
    return buffer.getvalue()


def update(lang: str = "fr") -> None:
    """Write the template, merge it into the catalog of ``lang`` (keeping its translations), compile."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = Catalog(domain=DOMAIN, project="délib", charset="utf-8")
    for message in collect():
        msgid = (message.msgid, message.plural) if message.plural else message.msgid
        template.add(msgid, context=message.context)
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=False, width=100)
    catalog = load_po(lang)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with open(po_path(lang), "wb") as handle:
        write_po(handle, catalog, width=100, include_previous=False)
    with open(po_path(lang)[:-3] + ".mo", "wb") as handle:
        handle.write(compiled(lang))


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        update()
    lacking = missing()
    for message in lacking:
        sys.stdout.write(f"missing: {message.context + ': ' if message.context else ''}{message.msgid!r}\n")
    return 1 if lacking else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
