"""typer's and click's own texts in the language of the invocation, through délib's catalog.

typer writes its panel titles ("Options", "Arguments"…) as module constants and click writes its
usage errors as plain English sentences; both are given here as gettext ``msgid`` s, so that the
catalog holds their French. :func:`localize` is called once per invocation, before parsing, by
the root group: it sets the constants, the help texts of every command and option (their English
is kept as the ``msgid``), and hides typer's ``<str>``/``<bool>`` type column (a metavar shows
instead, when an option has one). :func:`localize_error` rewrites a usage error in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from cli.i18n import _

# typer.rich_utils constants and the English they hold.
RICH_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
USAGE_PREFIX = "Usage: "

# Usage errors as typer and click word them; {name} stands for any text. {message} is translated too.
CLICK_MESSAGES = (
    "Missing command.",
    "Missing argument {name}.",
    "Missing option {name}.",
    "Missing parameter: {name}",
    "No such option: {name} (Possible options: {options})",
    "No such option: {name}",
    "No such command {name}. Did you mean {suggestions}?",
    "No such command {name}.",
    "Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})",
    "Invalid value for {param}: {message}",
    "Invalid value: {message}",
    "Value {value} is not a valid {type}.",
    "Option {name} does not take a value.",
    "Option {name} requires an argument.",
    "Option {name} requires {count} arguments.",
    "{value} is not one of {choices}.",
    "Aborted!",
    "Input should be a valid integer, unable to parse string as an integer",
    "Input should be a valid integer",
    "Input should be a valid number, unable to parse string as a number",
)
HELP_OPTION = "Show this message and exit."
METAVARS = ("[OPTIONS]", "COMMAND [ARGS]...")


def localize(root: Any) -> None:
    """Put typer's constants and every help text of the command tree in the active language."""
    _typer_constants()
    for command in _walk(root):
        _translate_attr(command, "help")
        _translate_attr(command, "short_help")
        _translate_attr(command, "options_metavar")
        _translate_attr(command, "subcommand_metavar")
        for param in command.params:
            _translate_attr(param, "help")
            _translate_attr(param, "metavar")


def _walk(command: Any) -> Iterator[Any]:
    yield command
    for sub in (getattr(command, "commands", None) or {}).values():
        yield from _walk(sub)


def help_texts(root: Any) -> Iterator[str]:
    """Every English help text of the tree (for the catalog)."""
    for command in _walk(root):
        for owner in (command, *command.params):
            for attr in ("help", "short_help", "metavar"):
                text = getattr(owner, f"_delib_{attr}", None) or getattr(owner, attr, None)
                if isinstance(text, str) and text.strip():
                    yield text


def _translate_attr(owner: Any, attr: str) -> None:
    original = getattr(owner, f"_delib_{attr}", None)
    if original is None:
        original = getattr(owner, attr, None)
        if not isinstance(original, str) or not original.strip():
            return
        setattr(owner, f"_delib_{attr}", original)
    setattr(owner, attr, _(original))


def _typer_constants() -> None:
    try:
        from typer import core, rich_utils
    except ImportError:  # pragma: no cover - typer without rich
        return
    for name, english in RICH_CONSTANTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, _(english))
    core._ = _  # type: ignore[attr-defined,assignment]  # typer's "Missing command.", "(dynamic)"…
    _patch_once()


@lru_cache(maxsize=1)
def _patch_once() -> None:
    """The usage prefix, and no type column in the help (the metavar, when given, shows instead)."""
    from typer import core

    formatting = getattr(getattr(core, "_click", None), "formatting", None)
    formatter = getattr(formatting, "HelpFormatter", None)
    if formatter is not None:
        write_usage = formatter.write_usage

        def localized_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, _(USAGE_PREFIX) if prefix is None else prefix)

        formatter.write_usage = localized_usage
    command_cls = getattr(getattr(core, "_click", None), "core", None)
    command_cls = getattr(command_cls, "Command", None)
    if command_cls is not None and hasattr(command_cls, "get_help_option"):
        get_help_option = command_cls.get_help_option

        def localized_help_option(self: Any, ctx: Any) -> Any:
            option = get_help_option(self, ctx)
            if option is not None:
                option.help = _(HELP_OPTION)
            return option

        command_cls.get_help_option = localized_help_option
    for cls_name in ("TyperOption", "TyperArgument"):
        cls = getattr(core, cls_name, None)
        if cls is not None and hasattr(cls, "display_type_rich"):
            cls.display_type_rich = _metavar_only


def _metavar_only(self: Any, ctx: Any) -> str | None:
    metavar = getattr(self, "metavar", None)
    if metavar and getattr(self, "param_type_name", "") == "option":
        return str(metavar)
    return None


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for template in CLICK_MESSAGES:
        parts = re.split(r"(\{[a-z_]+\})", template)
        regex = "".join(f"(?P<{p[1:-1]}>.+?)" if p.startswith("{") else re.escape(p) for p in parts)
        compiled.append((re.compile(regex + r"\Z", re.S), template))
    return tuple(compiled)


def translate_message(text: str) -> str:
    """An English usage error of typer or click in the active language (unchanged if unknown)."""
    for pattern, template in _patterns():
        match = pattern.match(text)
        if match:
            values = match.groupdict()
            if "message" in values:
                values["message"] = translate_message(values["message"])
            return _(template).format(**values)
    return text


def localize_error(exc: Any) -> None:
    """Rewrite a click ``UsageError`` (its message and how it formats) in the active language."""
    if getattr(exc, "_delib_localized", False):
        return
    text = translate_message(exc.format_message())
    exc.format_message = lambda: text
    exc.message = text
    exc._delib_localized = True


def usage_error_class() -> type[Exception]:
    """click's ``UsageError`` (vendored by recent typer, from click for older ones)."""
    import typer

    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "UsageError":
            return cls
    return typer.BadParameter  # pragma: no cover
