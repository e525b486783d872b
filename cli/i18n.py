"""User-facing text in French and English through gettext catalogs, dates and numbers through Babel.

The source language is English: every message below is a gettext ``msgid``; the French is in
``cli/locale/fr/LC_MESSAGES/delib.po`` (compiled to ``delib.mo``, shipped in the package). States,
triggers, rule ids and kinds of finding are ids stored in the history; they are shown through the
catalog with a context (``state``, ``trigger``, ``rule``, ``finding``), so that the history reads in
either language. ``python -m cli.catalog`` collects every message, updates the catalog and
compiles it; ``tests/cli/test_i18n.py`` fails when a message has no French.

The language: ``--lang``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
"""

from __future__ import annotations

import gettext
import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

DOMAIN = "delib"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGS = ("en", "fr")


@dataclass(frozen=True)
class Plural:
    """A message with a singular and a plural form, chosen by the figure named ``n``."""

    one: str
    many: str
    n: str = "count"


MESSAGES: dict[str, str | Plural] = {
    "error": "Error",
    "field": "{label}: ",
    "error_line": "Error: {message}",
    "refused_title": "Refused: {trigger} — {act}",
    "refused_line": "Refused: '{trigger}' on {act}. {reasons} Nothing was written.",
    "refused_reason": "[{rule}, {article}] {message}.",
    "refused": "Refused",
    "nothing_written": "Nothing was written.",
    "override_hint": "If the council did take this step irregularly, record it as such: --override {rules} "
    "--reason TEXT (the act is then shown as irregular).",
    "council_added": "Council {id} added ({definition}).",
    "members_added": Plural("{count} member added to {council}.", "{count} members added to {council}."),
    "session_added": "Session {id}",
    "act_added": "Act {id}",
    "convened": Plural("{count} act convened for {session}.", "{count} acts convened for {session}."),
    "opened": Plural(
        "Session {session} open: {count} act in session.", "Session {session} open: {count} acts in session."
    ),
    "moved": "{id}: {from_state} → {to_state}",
    "executory_on": "executory on {date}",
    "rule": "Rule",
    "article": "Article",
    "verdict": "Verdict",
    "figures": "Figures",
    "passed": "passed",
    "failed": "failed",
    "overridden": "OVERRIDDEN",
    "state": "State",
    "next": "Next step",
    "subject": "Subject",
    "act": "Act",
    "number": "Number",
    "session": "Session",
    "legal_date": "Legal date",
    "recorded_at": "Recorded at",
    "actor": "Actor",
    "transition": "Transition",
    "rules": "Rules",
    "history_of": "History of {id}",
    "status_title": "Acts and their next steps",
    "definitions_title": "Workflow definitions",
    "name": "Name",
    "kinds": "Kinds",
    "title": "Title",
    "states": "States",
    "parameters": "Parameters",
    "vote": "Vote",
    "posted_on": "Posted on",
    "filed_on": "Filed on",
    "executory": "Executory on",
    "irregular": "IRREGULAR: a rule was overridden",
    "no_acts": "No act.",
    "demo_exists": "The example council '{id}' already exists in {db}; here is its act again.",
    "demo_db": "Database: {db}",
    "interrupted": "Interrupted; nothing was written by the unfinished step.",
    # formats (export, import, extract)
    "written": "Written: {path}",
    "document_verified": "{path}: this {document} of {id} ({format}) is the one the history gives as of event {seq} "
    "of {council} ({event}), certified on {certified}.",
    "scdl_omitted": "Not exported: {id}: {reasons}",
    "import_progress": "Importing {file}",
    "import_refused_line": "line {line} ({number}) refused: {reasons}",
    "import_summary": "{file}: {rows} rows read, {imported} imported, {skipped} already there, {refused} refused, "
    "{warnings} warning(s); {blank} blank line(s) skipped ({seconds} s, {rate} rows/s).",
    "import_read_as": "{file}: read as {encoding}, separator {separator}.",
    "classification_loaded": "{council}: classification of {date} loaded from {file} ({count} matières).",
    "classification_unchanged": "{council}: {file} is already its classification (of {date}); nothing recorded.",
    "ar_filed": "{file}: {act} filed",
    "ar_already": "{file}: {act} already filed with this acknowledgement",
    "ar_ignored": "{file}: ignored, {reason}",
    "ar_refused": "{file}: refused: {reason}",
    "ar_summary": "{folder}: {filed} filed, {already} already filed, {ignored} ignored, {refused} refused.",
    "import_file_warning": "warning: {reason}",
    "import_warned_line": "line {line} ({number}) kept as published: {reasons}",
    # audit
    "as_of": "as of {date}",
    "as_of_legal": "state given the legal dates of its steps",
    "as_of_recorded": "state given the steps recorded by then",
    "findings": "Findings",
    "finding": "Finding",
    "kind": "Kind",
    "event": "Event",
    "council": "Council",
    "events": "Events",
    "head": "Head",
    "chain": "Chain",
    "merkle_root": "Merkle root",
    "verifying": "Verifying the history",
    "verify_title": "Hash chain of each council",
    "audit_ok": "The history verifies: {events} events, {acts} acts replayed.",
    "audit_failed": "The history does NOT verify ({events} events, {acts} acts).",
    "extends": "{council}: today's {events} events extend the {certified} certified, without rewriting them.",
    "checkpoint_title": "Checkpoint taken {date} by {actor}",
    "checkpoint_written": "Checkpoint written to {path}: publish it or send it.",
    "proof_written": Plural(
        "Proof of {count} event against the tree of {size} events (root {root}) written to {path}.",
        "Proof of {count} events against the tree of {size} events (root {root}) written to {path}.",
    ),
    "proof_title": "Proof for {act} (tree of {size} events)",
    "proof_ok": "The proof holds: every event belongs to the tree of root {root}.",
    "proof_failed": "The proof does NOT hold (root {root}).",
    "log_title": "History across acts",
    "log_more": Plural(
        "{count} more event: use --limit 0, or --json.", "{count} more events: use --limit 0, or --json."
    ),
    "no_events": "No event.",
    "exported": Plural("{count} event exported to {path}.", "{count} events exported to {path}."),
    "report_title": "Audit findings — {scope}{year}",
    "report_summary": Plural("{acts} act examined: {summary}.", "{acts} acts examined: {summary}.", n="acts"),
    "no_findings": "no finding",
    # sessions, urgency, quorum failure, proxies, register
    "quorum_failed": Plural(
        "Session {session}: quorum not reached, recorded; {count} act stays convened "
        "(delib session reconvene {session} --on DATE --date NEW_DATE).",
        "Session {session}: quorum not reached, recorded; {count} acts stay convened "
        "(delib session reconvene {session} --on DATE --date NEW_DATE).",
    ),
    "adjourned": Plural(
        "Session {session}: urgency refused, {count} act postponed.",
        "Session {session}: urgency refused, {count} acts postponed.",
    ),
    "reconvened": Plural("{count} act convened again for {session}.", "{count} acts convened again for {session}."),
    "proxy_recorded": Plural(
        "Proxy #{id} recorded: {giver} → {holder}, from {written_on}, {sessions} session{illness}.",
        "Proxy #{id} recorded: {giver} → {holder}, from {written_on}, {sessions} sessions{illness}.",
        n="sessions",
    ),
    "illness": " (illness)",
    "session_held_at": "Held at",
    "status": "Status",
    "convocation": "Convocation",
    "urgent": "urgent",
    "urgency": "Urgency",
    "urgency_accepted": "accepted by the council",
    "urgency_rejected": "refused by the council: items postponed",
    "second_convocation": "Second convocation (no quorum condition) after",
    "reconvened_as": "Convened again as",
    "present": "Present",
    "proxy": "Proxy",
    "proxy_lapsed": "Proxy lapsed (holder absent)",
    "secretary": "Secretary",
    "president": "President",
    "casting_vote": "the president's casting vote decided",
    "act_kind": "Kind of act",
    "kind_compte-administratif": "compte administratif",
    "kind_election": "election",
    "kind_designation": "designation",
    "seats": "Seats to fill",
    "elected": "Elected",
    "election_round": "Round {n}",
    "round_figures": "{candidates}; {blank} blank, {null} null, {cast} votes cast",
    "round_absolute": "absolute majority {needed}",
    "round_relative": "relative majority",
    "round_elected": "elected {names}",
    "round_by_age": "{names} the eldest on a tie",
    "round_none": "no one elected",
    "open_ballot": "open ballot decided unanimously",
    "list_posted_on": "List of deliberations posted on",
    "minutes_approved_at": "Minutes approved at",
    "minutes_online_on": "Minutes online on",
    "session_irregular": "IRREGULAR: a rule was overridden in this session",
    "session_status_planned": "planned",
    "session_status_convened": "convened",
    "session_status_open": "open",
    "session_status_quorum_failed": "quorum not reached",
    "session_status_adjourned": "adjourned (urgency refused)",
    "session_status_reconvened": "convened again",
    "session_status_closed": "closed",
    "session_status_imported": "imported",
    "proxies_title": "Proxies recorded for {council}",
    "giver": "Giver",
    "holder": "Holder",
    "written_on": "Dated",
    "sessions_covered": "Sessions covered",
    # due
    "due_title": "What is due, overdue first",
    "due_nothing": "Nothing due.",
    "due_due": "Due",
    "due_days": "Days",
    "due_what": "What",
    "due_subject": "Act / session",
    "due_overdue": "OVERDUE",
    "due_deadline": "to do",
    "due_window": "window open",
    "due_ready": "possible from",
    "due_pending": "to do, no legal delay",
    # the clerk's conventions
    "use_set": "Default council: {council} (stored in {path}).",
    "use_current": "Default council: {council}.",
    "use_none": "No default council: `delib use COUNCIL` chooses one.",
    "use_cleared": "No default council any more.",
    "confirm_remove": "Take {act} off the agenda? This cannot be undone.",
    "confirm_withdraw": "Withdraw {act}? This cannot be undone.",
    "confirm_choices": "[y/N]",
    "cancelled": "Cancelled; nothing was written.",
    "sessions_title": "Sessions of {council}",
    "no_sessions": "No session.",
    "items": "Items",
    "place": "Place",
    "batch_done": "{act}: {from_state} → {to_state}",
    "batch_refused": "{act}: refused — {reason}",
    "batch_skipped": "{act}: nothing to do ({state})",
    "remedy_convocation": Plural(
        "The convocation had to be sent by {last} at the latest ({required} clear day); sent as it was, "
        "the session can be held from {earliest}; or convene under urgency (--urgent).",
        "The convocation had to be sent by {last} at the latest ({required} clear days); sent as it was, "
        "the session can be held from {earliest}; or convene under urgency (--urgent).",
        n="required",
    ),
    "remedy_second_convocation": Plural(
        "The second meeting can be held from {earliest} ({required} clear day).",
        "The second meeting can be held from {earliest} ({required} clear days).",
        n="required",
    ),
    "remedy_quorum_open": "Without quorum the council cannot deliberate: record the meeting with "
    "--record-quorum-failure, then convene it again (delib session reconvene SESSION --on DATE --date NEW_DATE).",
    "remedy_quorum_vote": "Without quorum this item cannot be voted: note the arrivals (--arrived NAME), "
    "or postpone it (delib act postpone ACT).",
    "remedy_not_before_session": "The earliest date for this step is the session's day, {session}.",
    "live_title": "Live sitting {session}",
    "live_quorum": "Present {present} of {in_office} in office (quorum {quorum}), {proxies} proxies:",
    "live_quorum_ok": "quorum reached.",
    "live_quorum_missing": "quorum NOT reached.",
    "live_present": "Present: {names}",
    "live_proxy": "Proxy: {giver} → {holder}",
    "live_left": "Left since the last vote: {names}",
    "live_arrived": "Arrived since the last vote: {names}",
    "live_recused": "Recused for this item: {names}",
    "live_unknown": "Unknown command '{command}': type help.",
    "live_help": "Commands: agenda | present | arrive NAME | leave NAME | recuse NAME | "
    "vote FOR AGAINST [ABSTAIN] | secret FOR AGAINST [ABSTAIN] | "
    "roll for NAME, NAME against NAME abstain NAME | postpone [SESSION] | next | item N | quit",
    "live_voted": "{act}: {state} ({for_} for, {against} against, {abstain} abstaining) — {ms} ms",
    "live_moved": "{act}: {state}",
    "live_current": "Current item: {act} — {subject}",
    "live_done": "No item left to vote on.",
    "live_prompt": "item {rank}> ",
    "live_bye": "End of the live sitting {session}; every step is in the history.",
    "batch_summary": Plural(
        "{session}: {count} act done, {refused} refused, {skipped} with nothing to do.",
        "{session}: {count} acts done, {refused} refused, {skipped} with nothing to do.",
    ),
}

# Legacy (English, French) pairs another module may still add; ``t`` reads them through the catalog
# first. ``tests/cli/test_i18n.py`` requires this to be empty once the catalog holds them.
CATALOG: dict[str, tuple[str, str]] = {}

# The command that takes each step, shown as the next step of an act (placeholders translated).
HINTS: dict[str, str] = {
    "convene": "delib session convene SESSION --on DATE",
    "open": "delib session open SESSION --secretary NAME",
    "vote": "delib act vote ACT --for N --against N --abstain N",
    "elect": "delib act elect ACT --round N --candidate NAME=VOTES",
    "post": "delib act post ACT --on DATE",
    "file": "delib act file ACT --on DATE",
    "quorum_failure": "delib session open SESSION --record-quorum-failure",
    "reconvene": "delib session reconvene SESSION --on DATE --date NEW_DATE",
    "postpone": "delib act postpone ACT --to SESSION",
    "remove": "delib act remove ACT",
    "request": "delib act request ACT --on DATE --by prefect|third-party --kind documents|gracieux",
    "answer": "delib act answer ACT --on DATE",
    "contest": "delib act contest ACT --on DATE --by prefect|third-party",
    "uphold": "delib act uphold ACT --on DATE --ruling REF",
    "annul": "delib act annul ACT --on DATE --ruling REF",
    "finalize": "delib act finalize ACT --on DATE",
    "withdraw": "delib act withdraw ACT --on DATE --grounds TEXT",
}
TRIGGER_HINTS = HINTS  # the former name

_active: list[str] = ["en"]


def detect_lang(explicit: str | None = None) -> str:
    """``fr`` for ``--lang fr…`` or a French locale, else ``en``."""
    if explicit:
        return "fr" if explicit.lower().startswith("fr") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def activate(lang: str) -> None:
    """Make ``lang`` the language of this invocation (the help and typer's own texts read it)."""
    _active[0] = lang if lang in LANGS else "en"


def active() -> str:
    return _active[0]


@lru_cache(maxsize=4)
def translation(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English is the source: no catalog)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def _(msgid: str, lang: str | None = None) -> str:
    """``msgid`` in ``lang`` (default: the active language)."""
    return translation(lang or active()).gettext(msgid)


def n_(one: str, many: str, count: int, lang: str | None = None) -> str:
    return translation(lang or active()).ngettext(one, many, count)


def p_(context: str, msgid: str, lang: str | None = None) -> str:
    return translation(lang or active()).pgettext(context, msgid)


def t(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang``, its figures formatted for the language."""
    entry = MESSAGES.get(key)
    if entry is None:
        en, fr = CATALOG[key]
        text = _(en, lang)
        entry_text = fr if (lang == "fr" and text == en) else text
    elif isinstance(entry, Plural):
        entry_text = n_(entry.one, entry.many, int(str(values.get(entry.n, 0))), lang)
    else:
        entry_text = _(entry, lang)
    return entry_text.format(**{k: number(lang, v) for k, v in values.items()})


def state_name(lang: str, state: str | None) -> str:
    return "—" if state is None else p_("state", state, lang)


def trigger_name(lang: str, trigger: str | None) -> str:
    return "—" if trigger is None else p_("trigger", trigger, lang)


def rule_name(lang: str, rule: str) -> str:
    return p_("rule", rule, lang)


def finding_kind(lang: str, kind: str) -> str:
    return p_("finding", kind, lang)


def hint(lang: str, trigger: str) -> str:
    """The command of the next step, in the language (``ACTE``, ``SÉANCE``…)."""
    return _(HINTS[trigger], lang) if trigger in HINTS else trigger


def number(lang: str, value: object) -> object:
    """An int or float formatted by Babel for the language (``3 337``, ``3,337``); others unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int) and abs(value) < 1000:
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(lang))


def day(lang: str, value: date | datetime | str | None, style: str = "full") -> str:
    """A date by Babel: ``vendredi 13 décembre 2024`` (full), ``13 déc. 2024`` (medium)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    from babel.dates import format_date

    return str(format_date(value, format=style, locale=_babel_locale(lang)))


def moment(lang: str, value: datetime | str | None) -> str:
    """A date and time by Babel, e.g. ``vendredi 13 décembre 2024 à 18:00``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    from babel.dates import format_datetime

    return str(
        format_datetime(
            value, format="EEEE d MMMM y HH:mm" if lang == "fr" else "EEEE, MMMM d, y HH:mm", locale=_babel_locale(lang)
        )
    )


def _babel_locale(lang: str) -> str:
    return "fr_FR" if lang == "fr" else "en_GB"


MESSAGES.update(
    {
        "replaced": "Replaced the existing file {path}.",
        "signed_checkpoint_written": (
            "Signed checkpoint of {origin} ({size} events) written to {path}: publish it, have it cosigned."
        ),
        "key_generated": (
            "Private key written to {path} (mode 0600; keep it secret). Above: the public key, for --trust."
        ),
        "cosigned": "Cosigned checkpoint written to {path}.",
        "proof_alone": (
            "Without --checkpoint, this proof proves nothing on its own: it only shows that its events lead "
            "to the root it carries. Compare that root with a checkpoint the council published or signed."
        ),
    }
)
