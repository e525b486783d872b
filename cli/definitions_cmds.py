"""``delib definitions list|show``: the workflow definitions, as data."""

from __future__ import annotations

import typer

from cli.context import JSON, emit_json, options
from cli.i18n import t
from cli.render import console

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def definitions_list(ctx: typer.Context, json_: bool = JSON) -> None:
    """List the definitions shipped in definitions/."""
    from rich.table import Table

    from workflow.definition import load_all

    lang = options(ctx).lang
    defs = load_all()
    if json_:
        emit_json(
            [
                {
                    "name": d.name,
                    "title": d.title,
                    "kinds": list(d.kinds),
                    "applies_when": d.applies_when,
                    "source": d.source,
                }
                for d in defs.values()
            ]
        )
        return
    table = Table(title=t(lang, "definitions_title"), title_justify="left")
    for key in ("name", "title", "kinds"):
        table.add_column(t(lang, key))
    for d in defs.values():
        when = ", ".join(f"{k}={v}" for k, v in d.applies_when.items())
        table.add_row(d.name, d.title.get(lang, d.name), ", ".join(d.kinds) + (f" ({when})" if when else ""))
    console.print(table)


@app.command("show")
def definitions_show(ctx: typer.Context, name: str = typer.Argument(...), json_: bool = JSON) -> None:
    """Print the effective definition (after 'extends'): states, transitions, rules, parameters."""
    import yaml

    from workflow.definition import get

    data = get(name).effective()
    if json_:
        emit_json(data)
    else:
        console.print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), markup=False)
