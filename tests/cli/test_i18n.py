"""Translations through gettext catalogs, dates and numbers through Babel (issue 13, item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli import catalog
from cli.i18n import CATALOG, LOCALE_DIR, day, number, state_name, t


def test_the_french_catalog_translates_every_message():
    """Help texts, typer's and click's own texts, messages, states, triggers, rule names, findings."""
    lacking = catalog.missing("fr")
    assert lacking == [], "untranslated: " + "; ".join(repr(m.msgid) for m in lacking[:10])
    assert CATALOG == {}, "legacy (en, fr) pairs belong in the catalog: run python -m cli.catalog"


def test_the_shipped_mo_is_compiled_from_the_po():
    mo = LOCALE_DIR / "fr" / "LC_MESSAGES" / "delib.mo"
    assert mo.read_bytes() == catalog.compiled("fr"), "run python -m cli.catalog to recompile"


def test_a_message_missing_from_the_catalog_is_reported(monkeypatch):
    from cli import i18n

    monkeypatch.setitem(i18n.MESSAGES, "not_translated", "A message nobody translated.")
    assert [m.msgid for m in catalog.missing("fr")] == ["A message nobody translated."]


def test_plurals_follow_the_language():
    assert t("fr", "convened", count=1, session="s") == "1 acte convoqué pour la séance s."
    assert t("fr", "convened", count=2, session="s") == "2 actes convoqués pour la séance s."
    assert t("en", "convened", count=1, session="s") == "1 act convened for s."
    assert t("en", "convened", count=0, session="s") == "0 acts convened for s."
    assert t("fr", "convened", count=0, session="s").startswith("0 acte convoqué")  # French: 0 is singular


def test_dates_and_numbers_by_babel():
    assert day("fr", "2024-12-13") == "vendredi 13 décembre 2024"
    assert day("en", "2024-12-13") == "Friday, 13 December 2024"
    assert number("fr", 3337).replace("\u202f", " ") == "3 337"
    assert number("en", 3337) == "3,337"
    figures = {"file": "f", "rows": 100000, "imported": 1, "skipped": 0, "refused": 0, "warnings": 0, "blank": 0}
    rate = t("fr", "import_summary", **figures, seconds=2, rate=3337)
    assert "100 000 lignes" in rate.replace("\u202f", " ") and "3 337 lignes/s" in rate.replace("\u202f", " ")


def test_states_and_rules_read_in_either_language():
    from cli.i18n import rule_name, trigger_name

    assert state_name("fr", "executory") == "exécutoire" and state_name("en", "executory") == "executory"
    assert rule_name("fr", "convocation_delay") == "délai de convocation"
    assert trigger_name("fr", "file") == "transmission"


def test_help_and_typer_texts_in_french(cli):
    shown = cli("act", "vote", "--help", lang="fr").stdout
    assert "Syntaxe : delib act vote [OPTIONS] ACTE" in " ".join(shown.split()).replace("{ACTE}", "ACTE")
    assert "Voix pour." in shown and "Affiche cette aide et quitte." in shown
    assert "Show this message" not in shown and "<str>" not in shown and "<bool>" not in shown
    missing = cli("act", "vote", lang="fr")
    assert missing.exit_code == 2 and "Argument 'ACTE' manquant." in missing.stderr
    bad = cli("act", "vote", "x/1", "--for", "beaucoup", lang="fr")
    assert bad.exit_code == 2 and "Valeur invalide pour '--for' : nombre entier attendu" in " ".join(bad.stderr.split())
    unknown = cli("act", "vote", "x/1", "--pour", "3", lang="fr")
    assert "Option inconnue : --pour" in unknown.stderr


def test_root_help_in_french_from_the_locale(db_url):
    from typer.testing import CliRunner

    from cli.main import app

    env = {"COLUMNS": "100", "LANG": "fr_FR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    shown = CliRunner().invoke(app, ["--help"], env=env).stdout
    assert "les délibérations des assemblées locales" in shown and "Commandes" in shown
    english = CliRunner().invoke(app, ["--help"], env={**env, "LANG": "en_GB.UTF-8"}).stdout
    assert "the deliberations of French local councils" in english


def test_version(cli):
    from importlib.metadata import version

    assert cli.ok("--version").stdout.strip() == f"délib {version('delib')}"


def test_the_installed_command_speaks_french():
    """The real entry point (not in-process): the compiled catalog is found next to the package."""
    env = {**os.environ, "LANG": "fr_FR.UTF-8", "COLUMNS": "100"}
    env.pop("LC_ALL", None)
    shown = subprocess.run(
        [sys.executable, "-m", "cli.main", "session", "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "Séances : créer, convoquer, ouvrir." in shown or "Syntaxe" in shown
    assert Path(catalog.po_path("fr")).exists()
