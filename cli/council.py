"""``delib council ...`` and ``delib member ...``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.context import JSON, TEXT_LIMIT, bounded, checked_text, emit_json, options, service_context
from cli.i18n import t
from cli.render import console

app = typer.Typer(no_args_is_help=True)
member_app = typer.Typer(no_args_is_help=True)


@app.command("add")
def council_add(
    ctx: typer.Context,
    slug: str = typer.Argument(..., help="Short id of the council, e.g. 'wambrechies'."),
    name: str = typer.Option(..., "--name", callback=checked_text(), help="Official name."),
    kind: str = typer.Option("commune", "--kind", help="commune, epci, departement, region."),
    population: int = typer.Option(
        None,
        "--population",
        callback=bounded(0, 100_000_000),
        help="Population (chooses the delays; unknown: the longest).",
    ),
    largest_commune_population: int = typer.Option(
        None,
        "--largest-commune-population",
        callback=bounded(0, 100_000_000),
        help="EPCI: population of its largest member commune (chooses the convocation delay; unknown: the longest).",
    ),
    siren: str = typer.Option(None, "--siren", help="SIREN, 9 digits."),
    department: str = typer.Option(None, "--department", help="Department code, e.g. 59."),
    json_: bool = JSON,
) -> None:
    """Register a council; its workflow definition follows from its kind and population."""
    from workflow.service.setup import add_council
    from workflow.service.views import council_view

    sctx = service_context(ctx)
    council = add_council(
        sctx,
        slug,
        name=name,
        kind=kind,
        population=population,
        siren=siren,
        department=department,
        largest_commune_population=largest_commune_population,
    )
    lang = options(ctx).lang
    if json_:
        emit_json(council_view(council, measures={"largest_commune_population": largest_commune_population}))
    else:
        console.print(t(lang, "council_added", id=council.id, definition=council.definition))


@app.command("list")
def council_list(ctx: typer.Context, json_: bool = JSON) -> None:
    """List the councils."""
    from rich.table import Table

    sctx = service_context(ctx, readonly=True)
    from workflow.service.views import councils_overview

    views = councils_overview(sctx)
    if json_:
        emit_json(views)
        return
    table = Table()
    for column in ("id", "name", "kind", "population", "definition", "members_in_office"):
        table.add_column(column)
    for v in views:
        table.add_row(
            *(
                str(v[c]) if v[c] is not None else "—"
                for c in ("id", "name", "kind", "population", "definition", "members_in_office")
            )
        )
    console.print(table)


@app.command("show")
def council_show(ctx: typer.Context, council_id: str = typer.Argument(...), json_: bool = JSON) -> None:
    """Show a council and its members in office."""

    sctx = service_context(ctx, readonly=True)
    from workflow.service.views import council_overview

    view = council_overview(sctx, council_id)
    if json_:
        emit_json(view)
        return
    console.print(f"[bold]{view['name']}[/bold] ({view['id']}, {view['kind']}, {view['definition']})")
    for m in view["members"]:
        console.print(f"  {m['name']}" + (" (maire)" if m["mayor"] else ""))


@app.command("classification")
def council_classification(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    file: Path = typer.Argument(
        ..., metavar="FILE.xml", help="The prefecture's codes matières (RetourClassification)."
    ),
    json_: bool = JSON,
) -> None:
    """Load the prefecture's classification (codes matières, with its version date) for a council.

    From then on 'act add --matiere' is checked against it, a filing's classification rule reads
    it, and 'export actes' states its version date. Loading the same file again records nothing.
    """
    from workflow.service.classification import load_classification

    loaded = load_classification(service_context(ctx), council_id, file)
    if json_:
        emit_json(loaded.to_dict())
        return
    key = "classification_loaded" if loaded.recorded else "classification_unchanged"
    console.print(
        t(
            options(ctx).lang,
            key,
            council=council_id,
            date=loaded.classification.date,
            count=len(loaded.classification.matieres),
            file=loaded.file,
        ),
        markup=False,
    )


@member_app.command("add")
def member_add(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    names: list[str] = typer.Argument(
        ..., metavar="NAME...", callback=checked_text(), help='Names as in the register: "ROLLAND Thierry".'
    ),
    mayor: bool = typer.Option(False, "--mayor", help="This member is the mayor (president)."),
    deputy: int = typer.Option(
        None, "--deputy", help="This member is the N-th deputy (adjoint): presides failing the mayor."
    ),
    on: str = typer.Option(
        None, "--on", help="Installed that day (YYYY-MM-DD); without it, in office with no known start."
    ),
    born: str = typer.Option(
        None, "--born", help="Birth date of this member (YYYY-MM-DD): the eldest wins an election on a tie."
    ),
    json_: bool = JSON,
) -> None:
    """Add members in office to a council."""
    from workflow.dates import parse_date
    from workflow.service.setup import add_members

    sctx = service_context(ctx)
    since = parse_date(on, "--on") if on else None
    birth = parse_date(born, "--born") if born else None
    added = add_members(sctx, council_id, names, mayor=mayor, deputy=deputy, on=since, born=birth)
    if json_:
        emit_json([{"id": m.id, "council": m.council_id, "name": m.name, "mayor": m.is_mayor} for m in added])
    else:
        console.print(t(options(ctx).lang, "members_added", count=len(added), council=council_id))


@member_app.command("list")
def member_list(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    as_of: str = typer.Option(None, "--as-of", help="The members in office that day (YYYY-MM-DD)."),
    json_: bool = JSON,
) -> None:
    """List the members in office (--as-of DATE: the composition that day)."""
    if as_of is None:
        council_show(ctx, council_id, json_)
        return
    from workflow.dates import parse_date

    day = parse_date(as_of, "--as-of")
    sctx = service_context(ctx, readonly=True)
    from workflow.service.views import members_on

    members = [member_view(m) for m in members_on(sctx, council_id, day)]
    if json_:
        emit_json(
            {"council": council_id, "as_of": day.isoformat(), "members_in_office": len(members), "members": members}
        )
        return
    lang = options(ctx).lang
    title = (
        f"{council_id} le {day.isoformat()} : {len(members)} membre(s) en exercice"
        if lang == "fr"
        else f"{council_id} on {day.isoformat()}: {len(members)} member(s) in office"
    )
    console.print(f"[bold]{title}[/bold]")
    for m in members:
        since = f" ({'depuis le' if lang == 'fr' else 'since'} {m['since']})" if m["since"] else ""
        mayor = f" ({'maire' if lang == 'fr' else 'mayor'})" if m["mayor"] else ""
        console.print(f"  {m['name']}{mayor}{since}")


def member_view(member: Any) -> dict[str, Any]:
    """A member with their term, as ``member list --as-of`` and ``member leave`` show it."""
    since, left_on = member.since, member.left_on
    return {
        "name": member.name,
        "mayor": member.is_mayor,
        "in_office": member.in_office,
        "since": since.isoformat() if since else None,
        "left_on": left_on.isoformat() if left_on else None,
        "left_reason": member.left_reason,
    }


@member_app.command("leave")
def member_leave(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    name: str = typer.Argument(..., metavar="NAME"),
    on: str = typer.Option(..., "--on", help="Out of office from that day (YYYY-MM-DD)."),
    reason: str = typer.Option(..., "--reason", help="resignation, death or other."),
    json_: bool = JSON,
) -> None:
    """Record that a member leaves office (resignation, death...): from that day the member no
    longer counts among those in office, the base of the quorum."""
    from workflow.dates import parse_date
    from workflow.service.composition import REASONS_FR, leave_member

    sctx = service_context(ctx)
    member = leave_member(sctx, council_id, name, on=parse_date(on, "--on"), reason=reason)
    if json_:
        emit_json(member_view(member))
        return
    day = member.left_on.isoformat() if member.left_on else on
    if options(ctx).lang == "fr":
        console.print(f"{member.name} n'est plus en exercice depuis le {day} ({REASONS_FR.get(reason, reason)}).")
    else:
        console.print(f"{member.name} is out of office from {day} ({reason}).")


@app.command("edit")
def council_edit(
    ctx: typer.Context,
    slug: str = typer.Argument(..., metavar="COUNCIL"),
    name: str = typer.Option(None, "--name", help="Official name."),
    population: int = typer.Option(None, "--population", help="Population in force from --on."),
    on: str = typer.Option(None, "--on", help="In force from that day (YYYY-MM-DD; default today)."),
    siren: str = typer.Option(None, "--siren", help="SIREN, 9 digits."),
    siret: str = typer.Option(None, "--siret", help="SIRET, 14 digits (read by the SCDL export)."),
    department: str = typer.Option(None, "--department", help="Department code, e.g. 59."),
    publication: str = typer.Option(
        None,
        "--publication",
        help="posting, paper or electronic: the mode of publication a commune under 3,500 chooses "
        "by a deliberation (--by ACT), from the day it is executory; electronic until then.",
    ),
    by: str = typer.Option(None, "--by", metavar="ACT", help="The deliberation that chooses --publication."),
    json_: bool = JSON,
) -> None:
    """Change a council's name, population, SIREN, SIRET or department: an event with its legal
    date; the rules read the value in force on each step's legal date."""
    from workflow.dates import parse_date
    from workflow.service.composition import edit_council
    from workflow.service.views import council_view

    sctx = service_context(ctx)
    council = edit_council(
        sctx,
        slug,
        on=parse_date(on, "--on") if on else None,
        name=name,
        population=population,
        siren=siren,
        siret=siret,
        department=department,
        publication=publication,
        by=by,
    )
    if json_:
        emit_json({**council_view(council), "siret": council.siret})
    elif options(ctx).lang == "fr":
        console.print(f"{council.id} modifiée.")
    else:
        console.print(f"{council.id} edited.")


@member_app.command("proxy")
def member_proxy(
    ctx: typer.Context,
    council_id: str = typer.Argument(..., metavar="COUNCIL"),
    giver: str = typer.Argument(..., metavar="GIVER", help="The member who gives the proxy (absent)."),
    holder: str = typer.Option(..., "--to", help="The member who holds it (present at the session)."),
    written_on: str = typer.Option(..., "--from", help="Date the proxy is written and valid from (YYYY-MM-DD)."),
    sessions: int = typer.Option(
        1, "--sessions", callback=bounded(1, 1000), help="Consecutive sessions it covers (3 at most, except illness)."
    ),
    illness: bool = typer.Option(
        False, "--illness", help="Given for illness duly established: may cover more sessions."
    ),
    override: list[str] = typer.Option(
        [], "--override", help="Let the step through despite this rule (recorded as irregular)."
    ),
    reason: str = typer.Option(
        None,
        "--reason",
        callback=checked_text(TEXT_LIMIT, spaces_ok=True),
        help="Why the rule is overridden (required with --override).",
    ),
    json_: bool = JSON,
) -> None:
    """Record a written, dated proxy ahead of the session(s) it covers.

    `session open` applies it.
    """
    from cli.context import parse_overrides
    from workflow.dates import parse_date
    from workflow.service.proxies import record_proxy

    day = parse_date(written_on, "--from")
    sctx = service_context(ctx, overrides=parse_overrides(override, reason))
    proxy = record_proxy(sctx, council_id, giver, holder=holder, written_on=day, sessions=sessions, illness=illness)
    if json_:
        emit_json(proxy)
        return
    lang = options(ctx).lang
    console.print(
        t(
            lang,
            "proxy_recorded",
            id=proxy["id"],
            giver=proxy["giver"],
            holder=proxy["holder"],
            written_on=proxy["written_on"],
            sessions=proxy["sessions"],
            illness=t(lang, "illness") if proxy["illness"] else "",
        )
    )


@member_app.command("proxies")
def member_proxies(
    ctx: typer.Context, council_id: str = typer.Argument(..., metavar="COUNCIL"), json_: bool = JSON
) -> None:
    """The proxies recorded for a council, with the sessions each one covers."""
    from rich.table import Table

    sctx = service_context(ctx, readonly=True)
    from workflow.service.views import council_proxies

    rows = council_proxies(sctx, council_id)
    if json_:
        emit_json(rows)
        return
    lang = options(ctx).lang
    table = Table(title=t(lang, "proxies_title", council=council_id), title_justify="left")
    for key in ("#", "giver", "holder", "written_on", "sessions_covered"):
        table.add_column(key if key == "#" else t(lang, key))
    for p in rows:
        mark = " ⚠" if p["irregular"] else ""
        table.add_row(
            str(p["id"]),
            p["giver"],
            p["holder"],
            p["written_on"] + mark,
            ", ".join(p["sessions_covered"]) or "—",
        )
    console.print(table)
