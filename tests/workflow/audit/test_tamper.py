"""sqlite only: tampering with the SQLite file directly (the append-only triggers dropped first),
then ``delib audit verify`` must name the exact event (council + seq) and the kind of break.

PostgreSQL is skipped here only because these tests edit the SQLite file itself; verify, log,
report and export run on both databases in tests/cli/test_audit.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC

import pytest

from workflow.store.history import GENESIS, canonical_content, event_hash

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("DELIB_TEST_DB", "sqlite") != "sqlite", reason="sqlite only: edits the SQLite file"
    ),
    pytest.mark.rows_tampered,  # every test here edits the database behind délib's back
]

ACT = "exemple/2024121302"
COLUMNS = (
    "council_id",
    "seq",
    "act_id",
    "session_id",
    "trigger",
    "from_state",
    "to_state",
    "legal_date",
    "recorded_at",
    "actor",
    "facts",
    "verdicts",
    "prev_hash",
)


@pytest.fixture
def seed(cli):
    cli.ok("demo")
    return cli


def raw(cli) -> sqlite3.Connection:
    con = sqlite3.connect(cli.db_url.removeprefix("sqlite:///"))
    con.row_factory = sqlite3.Row
    con.execute("DROP TRIGGER IF EXISTS event_no_update")
    con.execute("DROP TRIGGER IF EXISTS event_no_delete")
    return con


def seq_of(con, trigger: str) -> int:
    return con.execute("SELECT seq FROM event WHERE council_id = 'exemple' AND trigger = ?", (trigger,)).fetchone()[0]


def head(con) -> int:
    return con.execute("SELECT max(seq) FROM event WHERE council_id = 'exemple'").fetchone()[0]


def first_break(cli, *args: str) -> dict:
    result = cli("audit", "verify", *args, "--json")
    assert result.exit_code == 9, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is False
    finding = data["findings"][0]
    where = f"exemple#{finding['seq']}"
    assert where in result.stderr.replace("\n", "")  # the one-paragraph error names it too
    return finding


def forge(con, base_seq: int, **changes) -> dict:
    """A copy of event ``base_seq`` with ``changes``, its hash computed as délib would."""
    row = dict(con.execute("SELECT * FROM event WHERE council_id = 'exemple' AND seq = ?", (base_seq,)).fetchone())
    return forge_with(con, {**row, **changes})


def insert(con, row: dict) -> None:
    names = [*COLUMNS, "hash"]
    con.execute(
        f"INSERT INTO event ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [row[n] if not isinstance(row[n], dict | list) else json.dumps(row[n]) for n in names],
    )


def shift(con, after: int, by: int) -> None:
    """Renumber the events after ``after`` by ``by`` (in two steps: (council, seq) is unique)."""
    con.execute("UPDATE event SET seq = seq + 100000 WHERE council_id = 'exemple' AND seq > ?", (after,))
    con.execute(
        "UPDATE event SET seq = seq - 100000 + ? WHERE council_id = 'exemple' AND seq > 100000",
        (by,),
    )


def swap(con, a: int, b: int) -> None:
    con.execute("UPDATE event SET seq = -1 WHERE council_id = 'exemple' AND seq = ?", (a,))
    con.execute("UPDATE event SET seq = ? WHERE council_id = 'exemple' AND seq = ?", (a, b))
    con.execute("UPDATE event SET seq = ? WHERE council_id = 'exemple' AND seq = -1", (b,))


def test_an_untouched_log_verifies(seed):
    result = seed("audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    data = result.json()
    con = raw(seed)
    assert data["ok"] is True and data["findings"] == []
    assert data["events"] == con.execute("SELECT count(*) FROM event").fetchone()[0]
    assert data["acts"] == 1
    council = data["councils"][0]
    assert council["head_seq"] == head(con)
    assert council["head_hash"] == con.execute("SELECT hash FROM event WHERE seq = ?", (head(con),)).fetchone()[0]


def test_an_edited_actor_is_named_with_its_original_value(seed):
    with raw(seed) as con:
        vote = seq_of(con, "vote")
        con.execute("UPDATE event SET actor = 'mallory' WHERE seq = ?", (vote,))
    found = first_break(seed)
    assert (found["kind"], found["council"], found["seq"], found["field"]) == (
        "edited",
        "exemple",
        vote,
        "actor",
    )
    assert found["figures"] == {"was": "clerk", "now": "mallory"}
    assert found["act"] == ACT


def test_a_backdated_legal_date_is_named(seed):
    with raw(seed) as con:
        filed = seq_of(con, "file")
        con.execute("UPDATE event SET legal_date = '2024-12-10' WHERE seq = ?", (filed,))
    found = first_break(seed)
    assert (found["kind"], found["seq"], found["field"]) == ("edited", filed, "legal_date")
    assert found["figures"] == {"was": "2024-12-13", "now": "2024-12-10"}


def test_edited_vote_figures_are_caught_even_when_the_field_cannot_be_rebuilt(seed):
    with raw(seed) as con:
        vote = seq_of(con, "vote")
        con.execute("UPDATE event SET facts = json_set(facts, '$.vote.for', 11) WHERE seq = ?", (vote,))
    found = first_break(seed)
    assert (found["kind"], found["seq"], found["field"]) == ("edited", vote, None)
    assert "verdicts" in found["messages"]["en"]


def test_an_edited_hash_column_is_named(seed):
    with raw(seed) as con:
        opened = seq_of(con, "open")
        con.execute("UPDATE event SET hash = ? WHERE seq = ?", ("f" * 64, opened))
    found = first_break(seed)
    assert (found["kind"], found["seq"], found["field"]) == ("edited", opened, "hash")


def test_a_deleted_event_is_named(seed):
    with raw(seed) as con:
        opened = seq_of(con, "open")
        con.execute("DELETE FROM event WHERE seq = ?", (opened,))
    found = first_break(seed)
    assert (found["kind"], found["council"], found["seq"]) == ("deleted", "exemple", opened)
    assert found["figures"]["missing"] == [opened]


def test_a_deleted_event_is_named_even_when_the_next_ones_were_renumbered(seed):
    with raw(seed) as con:
        opened = seq_of(con, "open")
        con.execute("DELETE FROM event WHERE seq = ?", (opened,))
        shift(con, opened, -1)
    found = first_break(seed)
    assert (found["kind"], found["seq"]) == ("deleted", opened)
    assert found["figures"] == {"written_as": opened + 1, "now_at": opened}


def test_deleting_the_newest_event_shows_in_the_act_and_against_a_checkpoint(seed, tmp_path):
    before = tmp_path / "checkpoint.json"
    seed.ok("audit", "checkpoint", "exemple", "--output", str(before))
    with raw(seed) as con:
        posted, filed = seq_of(con, "post"), seq_of(con, "file")
        con.execute("DELETE FROM event WHERE seq = ?", (posted,))
    found = first_break(seed)
    assert (found["kind"], found["act"], found["seq"], found["field"]) == (
        "act_mismatch",
        ACT,
        filed,
        "version",
    )
    against = first_break(seed, "--against", str(before))
    data = json.loads(seed("audit", "verify", "--against", str(before), "--json").stdout)
    checkpoint = [f for f in data["findings"] if f["kind"] == "checkpoint"]
    assert [(f["council"], f["seq"]) for f in checkpoint] == [("exemple", posted)]
    assert against["kind"] == "act_mismatch"


def test_an_event_inserted_in_the_middle_is_named(seed):
    with raw(seed) as con:
        vote = seq_of(con, "vote")
        forged = forge(con, vote, actor="mallory", seq=vote + 1)
        forged["prev_hash"] = con.execute("SELECT hash FROM event WHERE seq = ?", (vote,)).fetchone()[0]
        forged = forge_with(con, forged)
        shift(con, vote, 1)
        insert(con, forged)
    found = first_break(seed)
    assert (found["kind"], found["council"], found["seq"]) == ("inserted", "exemple", vote + 1)


def rewrite_chain_from_the_vote(con, actor: str = "mallory") -> int:
    """The insider's consistent rewrite: the vote's actor changed, and the hash of every event from
    the vote to the head recomputed, each chained to the one before; the vote's ``seq``."""
    vote = seq_of(con, "vote")
    prev = con.execute("SELECT hash FROM event WHERE seq = ?", (vote - 1,)).fetchone()[0]
    for seq in range(vote, head(con) + 1):
        row = dict(con.execute("SELECT * FROM event WHERE seq = ?", (seq,)).fetchone())
        row = forge_with(con, {**row, "prev_hash": prev, "actor": actor if seq == vote else row["actor"]})
        con.execute(
            "UPDATE event SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (row["actor"], row["prev_hash"], row["hash"], seq),
        )
        prev = row["hash"]
    return vote


def forge_with(con, row: dict) -> dict:
    """Recompute the hash of an already modified row."""
    from datetime import date, datetime

    fields = {k: row[k] for k in COLUMNS}
    fields["facts"], fields["verdicts"] = (
        json.loads(fields["facts"]),
        json.loads(fields["verdicts"]),
    )
    fields["legal_date"] = date.fromisoformat(fields["legal_date"]) if fields["legal_date"] else None
    fields["recorded_at"] = datetime.fromisoformat(row["recorded_at"]).replace(tzinfo=UTC)
    return {**row, "hash": event_hash(canonical_content(**fields))}


def test_a_forged_step_appended_with_a_valid_chain_shows_in_the_act(seed):
    with raw(seed) as con:
        last = head(con)
        tip = con.execute("SELECT hash FROM event WHERE seq = ?", (last,)).fetchone()[0]
        forged = forge(
            con,
            last,
            seq=last + 1,
            prev_hash=tip,
            trigger="withdraw",
            from_state="executory",
            to_state="withdrawn",
            verdicts="[]",
        )
        insert(con, forged)
    found = first_break(seed)
    assert (found["kind"], found["act"], found["seq"]) == ("act_mismatch", ACT, last + 1)
    assert found["figures"]["beyond_version"] is True


def test_an_appended_event_with_a_made_up_hash_is_named_inserted(seed):
    with raw(seed) as con:
        last = head(con)
        row = dict(con.execute("SELECT * FROM event WHERE seq = ?", (last,)).fetchone())
        row.update(seq=last + 1, hash="a" * 64, prev_hash=row["hash"])
        insert(con, row)
    found = first_break(seed)
    assert (found["kind"], found["seq"]) == ("inserted", last + 1)


def test_two_swapped_events_are_named_reordered(seed):
    with raw(seed) as con:
        vote, filed = seq_of(con, "vote"), seq_of(con, "file")
        swap(con, vote, filed)
    found = first_break(seed)
    assert (found["kind"], found["council"], found["seq"]) == ("reordered", "exemple", vote)
    assert found["figures"] == {"written_as": filed, "now_at": vote}


def test_distant_swapped_events_are_named_reordered(seed):
    with raw(seed) as con:
        convened, posted = seq_of(con, "convene"), seq_of(con, "post")
        swap(con, convened, posted)
    found = first_break(seed)
    assert (found["kind"], found["seq"]) == ("reordered", convened)
    assert found["figures"]["written_as"] == posted


def test_an_event_moved_out_of_place_is_named(seed):
    with raw(seed) as con:
        opened = seq_of(con, "open")
        con.execute("UPDATE event SET seq = 500 WHERE seq = ?", (opened,))
    found = first_break(seed)
    assert (found["kind"], found["seq"]) == ("reordered", opened)
    assert found["figures"]["now_at"] == 500


def test_an_act_row_edited_behind_the_log_is_caught(seed):
    with raw(seed) as con:
        con.execute("UPDATE act SET state = 'filed' WHERE id = ?", (ACT,))
        posted = seq_of(con, "post")
    found = first_break(seed)
    assert (found["kind"], found["act"], found["field"], found["seq"]) == (
        "act_mismatch",
        ACT,
        "state",
        posted,
    )
    assert found["figures"] == {"act": "filed", "replay": "executory"}


def test_a_whole_rewritten_chain_verifies_alone_but_not_against_a_checkpoint(seed, tmp_path):
    published = tmp_path / "published.json"
    seed.ok("audit", "checkpoint", "--output", str(published))
    with raw(seed) as con:
        vote = rewrite_chain_from_the_vote(con)
    assert seed("audit", "verify").exit_code == 0  # consistent by itself: only a checkpoint tells
    found = first_break(seed, "--against", str(published))
    assert found["kind"] == "checkpoint"
    first, last = found["figures"]["range"]
    assert first <= vote <= last and found["seq"] == first


def test_genesis_is_required_for_the_first_event(seed):
    with raw(seed) as con:
        con.execute("UPDATE event SET prev_hash = ? WHERE seq = 1", ("1" * 64,))
    found = first_break(seed)
    assert (found["kind"], found["seq"], found["field"]) == ("edited", 1, "prev_hash")
    assert found["figures"]["was"] == GENESIS
