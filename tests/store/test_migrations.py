"""Migrations: the models match the migrated schema; old databases are upgraded and lose nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, select

from workflow.errors import StoreError
from workflow.service.context import Context
from workflow.service.setup import add_council
from workflow.store import schema
from workflow.store.database import open_store
from workflow.store.history import GENESIS, canonical_content, content_of, event_hash
from workflow.store.models import Council, Event


def said(text: str) -> str:
    """The message as one line (the terminal wraps it)."""
    return " ".join(text.split())


def build_at(db_url: str, revision: str) -> None:
    """A database migrated only up to ``revision`` (what an older délib left behind)."""
    store = open_store(db_url, check=False)
    with store.engine.connect() as connection, connection.begin():
        command.upgrade(schema.alembic_config(connection), revision)
    store.dispose()


def test_models_match_the_migrated_schema(db_url):
    """Fails when a column is added to the models without a migration: write the revision."""
    store = open_store(db_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    store.dispose()
    assert differences == [], (
        f"the models differ from the migrated schema: {differences}. Write a revision: "
        "python -c \"from workflow.store.autogenerate import autogenerate; autogenerate('what changed')\""
    )


def test_a_new_database_is_created_at_head(db_url, cli):
    if db_url.startswith("sqlite"):
        missing = cli("db", "current")
        assert missing.exit_code == 7 and "There is no délib database" in said(missing.stderr)
    else:
        assert cli.json("db", "current") | {"database": None} == {
            "database": None,
            "dialect": "postgresql",
            "current": None,
            "head": schema.head(),
            "up_to_date": False,
        }
    cli.ok("council", "add", "ville", "--name", "Ville", "--population", "1200")
    current = cli.json("db", "current")
    assert current["current"] == current["head"] == schema.head()
    assert current["up_to_date"] is True
    upgraded = cli.json("db", "upgrade")
    assert upgraded["previous"] == upgraded["current"] == schema.head()
    assert "already at revision" in said(cli.ok("db", "upgrade").stdout)
    assert "à jour" in said(cli.ok("db", "current", lang="fr").stdout)


def test_db_upgrade_creates_the_schema(cli):
    result = cli.json("db", "upgrade")
    assert (result["previous"], result["current"], result["up_to_date"]) == (
        None,
        schema.head(),
        True,
    )
    assert cli.json("council", "list") == []


# ---------------------------------------------------------------- data written by an older schema

T0 = datetime(2024, 12, 1, 9, 30, tzinfo=UTC)


def insert(conn: Any, table: str, row: dict[str, Any]) -> None:
    """A raw ``INSERT`` naming the 0001 columns, as an older délib wrote them."""
    columns = ", ".join(row)
    values = ", ".join(f":{c}" for c in row)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


def insert_event(conn: Any, prev: str, seq: int, **fields: Any) -> str:
    row: dict[str, Any] = dict(
        council_id="ville",
        seq=seq,
        act_id=None,
        session_id=None,
        from_state=None,
        to_state=None,
        legal_date=None,
        recorded_at=T0 + timedelta(minutes=seq),
        actor="ancien",
        facts={},
        verdicts=[],
        prev_hash=prev,
    )
    row.update(fields)
    digest = event_hash(canonical_content(**row))
    as_json = {"facts": json.dumps(row["facts"]), "verdicts": json.dumps(row["verdicts"])}
    insert(conn, "event", {**row, **as_json, "hash": digest})
    return digest


SITTING, ACT = "ville/2024-12-13", "ville/2024121301"


def fill_revision_0001(db_url: str) -> None:
    """A council, 7 members, a session and an act in draft, written with the 0001 columns only."""
    store = open_store(db_url, check=False)
    council = dict(id="ville", name="Ville", kind="commune", population=1200, siren=None)
    council |= dict(department="59", definition="commune", created_at=T0)
    sitting = dict(id=SITTING, council_id="ville", held_at=datetime(2024, 12, 13, 18, 0))
    sitting |= dict(place="Mairie", status="planned", convened_on=None, urgent=False)
    sitting |= dict(attendance=None, version=1)
    act = dict(id=ACT, council_id="ville", session_id=SITTING, number="2024121301", rank=1)
    act |= dict(subject="Budget", matiere=None, nature="DE", subject_to_transmission=True)
    act |= dict(state="draft", version=1, attendance=None, vote=None, voted_on=None)
    act |= dict(posted_on=None, filed_on=None, ack=None, executory_on=None, irregular=False)
    with store.engine.connect() as conn, conn.begin():
        insert(conn, "council", council)
        for i in range(7):
            member = dict(council_id="ville", name=f"MEMBRE{i} Élu", name_key=f"membre{i} elu")
            insert(conn, "member", member | dict(is_mayor=i == 0, in_office=True))
        insert(conn, "session", sitting)
        insert(conn, "act", act)
        prev = insert_event(conn, GENESIS, 1, trigger="council_add", facts={"name": "Ville"})
        prev = insert_event(conn, prev, 2, trigger="session_add", session_id=SITTING, legal_date=date(2024, 12, 13))
        insert_event(conn, prev, 3, trigger="create", act_id=ACT, session_id=SITTING, to_state="draft")
    store.dispose()


COLUMNS_0001 = {
    "council": "id, name, kind, population, siren, department, definition, created_at",
    "member": "id, council_id, name, name_key, is_mayor, in_office",
    "session": "id, council_id, held_at, place, status, convened_on, urgent, attendance, version",
    "act": "id, council_id, session_id, number, rank, subject, matiere, nature,"
    " subject_to_transmission, state, version, attendance, vote, voted_on, posted_on,"
    " filed_on, ack, executory_on, irregular",
    "event": "id, council_id, seq, act_id, session_id, trigger, from_state, to_state, legal_date,"
    " recorded_at, actor, facts, verdicts, prev_hash, hash",
}


def dump(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn:
        rows = {
            table: [tuple(r) for r in conn.execute(text(f"SELECT {cols} FROM {table} ORDER BY id"))]
            for table, cols in COLUMNS_0001.items()
        }
    store.dispose()
    return rows


@pytest.mark.rows_tampered  # rows written by hand as revision 0001 held them
def test_upgrade_from_0001_keeps_every_row_and_the_chain_goes_on(db_url, cli):
    build_at(db_url, "0001")
    fill_revision_0001(db_url)
    before = dump(db_url)
    assert len(before["event"]) == 3 and len(before["member"]) == 7

    upgraded = cli.json("db", "upgrade")
    assert (upgraded["previous"], upgraded["current"]) == ("0001", schema.head())
    assert dump(db_url) == before

    # The service at head carries on the same chain: the old events verify, the new one links.
    cli.ok("session", "convene", "ville/2024-12-13", "--on", "2024-12-09")
    store = open_store(db_url)
    with store.session() as session:
        events = list(session.exec(select(Event).order_by(Event.seq)))
    store.dispose()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]  # the séance's convocation, then its item's
    assert all(event_hash(content_of(e)) == e.hash for e in events)
    assert events[3].prev_hash == events[2].hash and events[4].prev_hash == events[3].hash
    assert (events[3].trigger, events[3].act_id, events[3].to_state) == ("session_convene", None, "convened")
    assert (events[4].trigger, events[4].to_state) == ("convene", "convened")


@pytest.mark.rows_tampered  # rows written by hand as revision 0001 held them
def test_a_database_made_before_migrations_is_recognised(db_url, cli):
    """Tables created by the skeleton (no alembic_version) are revision 0001, unrecorded."""
    build_at(db_url, "0001")
    fill_revision_0001(db_url)
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn, conn.begin():
        conn.execute(text("DROP TABLE alembic_version"))
    store.dispose()
    before = dump(db_url)

    if db_url.startswith("sqlite"):  # automatic on SQLite, at the first writing command
        cli.ok("act", "add", "ville/2024-12-13", "--subject", "Voirie")
        assert dump(db_url)["act"][0] == before["act"][0]
        assert dump(db_url)["event"][:3] == before["event"]
    else:  # a shared PostgreSQL database waits for its administrator
        refused = cli("act", "add", "ville/2024-12-13", "--subject", "Voirie")
        assert refused.exit_code == 7, refused.output
        assert "0001 (unrecorded)" in said(refused.stderr) and "delib db upgrade" in said(refused.stderr)
        assert dump(db_url) == before
        assert cli.json("db", "current")["current"] is None
        assert cli.json("db", "upgrade")["previous"] is None
        assert dump(db_url) == before
    assert cli.json("db", "current")["current"] == schema.head()


def test_reading_a_database_not_at_head_is_refused_with_the_way_out(db_url, cli):
    build_at(db_url, "0001")
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn, conn.begin():
        conn.execute(text("DROP TABLE alembic_version"))
    store.dispose()
    with pytest.raises(StoreError) as refused:
        open_store(db_url, readonly=True)
    assert "delib db upgrade" in refused.value.message("en")
    assert "delib db upgrade" in refused.value.message("fr")
    assert "0001 (unrecorded)" in refused.value.message("en")


def test_a_database_from_a_newer_delib_is_refused(db_url, cli):
    cli.ok("council", "add", "ville", "--name", "Ville", "--population", "1200")
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn, conn.begin():
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.dispose()
    result = cli("council", "add", "autre", "--name", "Autre", "--population", "100")
    assert result.exit_code == 7, result.output
    assert "9999" in said(result.stderr) and "newer délib" in said(result.stderr)
    assert cli.json("db", "current")["current"] == "9999"


def test_a_foreign_database_is_not_touched(db_url, cli):
    store = open_store(db_url, check=False)
    with store.engine.connect() as conn, conn.begin():
        conn.execute(text("CREATE TABLE council (id VARCHAR(10) PRIMARY KEY)"))
    store.dispose()
    result = cli("db", "upgrade")
    assert result.exit_code == 7, result.output
    assert "not a délib database" in said(result.stderr)
    assert cli.json("db", "current")["current"] is None


def test_reading_an_empty_postgresql_database_says_how_to_create_it(db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("a missing SQLite file is reported as missing; covered by the CLI tests")
    with pytest.raises(StoreError) as refused:
        open_store(db_url, readonly=True)
    assert "no délib schema yet" in refused.value.message("en")
    assert "delib db upgrade" in refused.value.message("fr")


# ---------------------------------------------------------------- timestamps


def test_recording_times_come_back_timezone_aware_utc(db_url):
    paris = timezone(timedelta(hours=1))
    moment = datetime(2024, 12, 13, 19, 5, 7, 123456, tzinfo=paris)
    ctx = Context(store=open_store(db_url), actor="greffe", now=lambda: moment)
    add_council(ctx, "ville", name="Ville", kind="commune", population=1200)
    ctx.store.dispose()

    store = open_store(db_url, readonly=True)
    with store.session() as session:
        council = session.get(Council, "ville")
        event = session.exec(select(Event)).one()
    store.dispose()
    assert council is not None
    for stored in (council.created_at, event.recorded_at):
        assert stored.utcoffset() == timedelta(0)
        assert stored == moment
        assert stored.hour == 18  # 19:05 in Paris (UTC+1) is 18:05 UTC
    assert event_hash(content_of(event)) == event.hash


def test_the_head_constant_is_alembics_head():
    """``schema.HEAD`` spares read commands an Alembic import; it must name the newest revision."""
    from workflow.store import schema

    assert schema.alembic_head() == schema.HEAD


def test_reading_an_up_to_date_database_does_not_import_alembic(db_url):
    import subprocess
    import sys

    from workflow.store.database import open_store

    open_store(db_url).dispose()  # created and migrated
    code = (
        "import sys; from workflow.store.database import open_store; "
        f"open_store({db_url!r}, readonly=True).dispose(); "
        "print(any(m.startswith('alembic') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
