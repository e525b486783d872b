"""``delib session live SESSION``: one process for the whole meeting, for the clerk taking notes
while the council sits.

It shows the agenda, who is present, the quorum and the proxies, and takes short commands
(``aide`` lists them): arrivals and departures, recusals, the vote of the current item (counts or
roll call), postponement, next item. Each is applied through the same service and rules as the
one-shot commands (``delib act vote …``), so each is the same event; a refusal is shown in place
and the sitting goes on.

Built on prompt_toolkit: line editing, history, and completion of commands and members' names,
on a normal scrolling terminal (what the clerk already uses), started in a few milliseconds and
driven through a pseudo-terminal in the tests; a full-screen framework (Textual) would take the
screen away from the scroll-back the clerk keeps as notes. Without a terminal (a pipe), the
commands are read one a line from standard input.
"""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cli.i18n import state_name, t
from cli.render import console, report_error

# command words, French and English, → the handler's name
WORDS: dict[str, str] = {
    "aide": "help",
    "help": "help",
    "?": "help",
    "ordre": "agenda",
    "agenda": "agenda",
    "présents": "present",
    "presents": "present",
    "present": "present",
    "arrivée": "arrive",
    "arrivee": "arrive",
    "arrive": "arrive",
    "départ": "leave",
    "depart": "leave",
    "leave": "leave",
    "déport": "recuse",
    "deport": "recuse",
    "recuse": "recuse",
    "vote": "vote",
    "secret": "secret",
    "nominal": "roll_call",
    "roll": "roll_call",
    "renvoi": "postpone",
    "postpone": "postpone",
    "suivant": "next",
    "next": "next",
    "point": "goto",
    "item": "goto",
    "quitter": "quit",
    "quit": "quit",
    "exit": "quit",
}


@dataclass
class Pending:
    """What the clerk noted since the last vote: it applies to the next item voted."""

    left: list[str] = field(default_factory=list)
    arrived: list[str] = field(default_factory=list)
    recused: list[str] = field(default_factory=list)

    def clear_item(self) -> None:
        """Arrivals and departures are carried by the vote; a recusal concerns one item only."""
        self.left.clear()
        self.arrived.clear()
        self.recused.clear()


class LiveSitting:
    """The meeting as the clerk follows it: the agenda, the current item, attendance."""

    def __init__(self, sctx: Any, session_id: str, lang: str) -> None:
        self.sctx = sctx
        self.session_id = session_id
        self.lang = lang
        self.pending = Pending()
        self.current: str | None = None
        self.items: list[dict[str, Any]] = []
        self.members: list[str] = []
        self.in_office = 0
        self.attendance: dict[str, Any] = {}
        self.reload()
        self.current = self._next_open(None)

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        from workflow.service.views import live_snapshot

        snapshot = live_snapshot(self.sctx, self.session_id)
        self.items, self.members = snapshot["items"], snapshot["members"]
        self.in_office = len(self.members)
        self.attendance = snapshot["attendance"]

    def voted(self, act: Any) -> None:
        """After a vote: the item's new state and the attendance it recorded, from the act the
        vote returned (the agenda and the members in office are not read again: a vote changes
        neither)."""
        for item in self.items:
            if item["id"] == act.id:
                item["state"] = act.state
        if act.attendance:
            self.attendance = dict(act.attendance)

    def _next_open(self, after: str | None) -> str | None:
        ids = [i["id"] for i in self.items]
        start = ids.index(after) + 1 if after in ids else 0
        for item in self.items[start:]:
            if item["state"] == "in_session":
                return str(item["id"])
        return None

    def present(self) -> list[str]:
        """Who is present for the next vote: the last item's attendance and what was noted since."""
        present = [n for n in self.attendance.get("present", []) if n not in self.pending.left]
        return present + [n for n in self.pending.arrived if n not in present]

    # ------------------------------------------------------------ showing

    def show_header(self) -> None:
        self.show_agenda()
        self.show_present()

    def show_agenda(self) -> None:
        console.print(t(self.lang, "live_title", session=self.session_id), style="bold")
        for item in self.items:
            mark = "▶" if item["id"] == self.current else " "
            state = state_name(self.lang, item["state"])
            console.print(f" {mark} {item['rank']:>2}. {item['id']}  {state} — {item['subject']}", markup=False)

    def show_present(self) -> None:
        present = self.present()
        proxies = self.attendance.get("proxies") or {}
        if isinstance(proxies, list):
            proxies = dict(proxies)
        proxies = {g: h for g, h in proxies.items() if h in present}
        quorum = self.in_office // 2 + 1
        reached = len(present) >= quorum
        line = t(
            self.lang,
            "live_quorum",
            present=len(present),
            in_office=self.in_office,
            quorum=quorum,
            proxies=len(proxies),
        )
        console.print(
            line + " " + t(self.lang, "live_quorum_ok" if reached else "live_quorum_missing"),
            style="green" if reached else "bold red",
            markup=False,
        )
        console.print(t(self.lang, "live_present", names=", ".join(present) or "—"), markup=False)
        for giver, holder in proxies.items():
            console.print(t(self.lang, "live_proxy", giver=giver, holder=holder), markup=False)
        for key, names in (
            ("live_left", self.pending.left),
            ("live_arrived", self.pending.arrived),
            ("live_recused", self.pending.recused),
        ):
            if names:
                console.print(t(self.lang, key, names=", ".join(names)), style="yellow", markup=False)

    # ------------------------------------------------------------ commands

    def handle(self, line: str) -> bool:
        """Apply one command line; False when the clerk leaves."""
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        if not words:
            return True
        handler = WORDS.get(words[0].casefold())
        if handler is None:
            console.print(t(self.lang, "live_unknown", command=words[0]), style="red", markup=False)
            return True
        if handler == "quit":
            return False
        from workflow.errors import DelibError

        try:
            getattr(self, "do_" + handler)(words[1:])
        except DelibError as exc:  # refused in place; the sitting goes on
            report_error(exc, self.lang)
        return True

    def do_help(self, _: Sequence[str]) -> None:
        console.print(t(self.lang, "live_help"), markup=False)

    def do_agenda(self, _: Sequence[str]) -> None:
        self.show_agenda()

    def do_present(self, _: Sequence[str]) -> None:
        self.show_present()

    def _names(self, args: Sequence[str]) -> list[str]:
        from workflow.errors import InvalidInput
        from workflow.names import match_name

        if not args:
            raise InvalidInput("Give a member's name.", "Donnez le nom d'un membre.")
        return [match_name(name, self.members) for name in _split_names(args)]

    def do_arrive(self, args: Sequence[str]) -> None:
        for name in self._names(args):
            if name in self.pending.left:
                self.pending.left.remove(name)
            elif name not in self.pending.arrived:
                self.pending.arrived.append(name)
        self.show_present()

    def do_leave(self, args: Sequence[str]) -> None:
        for name in self._names(args):
            if name in self.pending.arrived:
                self.pending.arrived.remove(name)
            elif name not in self.pending.left:
                self.pending.left.append(name)
        self.show_present()

    def do_recuse(self, args: Sequence[str]) -> None:
        for name in self._names(args):
            if name not in self.pending.recused:
                self.pending.recused.append(name)
        self.show_present()

    def _item(self) -> str:
        from workflow.errors import InvalidInput

        if self.current is None:
            raise InvalidInput("No item left to vote on.", "Plus aucune affaire à voter.")
        return self.current

    def do_vote(self, args: Sequence[str], *, secret: bool = False, names: dict[str, list[str]] | None = None) -> None:
        counts = _counts(args)
        self._vote(counts, secret=secret, names=names or {})

    def do_secret(self, args: Sequence[str]) -> None:
        self.do_vote(args, secret=True)

    def do_roll_call(self, args: Sequence[str]) -> None:
        """``nominal pour NOM, NOM contre NOM abstention NOM``: counts follow from the names."""
        names = _roll_call(args)
        counts = (len(names["for"]), len(names["against"]), len(names["abstain"]))
        self._vote(counts, secret=False, names=names)

    def _vote(self, counts: tuple[int, int, int], *, secret: bool, names: dict[str, list[str]]) -> None:
        from workflow.service.vote import vote_act

        act_id = self._item()
        started = time.perf_counter()
        act = vote_act(
            self.sctx,
            act_id,
            for_=counts[0],
            against=counts[1],
            abstain=counts[2],
            left=self.pending.left,
            arrived=self.pending.arrived,
            recused=self.pending.recused,
            secret=secret,
            names={side: given for side, given in names.items() if given},
        )
        elapsed = (time.perf_counter() - started) * 1000
        self.pending.clear_item()
        self.voted(act)
        console.print(
            t(
                self.lang,
                "live_voted",
                act=act.id,
                state=state_name(self.lang, act.state),
                for_=counts[0],
                against=counts[1],
                abstain=counts[2],
                ms=f"{elapsed:.0f}",
            ),
            style="green",
            markup=False,
        )
        self.current = self._next_open(act_id)
        self._announce()

    def do_postpone(self, args: Sequence[str]) -> None:
        from cli.defaults import qualify
        from workflow.service.review import postpone_act

        act_id = self._item()
        target = qualify(args[0], "YYYY-MM-DD") if args else None
        act = postpone_act(self.sctx, act_id, to=target)
        self.reload()
        console.print(t(self.lang, "live_moved", act=act.id, state=state_name(self.lang, act.state)), markup=False)
        self.current = self._next_open(act_id)
        self._announce()

    def do_next(self, _: Sequence[str]) -> None:
        self.current = self._next_open(self._item())
        self._announce()

    def do_goto(self, args: Sequence[str]) -> None:
        from workflow.errors import InvalidInput

        wanted = args[0] if args else ""
        for item in self.items:
            if wanted in (str(item["rank"]), item["id"], item["id"].rpartition("/")[2]):
                self.current = item["id"]
                self._announce()
                return
        raise InvalidInput(f"No item '{wanted}' on the agenda.", f"Aucune affaire « {wanted} » à l'ordre du jour.")

    def _announce(self) -> None:
        if self.current is None:
            console.print(t(self.lang, "live_done"), style="bold", markup=False)
            return
        item = next(i for i in self.items if i["id"] == self.current)
        console.print(t(self.lang, "live_current", act=item["id"], subject=item["subject"]), style="bold", markup=False)

    def prompt(self) -> str:
        return t(self.lang, "live_prompt", rank=self._rank())

    def _rank(self) -> str:
        item = next((i for i in self.items if i["id"] == self.current), None)
        return str(item["rank"]) if item else "—"


def _split_names(args: Sequence[str]) -> list[str]:
    """``HARDY Nicole, LEBRUN Nathalie`` (or quoted names) → each name."""
    return [part.strip() for part in " ".join(args).split(",") if part.strip()]


def _counts(args: Sequence[str]) -> tuple[int, int, int]:
    from workflow.errors import InvalidInput

    try:
        numbers = [int(a) for a in args]
    except ValueError:
        numbers = []
    if len(numbers) not in (2, 3) or any(n < 0 for n in numbers):
        raise InvalidInput(
            "vote FOR AGAINST [ABSTAIN], e.g. vote 20 2 1.",
            "vote POUR CONTRE [ABSTENTIONS], ex. vote 20 2 1.",
        )
    return numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 0


SIDES = {
    "pour": "for",
    "for": "for",
    "contre": "against",
    "against": "against",
    "abstention": "abstain",
    "abstentions": "abstain",
    "abstain": "abstain",
}


def _roll_call(args: Sequence[str]) -> dict[str, list[str]]:
    from workflow.errors import InvalidInput

    names: dict[str, list[str]] = {"for": [], "against": [], "abstain": []}
    side: str | None = None
    words: list[str] = []

    def flush() -> None:
        if side is not None:
            names[side].extend(_split_names(words))

    for word in args:
        if word.casefold().rstrip(":") in SIDES:
            flush()
            side, words = SIDES[word.casefold().rstrip(":")], []
        else:
            words.append(word)
    flush()
    if side is None:
        raise InvalidInput(
            "nominal for NAME, NAME against NAME abstain NAME",
            "nominal pour NOM, NOM contre NOM abstention NOM",
        )
    return names


def lines_from(live: LiveSitting) -> Iterator[str]:
    """The clerk's lines: prompt_toolkit on a terminal, else standard input."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter

        completer = WordCompleter(sorted(set(WORDS)) + live.members, ignore_case=True, sentence=True)
        prompt_session: PromptSession[str] = PromptSession(completer=completer)
        while True:
            try:
                yield prompt_session.prompt(live.prompt())
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
    else:
        for line in sys.stdin:
            console.print(live.prompt() + line.rstrip("\n"), markup=False)
            yield line


def run(sctx: Any, session_id: str, lang: str, source: Callable[[LiveSitting], Iterator[str]] = lines_from) -> None:
    live = LiveSitting(sctx, session_id, lang)
    live.show_header()
    live._announce()
    for line in source(live):
        if not live.handle(line):
            break
    console.print(t(lang, "live_bye", session=session_id), markup=False)
