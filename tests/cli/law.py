"""Shared set-up for the tests of issue 3 through the CLI (tests/cli/test_law_*.py)."""

from __future__ import annotations

from typing import Any

MEMBERS = [f"ELU{i:02d} Prénom" for i in range(1, 21)]  # 20 in office; ELU01 is the mayor
MAYOR = MEMBERS[0]


def council(
    cli: Any,
    slug: str = "ville",
    kind: str = "commune",
    population: str | None = "1200",
    members: list[str] = MEMBERS,
    extra: tuple[str, ...] = (),
) -> str:
    pop = ["--population", population] if population is not None else []
    cli.ok("council", "add", slug, "--name", slug.title(), "--kind", kind, *pop, *extra)
    cli.ok("member", "add", slug, members[0], "--mayor")
    cli.ok("member", "add", slug, *members[1:])
    return slug


def sitting(cli: Any, slug: str = "ville", day: str = "2024-12-13", acts: int = 1) -> tuple[str, list[str]]:
    """A planned session with ``acts`` acts on its agenda."""
    sid = cli.json("session", "add", slug, "--date", f"{day}T18:00")["id"]
    ids = [cli.json("act", "add", sid, "--subject", f"Objet {i + 1}")["id"] for i in range(acts)]
    return sid, ids


def convened(
    cli: Any, slug: str = "ville", day: str = "2024-12-13", on: str = "2024-12-02", acts: int = 1
) -> tuple[str, list[str]]:
    sid, ids = sitting(cli, slug, day, acts)
    cli.ok("session", "convene", sid, "--on", on)
    return sid, ids


def opened(
    cli: Any,
    slug: str = "ville",
    day: str = "2024-12-13",
    acts: int = 1,
    args: tuple[str, ...] = (),
) -> tuple[str, list[str]]:
    sid, ids = convened(cli, slug, day, acts=acts)
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1], *args)
    return sid, ids


def absent(*names: str) -> list[str]:
    return [arg for name in names for arg in ("--absent", name)]


def snapshot(cli: Any, acts: list[str]) -> list[tuple[Any, Any]]:
    """Each act as shown and its history: what a refusal must leave unchanged."""
    return [(cli.json("act", "show", a), cli.json("act", "history", a)) for a in acts]


def refused(
    cli: Any,
    args: tuple[str, ...] | list[str],
    rule: str,
    article: str,
    en: list[str],
    fr: list[str],
    acts: list[str] = (),
    session: str | None = None,
) -> None:
    """The step is refused (exit 4) in English and in French, naming the rule, the article and
    the figures, and nothing changed: the acts' state and history, the session."""
    before = snapshot(cli, list(acts))
    before_session = cli.json("session", "show", session) if session else None
    for lang, texts, nothing in (
        ("en", en, "Nothing was written"),
        ("fr", fr, "Rien n'a été enregistré"),
    ):
        result = cli(*args, lang=lang)
        assert result.exit_code == 4, result.output
        said = " ".join(result.stderr.split())  # rich wraps long lines
        from cli.i18n import rule_name

        assert f"[{rule_name(lang, rule)}, {article}]" in said, said  # the rule named in the language
        for text in [*texts, nothing]:
            assert text in said, said
    assert snapshot(cli, list(acts)) == before
    if session:
        assert cli.json("session", "show", session) == before_session


def last_event(cli: Any, act: str) -> dict:
    return cli.json("act", "history", act)[-1]


def verdict(event: dict, rule: str) -> dict:
    return next(v for v in event["verdicts"] if v["rule"] == rule)
