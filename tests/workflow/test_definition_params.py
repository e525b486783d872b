"""The law's parameters live in the definitions and are validated on load (issue 10, item 4).

A rule's parameters (each tier) and a deadline's are checked against their typed models when a
definition is loaded: a wrong type, a misspelt key or a missing article is a load error naming the
file and the key (exit 6), never an error at the first convocation.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.cli.law import MEMBERS, council, sitting
from workflow import definition as definitions
from workflow.definition import DEADLINE_STEPS, get, load_all
from workflow.errors import DefinitionError
from workflow.rules import RULES

SHIPPED = Path(definitions.__file__).resolve().parent.parent / "definitions"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    shutil.copy(SHIPPED / "commune.yaml", tmp_path / "commune.yaml")
    load_all.cache_clear()
    yield tmp_path
    load_all.cache_clear()


def child(folder: Path, body: str) -> None:
    (folder / "bad.yaml").write_text("name: bad\nextends: commune\nkinds: [bad]\n" + body, encoding="utf-8")


def refused(folder: Path) -> tuple[str, str]:
    load_all.cache_clear()
    with pytest.raises(DefinitionError) as error:
        load_all(str(folder))
    assert error.value.exit_code == 6
    return error.value.message("en"), error.value.message("fr")


CONVOCATION_THREE = """parameters:
  convocation:
    - when: {population_below: 3500}
      min_clear_days: three
      urgent_min_clear_days: 1
      article: CGCT art. L2121-11
    - {min_clear_days: 5, urgent_min_clear_days: 1, article: CGCT art. L2121-12}
"""


def test_a_word_for_a_number_of_days_is_a_load_error_naming_the_file_and_the_key(folder):
    child(folder, CONVOCATION_THREE)
    en, fr = refused(folder)
    assert en.startswith("Definition bad.yaml is invalid: parameter 'convocation' (tier 1)")
    assert "key 'min_clear_days'" in en and "valid integer" in en and "'three'" in en
    assert "rule 'convocation_delay'" in en
    assert fr.startswith("La définition bad.yaml est invalide : le paramètre « convocation » (palier 1)")
    assert "clé « min_clear_days » : un nombre entier est attendu" in fr


def test_the_cli_reports_a_broken_definition_with_exit_6_and_writes_nothing(folder, cli, monkeypatch):
    child(folder, CONVOCATION_THREE)
    monkeypatch.setattr(definitions, "_definitions_dir", lambda: folder)
    load_all.cache_clear()
    listed = cli("definitions", "list")
    assert listed.exit_code == 6
    assert "bad.yaml" in listed.stderr and "min_clear_days" in listed.stderr
    assert "Traceback" not in listed.output
    added = cli("council", "add", "v", "--name", "V", "--kind", "commune", "--population", "100")
    assert added.exit_code == 6 and "bad.yaml" in added.stderr


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a misspelt key of a named parameter
            "parameters:\n  proxies: {max_per_holder: 1, max_consecutive_sessions: 3,"
            " illness_exception: true, article: A, max_per_holdr: 2}\n",
            "parameter 'proxies' has key 'max_per_holdr' that no rule or deadline using it reads",
        ),
        (  # a misspelt key given to one rule
            "steps:\n  proxy: [{proxy_duration: {max_consecutive_session: 3, illness_exception: true, article: A}}]\n",
            "rule 'proxy_duration' of step 'proxy' has unknown parameter 'max_consecutive_session'",
        ),
        (  # no article for a rule: every article is the definition's
            "rules:\n  not_in_future: null\n",
            "rule 'not_in_future' is missing parameter 'article'",
        ),
        (  # a boolean that is not one
            "parameters:\n  proxies: {max_per_holder: 1, max_consecutive_sessions: 3,"
            " illness_exception: sometimes, article: A}\n",
            "key 'illness_exception'",
        ),
        (  # a mode of publication the rule does not know
            "parameters:\n  publication: {modes: [pigeon], article: A}\n",
            "parameter 'publication' (for rule 'publication_mode' of transition 'post'), key 'modes.0'",
        ),
        (  # a delay of a deadline
            "parameters:\n  list_of_deliberations: {max_days: seven, article: A}\n",
            "key 'max_days'",
        ),
        (  # a window's months
            "parameters:\n  review:\n    prefect: {months: two, article: A, not_subject_article: B}\n"
            "    appeal: {months: 2, article: C}\n    implicit_rejection: {months: 2, article: D}\n",
            "key 'prefect.months'",
        ),
        (  # an unknown deadline
            "deadlines:\n  tea_time: {article: A}\n",
            "deadlines has unknown deadline 'tea_time'",
        ),
        (  # a misspelt key of the documents of the séance
            "parameters:\n  documents: {agenda_article: A, synthesis_not: true}\n",
            "key 'synthesis_not'",
        ),
        (  # the documents of the séance without the agenda's article
            "parameters:\n  documents: {synthesis_note: true}\n",
            "'agenda_article'",
        ),
        (  # an unknown rule in rules:
            "rules:\n  no_such_rule: {article: A}\n",
            "rules names unknown rule 'no_such_rule'",
        ),
    ],
)
def test_broken_parameters_are_load_errors(folder, body, expected):
    child(folder, body)
    en, fr = refused(folder)
    assert en.startswith("Definition bad.yaml is invalid: ") and fr.startswith("La définition bad.yaml est invalide : ")
    assert expected in en


@pytest.mark.parametrize("name", ["commune", "epci", "departement", "region"])
@pytest.mark.parametrize("population", [None, 100, 10_000])
def test_every_rule_of_every_shipped_definition_has_its_article_from_the_definition(name, population):
    definition = get(name)
    refs = [r for t in definition.transitions for r in t.rules] + [r for rs in definition.steps.values() for r in rs]
    for ref in refs:
        params = RULES[ref.name].params(definition.rule_params(ref, population))
        assert articles(params.model_dump()), (name, ref.name)


def articles(data: object) -> list[str]:
    """Every ``article`` in nested parameters (the windows and the bases of withdrawal nest)."""
    if isinstance(data, dict):
        return [v for k, v in data.items() if k.endswith("article") and v] + [
            a for v in data.values() for a in articles(v)
        ]
    return []


def test_deadlines_come_from_the_definition_and_follow_its_steps():
    commune, departement, epci = (get(n).deadline_law(1000) for n in ("commune", "departement", "epci"))
    assert commune.list_of_deliberations is not None
    assert (commune.list_of_deliberations.max_days, commune.list_of_deliberations.article) == (7, "CGCT art. L2121-25")
    assert epci.list_of_deliberations is not None and "L5211-1" in epci.list_of_deliberations.article
    assert departement.list_of_deliberations is None  # no list_posted step: no deadline (L2121-25)
    assert departement.minutes is not None and departement.minutes.article == "CGCT art. L3121-13"
    assert departement.publication is not None and departement.publication.article == "CGCT art. L2131-1"
    assert commune.review is not None and commune.review.prefect.months == 2
    assert "list_of_deliberations" not in get("departement").effective()["deadlines"]
    assert DEADLINE_STEPS["list_of_deliberations"] == "list_posted"


def test_a_definition_may_change_a_delay_and_delib_due_follows(folder):
    child(folder, "parameters:\n  list_of_deliberations: {max_days: 3, article: Loi X art. 1}\n")
    load_all.cache_clear()
    law = load_all(str(folder))["bad"].deadline_law(100)
    assert law.list_of_deliberations is not None
    assert (law.list_of_deliberations.max_days, law.list_of_deliberations.article) == (3, "Loi X art. 1")


# ---------------------------------------------------------------- delib due by kind


def voted(cli, slug: str, kind: str, convened_on: str) -> str:
    council(cli, slug, kind=kind, population="5000")
    sid, acts = sitting(cli, slug)
    cli.ok("session", "convene", sid, "--on", convened_on)
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", acts[0], "--for", "20", "--against", "0")
    return sid


def test_delib_due_lists_no_list_of_deliberations_for_a_departement(cli):
    departement = voted(cli, "cd", "departement", "2024-11-30")  # 12 clear days (L3121-19)
    commune = voted(cli, "ville", "commune", "2024-12-02")
    items = cli.json("due", "--today", "2024-12-30")
    listed = {(i["subject"], i["what"]): i for i in items}
    assert (commune, "list_of_deliberations") in listed
    assert listed[(commune, "list_of_deliberations")]["overdue"] is True
    assert listed[(commune, "list_of_deliberations")]["article"] == "CGCT art. L2121-25"
    assert not [i for i in items if i["subject"] == departement and i["what"] == "list_of_deliberations"]
    assert not [i for i in items if i["council"] == "cd" and "L2121-25" in i["article"]]
    assert listed[(departement, "minutes_approval")]["article"] == "CGCT art. L3121-13"
    text = cli.ok("due", "cd", "--today", "2024-12-30").stdout
    assert "L2121-25" not in text and "OVERDUE" not in text


def test_the_calendar_holds_what_delib_due_lists_from_the_same_snapshots(cli, tmp_path):
    from icalendar import Calendar

    departement = voted(cli, "cd", "departement", "2024-11-30")
    sitting(cli, "cd", day="2099-01-15")  # planned: the last day to convene (12 clear days)
    out = tmp_path / "cd.ics"
    cli.ok("export", "ics", "cd", "-o", str(out))
    events = {str(e["uid"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    dated = {f"{i['what']}-{i['subject'].replace('/', '_')}@delib" for i in cli.json("due", "cd") if i["due"]}
    deadlines = {uid for uid in events if not uid.startswith(("session-", "convocation-"))}
    assert deadlines == dated and dated
    assert f"list_of_deliberations-{departement.replace('/', '_')}@delib" not in events
    convocation = events["convocation-cd_2099-01-15@delib"]
    assert convocation.decoded("dtstart") == date(2099, 1, 2) and "L3121-19" in str(convocation["description"])
