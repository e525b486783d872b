"""``delib act ...``, ``delib status`` and ``delib demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.context import (
    JSON,
    OVERRIDE,
    REASON,
    TEXT_LIMIT,
    VOTES_MAX,
    bounded,
    checked_text,
    emit_json,
    emit_json_stream,
    options,
    parse_overrides,
    read_context,
    service_context,
)
from cli.defaults import ACT, COUNCIL, SESSION
from cli.i18n import t
from cli.render import act_panel, console, history_timeline, show_long, status_lines, status_table

app = typer.Typer(no_args_is_help=True)


def _print_act(ctx: typer.Context, view: dict, json_: bool) -> None:
    """The act as JSON, or as a panel."""
    if json_:
        emit_json(view)
        return
    lang = options(ctx).lang
    console.print(act_panel(view, lang))


@app.command("add")
def act_add(
    ctx: typer.Context,
    session_id: str = SESSION,
    subject: str = typer.Option(
        ..., "--subject", callback=checked_text(TEXT_LIMIT, spaces_ok=True), help="Subject (objet) of the deliberation."
    ),
    matiere: str = typer.Option(None, "--matiere", help="Matière code of the @CTES classification, e.g. 8.9."),
    number: str = typer.Option(
        None, "--number", help="Act number (default: session date + next rank); unique, without gap."
    ),
    nature: str = typer.Option("DE", "--nature", help="Nature code (DE délibération)."),
    kind: str = typer.Option(
        "deliberation",
        "--kind",
        help="deliberation; compte-administratif: the council elects its president for the item, "
        "the mayor withdraws at the vote, adopted unless a majority votes against; election or "
        "designation: an appointment by ballot, round by round (act elect).",
    ),
    seats: int = typer.Option(
        None, "--seats", callback=bounded(1, VOTES_MAX), help="An appointment: the number of seats to fill (default 1)."
    ),
    corrects: str = typer.Option(
        None, "--corrects", metavar="ACT", help="A délibération rectificative: the voted act it corrects."
    ),
    text: Path = typer.Option(None, "--text", metavar="FILE.md", help="The draft's text (Markdown, UTF-8)."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Put an act on a session's agenda; prints its id (COUNCIL/NUMBER)."""
    from workflow.classification import check_nature
    from workflow.service.documents import read_file
    from workflow.service.setup import add_act
    from workflow.service.views import act_view

    nature = check_nature(nature)  # the ACTES natures; the matière is checked against the council's tree
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    content = read_file(text, text=True) if text is not None else None
    act = add_act(
        sctx,
        session_id,
        subject=subject,
        matiere=matiere,
        number=number,
        nature=nature,
        kind=kind,
        corrects=corrects,
        text=content,
        seats=seats,
    )
    if json_:
        emit_json(act_view(act))
    else:
        console.print(act.id)


@app.command("vote")
def act_vote(
    ctx: typer.Context,
    act_id: str = ACT,
    for_: int = typer.Option(..., "--for", callback=bounded(-VOTES_MAX, VOTES_MAX), help="Votes for."),
    against: int = typer.Option(..., "--against", callback=bounded(-VOTES_MAX, VOTES_MAX), help="Votes against."),
    abstain: int = typer.Option(0, "--abstain", callback=bounded(-VOTES_MAX, VOTES_MAX), help="Abstentions."),
    blank: int = typer.Option(
        0, "--blank", callback=bounded(-VOTES_MAX, VOTES_MAX), help="Blank or null ballots (not votes cast)."
    ),
    left: list[str] = typer.Option(
        [], "--left", help="A member who left before this item (repeat); stays gone until --arrived."
    ),
    arrived: list[str] = typer.Option([], "--arrived", help="A member who arrived before this item (repeat)."),
    recused: list[str] = typer.Option(
        [], "--recused", help="A member who does not take part in this item (conflict of interest)."
    ),
    secret: bool = typer.Option(False, "--secret", help="Secret ballot (a tie rejects)."),
    president_voted: str = typer.Option(
        None,
        "--president-voted",
        help="for|against|abstain: the president's side on a public tie "
        "(his vote decides; abstaining, the tie rejects).",
    ),
    president: str = typer.Option(
        None,
        "--president",
        help="The member who presides this item (default: the session's president), "
        "e.g. elected for the compte administratif.",
    ),
    for_names: list[str] = typer.Option([], "--for-names", help="Roll call: a member who voted for (repeat)."),
    against_names: list[str] = typer.Option(
        [], "--against-names", help="Roll call: a member who voted against (repeat)."
    ),
    abstain_names: list[str] = typer.Option([], "--abstain-names", help="Roll call: a member who abstained (repeat)."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Record the vote on an item: quorum at the item, counts that add up, the outcome.

    Attendance starts from the previous item's (the opening's for the first item): give only
    who left or arrived since. A roll call (--for-names/--against-names/--abstain-names) must
    match the counts and name only members taking part in the item.
    """
    from workflow.errors import InvalidInput
    from workflow.service.views import act_view
    from workflow.service.vote import vote_act

    if president_voted not in (None, "for", "against", "abstain"):
        raise InvalidInput(
            "--president-voted takes 'for', 'against' or 'abstain'.",
            "--president-voted prend « for », « against » ou « abstain ».",
        )
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    names = {"for": for_names, "against": against_names, "abstain": abstain_names}
    act = vote_act(
        sctx,
        act_id,
        for_=for_,
        against=against,
        abstain=abstain,
        blank=blank,
        left=left,
        arrived=arrived,
        recused=recused,
        secret=secret,
        president_voted=president_voted,
        names={side: given for side, given in names.items() if given},
        president=president,
    )
    _print_act(ctx, act_view(act), json_)


def _pairs(given: list[str], option: str, what: tuple[str, str]) -> list[tuple[str, str]]:
    """``NAME=VALUE`` options as pairs (the value after the last ``=``)."""
    from workflow.errors import InvalidInput

    pairs = []
    for item in given:
        name, sep, value = item.rpartition("=")
        if not sep or not name.strip() or not value.strip():
            raise InvalidInput(
                f"{option} takes NAME={what[0]}, not '{item}'.",
                f"{option} prend NOM={what[1]}, pas « {item} ».",
            )
        pairs.append((name.strip(), value.strip()))
    return pairs


@app.command("elect")
def act_elect(
    ctx: typer.Context,
    act_id: str = ACT,
    round_: int = typer.Option(..., "--round", callback=bounded(1, 99), help="The round of ballot: 1, 2 or 3."),
    candidate: list[str] = typer.Option(
        ..., "--candidate", help='A candidate and the votes obtained, "NAME=VOTES" (repeat).'
    ),
    blank: int = typer.Option(0, "--blank", callback=bounded(-VOTES_MAX, VOTES_MAX), help="Blank ballots."),
    null: int = typer.Option(0, "--null", callback=bounded(-VOTES_MAX, VOTES_MAX), help="Null (spoilt) ballots."),
    ballots: int = typer.Option(
        None,
        "--ballots",
        callback=bounded(-VOTES_MAX, VOTES_MAX),
        help="Ballots in the urn (default: the votes + blank + null; required for several seats).",
    ),
    born: list[str] = typer.Option(
        [], "--born", help='A candidate\'s birth date, "NAME=YYYY-MM-DD" (repeat): the eldest wins a tie.'
    ),
    open_ballot: bool = typer.Option(
        False, "--open-ballot", help="The council decided unanimously not to vote by secret ballot."
    ),
    open_ballot_dissent: int = typer.Option(
        0,
        "--open-ballot-dissent",
        callback=bounded(0, VOTES_MAX),
        help="With --open-ballot: the members who did not agree to it (unanimity is needed).",
    ),
    left: list[str] = typer.Option([], "--left", help="A member who left before this round (repeat)."),
    arrived: list[str] = typer.Option([], "--arrived", help="A member who arrived before this round (repeat)."),
    recused: list[str] = typer.Option([], "--recused", help="A member who does not take part in this item."),
    president: str = typer.Option(None, "--president", help="The member who presides this item."),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Record one round of an appointment or an election: candidates and their votes, blank and
    null ballots. Absolute majority of the votes cast at rounds 1 and 2, relative at round 3;
    on a tie the eldest is elected. A round that elects no one leaves the item for the next."""
    from workflow.dates import parse_date
    from workflow.errors import InvalidInput
    from workflow.service.election import elect_act
    from workflow.service.views import act_view

    candidates = []
    for name, votes in _pairs(candidate, "--candidate", ("VOTES", "VOIX")):
        try:
            candidates.append((name, int(votes)))
        except ValueError:
            raise InvalidInput(
                f"--candidate {name}={votes}: the votes are a whole number.",
                f"--candidate {name}={votes} : les voix sont un nombre entier.",
            ) from None
    births = {name: parse_date(day, "--born") for name, day in _pairs(born, "--born", ("YYYY-MM-DD", "AAAA-MM-JJ"))}
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    act = elect_act(
        sctx,
        act_id,
        round_number=round_,
        candidates=candidates,
        blank=blank,
        null=null,
        ballots=ballots,
        born=births,
        open_ballot=open_ballot,
        dissent=open_ballot_dissent,
        left=left,
        arrived=arrived,
        recused=recused,
        president=president,
    )
    _print_act(ctx, act_view(act), json_)


@app.command("post")
def act_post(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(..., "--on", help="Date of publication (posting or online), YYYY-MM-DD."),
    mode: str = typer.Option(
        "electronic",
        "--mode",
        help="electronic, posting or paper (among the modes the council's definition allows).",
    ),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Publication: posted (affichage) or put online; executory if already transmitted."""
    from workflow.dates import parse_date
    from workflow.errors import InvalidInput
    from workflow.service.publication import post_act
    from workflow.service.views import act_view

    if mode not in ("electronic", "posting", "paper"):
        raise InvalidInput(
            f"--mode takes electronic, posting or paper, not '{mode}'.",
            f"--mode prend electronic, posting ou paper, pas « {mode} ».",
        )
    day = parse_date(on, "--on")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    _print_act(ctx, act_view(post_act(sctx, act_id, on=day, mode=mode)), json_)


@app.command("file")
def act_file(
    ctx: typer.Context,
    act_id: str = ACT,
    on: str = typer.Option(None, "--on", help="Date of the prefecture's acknowledgement, YYYY-MM-DD."),
    ack: str = typer.Option(None, "--ack", callback=checked_text(), help="@CTES acknowledgement identifier."),
    ar: Path = typer.Option(
        None,
        "--ar",
        help="The prefecture's acknowledgement (ARActe XML, as S²LOW or Pastell hand it): "
        "gives the identifier and the date of receipt; its SHA-256 is kept in the event.",
    ),
    override: list[str] = OVERRIDE,
    reason: str = REASON,
    json_: bool = JSON,
) -> None:
    """Transmission to the prefecture (contrôle de légalité); executory if already published.

    Give --on (and --ack) as the acknowledgement reads, or --ar FILE.xml to read both from it.
    """
    from workflow.dates import parse_date
    from workflow.errors import InvalidInput
    from workflow.service.publication import file_act

    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    if ar is not None:
        from workflow.formats.aracte import read_ar
        from workflow.service.acknowledgement import file_from_ar

        acknowledgement = read_ar(ar)
        _same_as_ar(on, ack, acknowledgement)
        act = file_from_ar(sctx, act_id, acknowledgement)
    elif on is None:
        raise InvalidInput(
            "Give the date of the acknowledgement with --on YYYY-MM-DD, or its file with --ar FILE.xml.",
            "Donnez la date de l'accusé de réception avec --on AAAA-MM-JJ, ou son fichier avec --ar FICHIER.xml.",
        )
    else:
        act = file_act(sctx, act_id, on=parse_date(on, "--on"), ack=ack)
    from workflow.service.views import act_overview

    view = act_overview(sctx, act.id, transmission=True)  # the @CTES identifier, when dept + SIREN are known
    _print_act(ctx, view, json_)
    if view["transmission_id"] and not json_:
        console.print(f"@CTES: {view['transmission_id']}")


def _same_as_ar(on: str | None, ack: str | None, acknowledgement: Any) -> None:
    """--on and --ack beside --ar must say what the file says."""
    from workflow.dates import parse_date
    from workflow.errors import InvalidInput

    if on is not None and parse_date(on, "--on") != acknowledgement.received_on:
        raise InvalidInput(
            f"--on {on} is not the date of receipt of {acknowledgement.file} ({acknowledgement.received_on}).",
            f"--on {on} n'est pas la date de réception de {acknowledgement.file} ({acknowledgement.received_on}).",
        )
    if ack is not None and ack.strip() != str(acknowledgement.id):
        raise InvalidInput(
            f"--ack {ack} is not the identifier of {acknowledgement.file} ({acknowledgement.id}).",
            f"--ack {ack} n'est pas l'identifiant de {acknowledgement.file} ({acknowledgement.id}).",
        )


@app.command("show")
def act_show(
    ctx: typer.Context,
    act_id: str = ACT,
    as_of: str = typer.Option(
        None,
        "--as-of",
        help="The act as it stood at the end of this day (YYYY-MM-DD), "
        "replayed from its events: the steps whose LEGAL date is on or before that day "
        "have happened, whenever they were recorded; before its first dated step it is a draft.",
    ),
    as_recorded: bool = typer.Option(
        False,
        "--as-recorded",
        help="With --as-of: what the register showed that day "
        "(the steps recorded by its end), rather than the legal dates.",
    ),
    json_: bool = JSON,
) -> None:
    """Show an act: number, subject, state, vote, dates (--as-of DATE: as it stood that day)."""

    from workflow.dates import parse_date
    from workflow.service.views import act_overview_with_links

    day = parse_date(as_of, "--as-of") if as_of is not None else None
    sctx = read_context(ctx) if day is None else service_context(ctx, readonly=True)
    view = act_overview_with_links(sctx, act_id, as_of=day, basis="recorded" if as_recorded else "legal")
    if as_of is not None and not json_:
        from cli.render import as_of_panel

        console.print(as_of_panel(view, options(ctx).lang))
        return
    _print_act(ctx, view, json_)


@app.command("text")
def act_text(
    ctx: typer.Context,
    act_id: str = ACT,
    file: Path = typer.Argument(..., metavar="FILE.md", help="The new version of the draft's text."),
    json_: bool = JSON,
) -> None:
    """Record a new version of the draft's text (before the vote; frozen once voted)."""
    from workflow.service.documents import set_text
    from workflow.service.views import act_view

    _print_act(ctx, act_view(set_text(service_context(ctx), act_id, file)), json_)


@app.command("attach")
def act_attach(
    ctx: typer.Context,
    act_id: str = ACT,
    file: Path = typer.Argument(..., metavar="FILE"),
    title: str = typer.Option(None, "--title", help="The annex's title (default: the file name)."),
    json_: bool = JSON,
) -> None:
    """Attach an annex to an act (before the vote); its SHA-256 goes into the history."""
    from workflow.service.documents import attach
    from workflow.service.views import act_view

    _print_act(ctx, act_view(attach(service_context(ctx), act_id, file, title=title)), json_)


@app.command("correct")
def act_correct(
    ctx: typer.Context,
    act_id: str = ACT,
    reason: str = typer.Option(..., "--reason", help="What was mistyped (kept in the history)."),
    on: str = typer.Option(None, "--on", help="Legal date of the correction (YYYY-MM-DD; default today)."),
    for_: int = typer.Option(None, "--for", help="Corrected votes for."),
    against: int = typer.Option(None, "--against", help="Corrected votes against."),
    abstain: int = typer.Option(None, "--abstain", help="Corrected abstentions."),
    blank: int = typer.Option(None, "--blank", help="Corrected blank or spoilt ballots."),
    subject: str = typer.Option(None, "--subject", help="Corrected subject (objet)."),
    present: list[str] = typer.Option([], "--present", help="A member in fact present at the item (repeat)."),
    absent: list[str] = typer.Option([], "--absent", help="A member in fact absent at the item (repeat)."),
    proxy: list[str] = typer.Option(
        [], "--proxy", help='"GIVER=HOLDER": in fact absent, represented by HOLDER (repeat).'
    ),
    json_: bool = JSON,
) -> None:
    """Rectify a transcription error in an act's figures, subject or attendance: a new event that
    supersedes them (the original stays in the history); the vote's rules are checked on the
    corrected facts (quorum, proxies, votes against those who took part)."""
    from cli.session import _proxy_pairs
    from workflow.dates import parse_date
    from workflow.service.corrections import correct_act
    from workflow.service.views import act_view

    sctx = service_context(ctx)
    act = correct_act(
        sctx,
        act_id,
        reason=reason,
        on=parse_date(on, "--on") if on else None,
        for_=for_,
        against=against,
        abstain=abstain,
        blank=blank,
        subject=subject,
        present=present,
        absent=absent,
        proxies=_proxy_pairs(proxy),
    )
    _print_act(ctx, act_view(act), json_)


@app.command("history")
def act_history(
    ctx: typer.Context,
    act_id: str = ACT,
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Every rule's verdict and when each step was recorded."
    ),
    json_: bool = JSON,
) -> None:
    """The act's history, oldest first: legal date, recorded at, actor, transition, verdicts."""

    sctx = service_context(ctx, readonly=True)
    from workflow.service.views import act_history

    events = act_history(sctx, act_id)
    if json_:
        emit_json(events)
    else:
        lang = options(ctx).lang
        console.print(history_timeline(events, lang, t(lang, "history_of", id=act_id), verbose=verbose))


# Not yet executory, and still going somewhere (neither rejected, removed, withdrawn nor annulled).
PENDING_STATES = ("draft", "convened", "in_session", "adopted", "posted", "filed", "postponed")


def status(
    ctx: typer.Context,
    council_id: str = COUNCIL,
    state: list[str] = typer.Option([], "--state", help="Only the acts in this state (repeat)."),
    pending: bool = typer.Option(False, "--pending", help="Only the acts not yet executory (nor closed)."),
    year: int = typer.Option(None, "--year", help="Only the acts of that year's sessions."),
    json_: bool = JSON,
) -> None:
    """Every act with its state and its next step (the default council's, if one is chosen).

    On a terminal, a table (in a pager when longer than the screen); piped, one plain line an act:
    id, state, next steps, subject, separated by tabs."""
    from workflow.service.views import status_stream

    sctx = read_context(ctx)
    rows = (
        row
        for row in status_stream(sctx, council_id, brief=not json_)
        if (not state or row["state"] in state)
        and (not pending or row["state"] in PENDING_STATES)
        and (year is None or row["session"].rpartition("/")[2][:4] == str(year))
    )
    lang = options(ctx).lang
    if json_:
        emit_json_stream(rows)
    elif not show_long(rows, lambda screen: status_table(screen, lang), lambda rest: status_lines(rest, lang)):
        console.print(t(lang, "no_acts"))


def demo(ctx: typer.Context, json_: bool = JSON) -> None:
    """Build the example council of 13/12/2024 and carry its act to executory."""
    from cli.demo import run_demo

    run_demo(ctx, json_)


def register_top_level(root: typer.Typer) -> None:
    root.command("status")(status)
    root.command("demo")(demo)
