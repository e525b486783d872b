"""The default council (``delib use COUNCIL``, or ``DELIB_COUNCIL``), so that short ids work:
``delib act vote 2024121302`` is ``COUNCIL/2024121302``, ``delib session open 2024-12-13`` is
``COUNCIL/2024-12-13``. Stored in the user's configuration directory (``~/.config/delib/config.json``
on Linux; ``DELIB_CONFIG_DIR`` moves it), written atomically.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import typer

ENV_COUNCIL = "DELIB_COUNCIL"


def config_path() -> Path:
    folder = os.environ.get("DELIB_CONFIG_DIR")
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("delib", appauthor=False)
    return Path(folder) / "config.json"


def read_config() -> dict[str, Any]:
    try:
        data = json.loads(config_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_config(data: dict[str, Any]) -> Path:
    """Write the configuration atomically (a temporary file renamed over the old one)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def default_council() -> str | None:
    """``DELIB_COUNCIL``, else the council chosen with ``delib use``, else none."""
    return os.environ.get(ENV_COUNCIL) or read_config().get("council") or None


def qualify(value: str | None, shape: str) -> str | None:
    """``2024121302`` → ``wambrechies/2024121302`` with a default council; full ids unchanged."""
    if value is None or "/" in value:
        return value
    council = default_council()
    if council is None:
        from workflow.errors import InvalidInput

        raise InvalidInput(
            f"'{value}' names no council: write COUNCIL/{shape}, or choose a default council with "
            "`delib use COUNCIL` (or DELIB_COUNCIL).",
            f"« {value} » ne nomme pas d'assemblée : écrivez ASSEMBLÉE/{shape}, ou choisissez une "
            "assemblée par défaut avec `delib use ASSEMBLÉE` (ou DELIB_COUNCIL).",
        )
    return f"{council}/{value}"


def _act(value: str | None) -> str | None:
    return qualify(value, "NUMBER")


def _session(value: str | None) -> str | None:
    """A session by its date alone, ``2024-12-13`` or ``13/12/2024``, is the default council's."""
    if value is not None and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value.strip()):
        from workflow.dates import parse_date

        value = parse_date(value, "SESSION").isoformat()
    return qualify(value, "YYYY-MM-DD")


def _council(value: str | None) -> str | None:
    return value or default_council()


ACT = typer.Argument(..., metavar="ACT", callback=_act)
SESSION = typer.Argument(..., metavar="SESSION", callback=_session)
COUNCIL = typer.Argument(None, metavar="[COUNCIL]", callback=_council)


def use(
    ctx: typer.Context,
    council_id: str = typer.Argument(None, metavar="[COUNCIL]"),
    clear: bool = typer.Option(False, "--clear", help="Forget the default council."),
) -> None:
    """Choose the default council, so that acts and sessions can be named by number or date alone
    (without COUNCIL: show it). DELIB_COUNCIL, when set, wins."""
    from cli.context import options
    from cli.i18n import t
    from cli.render import console

    lang = options(ctx).lang
    data = read_config()
    if clear:
        data.pop("council", None)
        write_config(data)
        console.print(t(lang, "use_cleared"))
        return
    if council_id is None:
        current = default_council()
        console.print(t(lang, "use_current", council=current) if current else t(lang, "use_none"))
        return
    from cli.context import service_context
    from workflow.service.views import require_council

    sctx = service_context(ctx, readonly=True)
    require_council(sctx, council_id)
    data["council"] = council_id
    path = write_config(data)
    console.print(t(lang, "use_set", council=council_id, path=str(path)))
