"""``delib audit ...`` and ``delib act show --as-of`` on the seed deliberation, on SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date, timedelta

import pytest

from workflow.audit import merkle
from workflow.store.history import canonical_content

ACT = "exemple/2024121302"


@pytest.fixture
def seed(cli):
    cli.ok("demo")
    return cli


def history(cli) -> list[dict]:
    return cli.json("audit", "log", "--council", "exemple")


# ---------------------------------------------------------------- act show --as-of


def expected_state(day: date) -> str:
    """The seed in law: convened 29/11, session/vote/transmission 13/12, posted (executory)
    14/12."""
    if day < date(2024, 11, 29):
        return "draft"
    if day < date(2024, 12, 13):
        return "convened"
    if day < date(2024, 12, 14):
        return "filed"
    return "executory"


def test_as_of_gives_the_state_on_each_day_from_convocation_to_executory(seed):
    day = date(2024, 11, 28)
    while day <= date(2024, 12, 16):
        view = seed.json("act", "show", ACT, "--as-of", day.isoformat())
        assert (view["as_of"], view["state"]) == (day.isoformat(), expected_state(day)), day
        assert view["basis"] == "legal"
        voted = day >= date(2024, 12, 13)
        assert (view["vote"] is not None) == voted
        assert view["filed_on"] == ("2024-12-13" if voted else None)
        assert view["posted_on"] == ("2024-12-14" if day >= date(2024, 12, 14) else None)
        assert view["executory_on"] == ("2024-12-14" if day >= date(2024, 12, 14) else None)
        day += timedelta(days=1)


def test_as_of_today_is_the_act_as_it_stands(seed):
    now = seed.json("act", "show", ACT)
    replayed = seed.json("act", "show", ACT, "--as-of", "2100-01-01")
    for key, value in now.items():
        assert replayed[key] == value, key


def test_as_of_on_the_session_day_shows_the_vote_and_says_what_as_of_means(seed):
    view = seed.json("act", "show", ACT, "--as-of", "2024-12-13")
    assert view["vote"] == {"for": 20, "against": 0, "abstain": 0, "took_part": 20}
    shown = seed.ok("act", "show", ACT, "--as-of", "2024-12-13", lang="fr").stdout
    assert "au 2024-12-13" in shown and "transmis" in shown and "dates légales" in shown


def test_as_recorded_shows_what_the_register_held(seed):
    today = date.today()
    assert (
        seed.json("act", "show", ACT, "--as-of", (today + timedelta(days=1)).isoformat(), "--as-recorded")["state"]
        == "executory"
    )
    early = seed("act", "show", ACT, "--as-of", "2024-12-13", "--as-recorded")
    assert early.exit_code == 2 and "not yet recorded" in early.stderr


def test_as_of_refuses_a_malformed_date_and_an_unknown_act(seed):
    bad = seed("act", "show", ACT, "--as-of", "13.12.2024")
    assert bad.exit_code == 2 and "YYYY-MM-DD or DD/MM/YYYY" in bad.stderr
    french = seed("act", "show", ACT, "--as-of", "13/12/2024")
    assert french.exit_code == 0, french.stderr
    assert seed("act", "show", "exemple/1999", "--as-of", "2024-12-13").exit_code == 3


def test_as_of_follows_legal_dates_when_they_were_recorded_in_the_other_order(cli, db_url):
    """Posting recorded first (dated 16/12), transmission recorded after (dated 15/12)."""
    from cli.demo import load_example
    from tests.cli.audit_scenarios import carry_until_vote
    from workflow.service.publication import file_act, post_act

    ctx = carry_until_vote(db_url, load_example(), "ordre")
    post_act(ctx, "ordre/2024121302", on=date(2024, 12, 16))
    file_act(ctx, "ordre/2024121302", on=date(2024, 12, 15))
    states = {
        d: cli.json("act", "show", "ordre/2024121302", "--as-of", d)["state"]
        for d in ("2024-12-14", "2024-12-15", "2024-12-16")
    }
    assert states == {"2024-12-14": "adopted", "2024-12-15": "filed", "2024-12-16": "executory"}
    assert cli.json("act", "show", "ordre/2024121302", "--as-of", "2024-12-16")["executory_on"] == "2024-12-16"


# ---------------------------------------------------------------- verify


def test_verify_holds_on_an_untouched_log_and_says_so(seed):
    result = seed("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "verifies" in result.stdout
    data = seed.json("audit", "verify", "exemple")
    events = history(seed)
    assert data["ok"] and data["events"] == len(events) and data["acts"] == 1
    assert data["councils"][0]["head_hash"] == events[-1]["hash"]


def test_verify_an_unknown_council_is_not_found(seed):
    result = seed("audit", "verify", "nowhere")
    assert result.exit_code == 3 and "nowhere" in result.stderr


# ---------------------------------------------------------------- checkpoints and proofs


def independent_root(events: list[dict]) -> str:
    """RFC 9162 tree hash written again here, over the canonical bytes rebuilt from the export."""

    def content(e: dict) -> bytes:
        from datetime import datetime

        return canonical_content(
            council_id=e["council"],
            seq=e["seq"],
            act_id=e["act"],
            session_id=e["session"],
            trigger=e["trigger"],
            from_state=e["from_state"],
            to_state=e["to_state"],
            legal_date=date.fromisoformat(e["legal_date"]) if e["legal_date"] else None,
            recorded_at=datetime.fromisoformat(e["recorded_at"].replace("Z", "+00:00")),
            actor=e["actor"],
            facts=e["facts"],
            verdicts=e["verdicts"],
            prev_hash=e["prev_hash"],
        )

    def mth(leaves: list[bytes]) -> bytes:
        if len(leaves) == 1:
            return leaves[0]
        k = 1
        while k * 2 < len(leaves):
            k *= 2
        return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()

    leaves = [hashlib.sha256(b"\x00" + content(e)).digest() for e in events]
    for e, data in zip(events, (content(e) for e in events), strict=True):
        assert hashlib.sha256(data).hexdigest() == e["hash"]
    return mth(leaves).hex()


def test_checkpoint_certifies_count_head_and_merkle_root(seed, tmp_path):
    path = tmp_path / "cp.json"
    doc = seed.json("audit", "checkpoint", "exemple", "--output", str(path))
    assert json.loads(path.read_text("utf-8")) == doc
    events = history(seed)
    (entry,) = doc["councils"]
    assert entry["events"] == entry["head_seq"] == len(events)
    assert entry["head_hash"] == events[-1]["hash"]
    assert entry["merkle_root"] == independent_root(events)
    assert doc["taken_by"] == "clerk" and doc["seal"]
    shown = seed.ok("audit", "checkpoint", "exemple").stdout
    assert entry["merkle_root"] in shown


def add_second_act(cli) -> str:
    cli.ok("session", "add", "exemple", "--date", "2025-01-10T18:00")
    return cli.ok("act", "add", "exemple/2025-01-10", "--subject", "Budget primitif").stdout.strip()


def test_a_log_that_grew_extends_its_checkpoint(seed, tmp_path):
    path = tmp_path / "cp.json"
    seed.ok("audit", "checkpoint", "--output", str(path))
    add_second_act(seed)
    result = seed("audit", "verify", "--against", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = result.json()
    (council,) = data["checkpoint"]["councils"]
    assert council["extends"] and council["events"] > council["certified_events"]
    certified = json.loads(path.read_text("utf-8"))["councils"][0]["merkle_root"]
    proof = [bytes.fromhex(p) for p in council["consistency_proof"]]
    assert merkle.verify_consistency(
        council["certified_events"],
        council["events"],
        proof,
        bytes.fromhex(certified),
        bytes.fromhex(council["merkle_root"]),
    )
    assert "extend" in seed.ok("audit", "verify", "--against", str(path)).stdout


def test_an_altered_checkpoint_file_fails_its_seal_and_a_foreign_file_is_refused(seed, tmp_path):
    path = tmp_path / "cp.json"
    doc = seed.json("audit", "checkpoint", "--output", str(path))
    doc["councils"][0]["events"] -= 1
    path.write_text(json.dumps(doc), "utf-8")
    result = seed("audit", "verify", "--against", str(path))
    assert result.exit_code == 9 and "seal" in result.stderr
    path.write_text("{}", "utf-8")
    assert seed("audit", "verify", "--against", str(path)).exit_code == 2
    assert seed("audit", "verify", "--against", str(tmp_path / "missing.json")).exit_code == 2


def test_prove_an_act_and_check_the_proof_offline(seed, tmp_path):
    published, proof_path = tmp_path / "published.json", tmp_path / "proof.json"
    seed.ok("audit", "checkpoint", "exemple", "--output", str(published))
    added = add_second_act(seed)
    out = seed.ok("audit", "prove", ACT, "--against", str(published), "--output", str(proof_path)).stdout
    assert "proof" in out.lower()
    proof = json.loads(proof_path.read_text("utf-8"))
    acts_events = [e for e in history(seed) if e["act"] == ACT]
    assert [e["seq"] for e in proof["events"]] == [e["seq"] for e in acts_events]
    assert proof["not_covered"] == []
    checked = seed.json("audit", "verify-proof", str(proof_path), "--checkpoint", str(published))
    assert checked["ok"] and all(e["ok"] for e in checked["events"])
    # the new act's events came after the checkpoint: they cannot be proven against it
    late = seed.json("audit", "prove", added, "--against", str(published))
    assert late["events"] == [] and late["not_covered"]


def test_a_doctored_proof_does_not_hold(seed, tmp_path):
    proof_path = tmp_path / "proof.json"
    seed.ok("audit", "prove", ACT, "--output", str(proof_path))
    proof = json.loads(proof_path.read_text("utf-8"))
    vote = next(e for e in proof["events"] if '"trigger":"vote"' in e["content"])
    vote["content"] = vote["content"].replace('"for":20', '"for":12')
    proof_path.write_text(json.dumps(proof), "utf-8")
    result = seed("audit", "verify-proof", str(proof_path), "--json")
    assert result.exit_code == 9
    problems = result.json()["problems"]
    assert {p["seq"] for p in problems} == {vote["seq"]}
    assert f"#{vote['seq']}" in result.stderr


def test_a_proof_against_another_checkpoint_than_the_published_one_does_not_hold(seed, tmp_path):
    published, proof_path = tmp_path / "published.json", tmp_path / "proof.json"
    seed.ok("audit", "checkpoint", "--output", str(published))
    add_second_act(seed)
    seed.ok("audit", "prove", ACT, "--output", str(proof_path))  # against a fresh, larger tree
    result = seed("audit", "verify-proof", str(proof_path), "--checkpoint", str(published))
    assert result.exit_code == 9 and "published checkpoint" in result.stderr


# ---------------------------------------------------------------- log


def test_log_filters_by_trigger_actor_and_legal_dates(seed):
    events = history(seed)
    assert [e["seq"] for e in seed.json("audit", "log", "--trigger", "vote")] == [
        e["seq"] for e in events if e["trigger"] == "vote"
    ]
    assert seed.json("audit", "log", "--actor", "nobody") == []
    assert len(seed.json("audit", "log", "--actor", "clerk")) == len(events)
    on_the_day = seed.json("audit", "log", "--since", "2024-12-13", "--until", "2024-12-13")
    assert {e["trigger"] for e in on_the_day} >= {"open", "vote", "file"}
    assert all(e["legal_date"] == "2024-12-13" for e in on_the_day)
    today = date.today().isoformat()
    recorded_today = seed.json("audit", "log", "--since", today, "--until", today, "--recorded")
    assert len(recorded_today) == len(events)
    undated_today = seed.json("audit", "log", "--since", today)
    assert {e["legal_date"] for e in undated_today} == {None}  # set-up and creation, by recording day


def test_log_in_the_terminal_flags_overrides_and_refuses_bad_dates(seed):
    shown = seed.ok("audit", "log", "--council", "exemple").stdout
    assert "exemple#" in shown and ACT in shown
    assert seed("audit", "log", "--since", "yesterday").exit_code == 2


# ---------------------------------------------------------------- report


def irregular_act(cli) -> str:
    """Convened one day ahead (rule overridden), voted, transmitted 41 days late, never
    published."""
    act = add_second_act(cli)
    cli.ok(
        "session",
        "convene",
        "exemple/2025-01-10",
        "--on",
        "2025-01-08",
        "--override",
        "convocation_delay",
        "--reason",
        "oubli du secrétariat",
    )
    cli.ok("session", "open", "exemple/2025-01-10", "--secretary", "PROUVEUR Aurore")
    cli.ok("act", "vote", act, "--for", "15", "--against", "2", "--abstain", "3")
    cli.ok("act", "file", act, "--on", "2025-02-20")
    return act


def test_report_on_the_seed_finds_only_its_late_recording(seed):
    data = seed.json("audit", "report", "exemple")
    (entry,) = data["acts"]
    kinds = {f["kind"] for f in entry["findings"]}
    assert kinds == {"backdated"}  # the demo records in 2026 steps dated 2024
    dated = [e for e in history(seed) if e["act"] == ACT and e["legal_date"]]
    assert sorted(f["seq"] for f in entry["findings"]) == [e["seq"] for e in dated]
    assert data["chain_verified"] is True
    assert seed.json("audit", "report", "exemple", "--backdating-days", "100000")["acts"] == []


def test_report_lists_overrides_late_steps_and_acts_never_executory(seed):
    act = irregular_act(seed)
    data = seed.json("audit", "report", "exemple", "--year", "2025", "--backdating-days", "100000")
    assert data["acts_examined"] == 1
    (entry,) = data["acts"]
    assert entry["act"] == act
    by_kind = {f["kind"]: f for f in entry["findings"]}
    assert set(by_kind) == {"overridden", "late_list", "late_transmission", "not_executory"}
    assert by_kind["overridden"]["figures"]["rule"] == "convocation_delay"
    assert by_kind["overridden"]["figures"]["reason"] == "oubli du secrétariat"
    assert by_kind["late_transmission"]["figures"]["days"] == 41
    assert by_kind["late_list"]["figures"]["pending"] is True
    assert by_kind["not_executory"]["figures"]["state"] == "filed"
    assert data["summary"]["overridden"] == 1


def test_report_reads_its_thresholds_and_articles_from_the_definition(seed):
    irregular_act(seed)
    data = seed.json("audit", "report", "exemple", "--year", "2025", "--backdating-days", "100000")
    assert data["thresholds"] == {"backdating_days": 100000, "list_days": 7, "transmission_days": 15}
    (entry,) = data["acts"]
    by_kind = {f["kind"]: f["figures"] for f in entry["findings"]}
    assert (by_kind["late_list"]["limit"], by_kind["late_list"]["article"]) == (7, "CGCT art. L2121-25")
    assert (by_kind["late_transmission"]["limit"], by_kind["late_transmission"]["article"]) == (15, "CGCT art. L2131-1")
    # transmitted 41 days after the session: reported above a limit of 40, not at 41 (the auditor's)
    for limit, reported in (("40", True), ("41", False)):
        data = seed.json(
            "audit", "report", "exemple", "--year", "2025", "--backdating-days", "100000", "--transmission-days", limit
        )
        kinds = {f["kind"] for f in data["acts"][0]["findings"]}
        assert ("late_transmission" in kinds) is reported
        assert data["thresholds"]["transmission_days"] == int(limit)


@pytest.mark.parametrize(("kind", "listed"), [("commune", True), ("departement", False)])
def test_report_looks_for_a_late_list_only_where_the_definition_has_one(cli, kind, listed):
    from tests.cli.law import MEMBERS, council, sitting

    council(cli, "c", kind=kind, population=None)
    sid, (act,) = sitting(cli, "c")
    cli.ok("session", "convene", sid, "--on", "2024-11-30")
    cli.ok("session", "open", sid, "--secretary", MEMBERS[1])
    cli.ok("act", "vote", act, "--for", "20", "--against", "0")
    data = cli.json("audit", "report", "c", "--backdating-days", "100000")
    kinds = {f["kind"] for f in data["acts"][0]["findings"]}
    assert ("late_list" in kinds) is listed
    assert "late_transmission" in kinds  # never transmitted: both definitions have the step
    assert data["thresholds"]["list_days"] == (7 if listed else None)
    fr = cli.ok("audit", "report", "c", "--backdating-days", "100000", "--format", "md", lang="fr").stdout
    assert ("la liste des délibérations doit être affichée et mise en ligne sous une semaine" in fr) is listed


def test_report_as_markdown_and_as_a_table(seed):
    irregular_act(seed)
    md = seed.ok("audit", "report", "exemple", "--year", "2025", "--format", "md", lang="fr").stdout
    assert md.startswith("# Rapport d’audit: exemple — 2025")
    assert "**overridden**" in md and "convocation_delay" in md
    table = seed.ok("audit", "report", "exemple", "--year", "2025").stdout
    assert "late_transmission" in table and "overridden" in table
    assert seed("audit", "report", "--format", "pdf").exit_code == 2


# ---------------------------------------------------------------- export


def test_export_streams_every_event_as_jsonl_json_and_csv(seed, tmp_path):
    events = history(seed)
    lines = seed.ok("audit", "export").stdout.splitlines()
    assert [json.loads(line)["hash"] for line in lines] == [e["hash"] for e in events]
    assert json.loads(seed.ok("audit", "export", "--json").stdout) == [json.loads(line) for line in lines]
    rows = list(csv.DictReader(io.StringIO(seed.ok("audit", "export", "--format", "csv").stdout)))
    assert [r["hash"] for r in rows] == [e["hash"] for e in events]
    assert json.loads(rows[-1]["facts"]) == events[-1]["facts"]
    out = tmp_path / "events.jsonl"
    seed.ok("audit", "export", "--council", "exemple", "--output", str(out))
    assert out.read_text("utf-8").splitlines() == lines


def test_export_filters_by_council_and_date(seed):
    assert seed.ok("audit", "export", "--council", "nowhere").stdout == ""
    since = [json.loads(x) for x in seed.ok("audit", "export", "--since", "2024-12-14").stdout.splitlines()]
    assert {e["trigger"] for e in since if e["legal_date"]} == {"post"}
    assert seed("audit", "export", "--format", "xml").exit_code == 2


# ---------------------------------------------------------------- read-only


def test_every_audit_command_opens_the_database_read_only(seed, tmp_path, monkeypatch):
    from workflow.store import database

    opened = []
    real = database.open_store

    def spy(db=None, *, readonly=False, **kwargs):
        opened.append(readonly)
        return real(db, readonly=readonly, **kwargs)

    monkeypatch.setattr(database, "open_store", spy)
    cp = tmp_path / "cp.json"
    commands = [
        ("audit", "verify"),
        ("audit", "checkpoint", "--output", str(cp)),
        ("audit", "verify", "--against", str(cp)),
        ("audit", "prove", ACT),
        ("audit", "log"),
        ("audit", "report"),
        ("audit", "export"),
        ("act", "show", ACT, "--as-of", "2024-12-13"),
    ]
    for command in commands:
        seed.ok(*command)
    assert opened == [True] * len(commands)


def test_a_read_only_store_cannot_write(seed, db_url):
    from sqlalchemy import exc

    from workflow.errors import StoreError
    from workflow.service.chain import append_event, new_step
    from workflow.service.context import Context
    from workflow.store.database import open_store

    store = open_store(db_url, readonly=True)
    before = len(history(seed))
    with pytest.raises((StoreError, exc.DBAPIError)), store.session() as session:
        append_event(
            session,
            Context(store=store, actor="auditor"),
            new_step(Context(store=store, actor="auditor"), "exemple", trigger="member_add"),
        )
        session.commit()
    store.dispose()
    assert len(history(seed)) == before
    assert seed("audit", "verify").exit_code == 0


def test_report_uses_the_posted_list_of_deliberations_when_the_log_holds_it(seed):
    seed.ok(
        "session",
        "list-posted",
        "exemple/2024-12-13",
        "--on",
        "2024-12-30",
        "--override",
        "list_posted_within",
        "--reason",
        "affichage tardif",
    )
    data = seed.json("audit", "report", "exemple", "--backdating-days", "100000")
    (entry,) = data["acts"]
    late = [f for f in entry["findings"] if f["kind"] == "late_list"]
    assert [(f["figures"]["days"], f["legal_date"]) for f in late] == [(17, "2024-12-30")]
    assert "list of deliberations posted" in late[0]["messages"]["en"]
    assert seed("audit", "verify").exit_code == 0  # a session step keeps the chain and the act whole
