"""The canonical bytes joined from the stored text (``StoredForm``) are those of
``canonical_content()``, and a stored text that délib did not write never passes for it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.store.history import (
    GENESIS,
    STORED_FIELDS,
    StoredForm,
    canonical_content,
    canonical_json,
    stored_row,
    written_texts,
)

# Keys include those of the event itself (a fact may be named like a column), text includes
# quotes, backslashes, control characters, accents and characters beyond the BMP.
KEYS = st.one_of(
    st.sampled_from(["from_state", "verdicts", "seq", "executory_on", "présents", "vote"]),
    st.text(max_size=8),
)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
FACTS = st.dictionaries(KEYS, VALUES, max_size=6)
VERDICTS = st.lists(st.dictionaries(KEYS, VALUES, max_size=4), max_size=3)
NAMES = st.one_of(st.none(), TEXT)
MOMENTS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC))


@st.composite
def events(draw: Any) -> SimpleNamespace:
    return SimpleNamespace(
        council_id=draw(TEXT),
        seq=draw(st.integers(1, 10**9)),
        act_id=draw(NAMES),
        session_id=draw(NAMES),
        trigger=draw(TEXT),
        from_state=draw(NAMES),
        to_state=draw(NAMES),
        legal_date=draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2090, 1, 1)))),
        recorded_at=draw(MOMENTS),
        actor=draw(TEXT),
        facts=draw(FACTS),
        verdicts=draw(VERDICTS),
        prev_hash=draw(st.one_of(st.just(GENESIS), st.text("0123456789abcdef", min_size=64))),
        hash="f" * 64,
    )


def canonical(event: SimpleNamespace) -> bytes:
    return canonical_content(**{name: getattr(event, name) for name in STORED_FIELDS[:-1]})


@settings(max_examples=300, deadline=None)
@given(st.lists(events(), min_size=1, max_size=20))
def test_the_stored_text_joined_gives_the_canonical_content(batch):
    rows = [stored_row(event) for event in batch]
    form = StoredForm()
    assert form.contents(rows) == [canonical(event) for event in batch]
    assert [form.content(row) for row in rows] == [canonical(event) for event in batch]


@settings(max_examples=200, deadline=None)
@given(events(), st.sampled_from(["spaced", "ascii", "unsorted"]))
def test_an_equivalent_but_other_json_text_never_gives_the_canonical_content(event, how):
    dumps = {
        "spaced": lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False),
        "ascii": lambda v: json.dumps(v, sort_keys=True, separators=(",", ":")),
        "unsorted": lambda v: json.dumps(v, separators=(",", ":"), ensure_ascii=False),
    }[how]
    texts = written_texts(event)
    for name in ("facts", "verdicts"):
        other = dumps(getattr(event, name))
        if other == texts[name]:
            continue  # the same text after all (no space, no accent, keys already in order)
        assert json.loads(other) == getattr(event, name)
        row = stored_row(event, {**texts, name: other})
        assert StoredForm().contents([row]) != [canonical(event)]


def test_a_date_stored_in_another_format_is_not_the_canonical_content():
    event = next_event(facts={"vote": {"for": 12}})
    texts = written_texts(event)
    for name, other in (
        ("legal_date", "2024-12-13 00:00:00"),
        ("recorded_at", "2024-12-13T18:30:00.000000"),
        ("recorded_at", "2024-12-13 18:30:00"),
    ):
        row = stored_row(event, {**texts, name: other})
        assert StoredForm().contents([row])[0] != canonical(event), name


def next_event(**changes: Any) -> SimpleNamespace:
    fields: dict[str, Any] = dict(
        council_id="ville",
        seq=7,
        act_id="ville/2024121301",
        session_id="ville/2024-12-13",
        trigger="vote",
        from_state="in_session",
        to_state="adopted",
        legal_date=date(2024, 12, 13),
        recorded_at=datetime(2024, 12, 13, 18, 30, tzinfo=UTC),
        actor="Secrétaire « de séance »",
        facts={},
        verdicts=[],
        prev_hash=GENESIS,
        hash="f" * 64,
    )
    return SimpleNamespace(**{**fields, **changes})


def naive_join(row: tuple[Any, ...]) -> bytes:
    """The stored texts joined with no guard (scalars quoted by ``json``)."""
    v = dict(zip(STORED_FIELDS, (x.decode() if isinstance(x, bytes) else x for x in row), strict=True))

    def q(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    recorded = v["recorded_at"].replace(" ", "T") + "Z"
    return (
        f'{{"act_id":{q(v["act_id"])},"actor":{q(v["actor"])},"council_id":{q(v["council_id"])},'
        f'"facts":{v["facts"]},"from_state":{q(v["from_state"])},"legal_date":{q(v["legal_date"])},'
        f'"prev_hash":{q(v["prev_hash"])},"recorded_at":{q(recorded)},"seq":{v["seq"]},'
        f'"session_id":{q(v["session_id"])},"to_state":{q(v["to_state"])},'
        f'"trigger":{q(v["trigger"])},"verdicts":{v["verdicts"]}}}'
    ).encode()


def test_text_moved_from_one_column_to_the_next_does_not_pass_for_the_original():
    """Facts that hold the keys of an event (a clerk may type them): cut ``facts`` short and move
    its end and the real columns into ``verdicts``, and the text joined is byte for byte the
    original document, its hash intact. The cut ``facts`` is no JSON object: not trusted."""
    skeleton = {
        "from_state": "in_session",
        "legal_date": None,
        "prev_hash": "abc",
        "recorded_at": "2024-12-13T18:30:00.000000Z",
        "seq": 1,
        "session_id": None,
        "to_state": None,
        "trigger": "vote",
        "verdicts": [],
    }
    event = next_event(facts={"a": 1, **skeleton})
    original = canonical(event)
    facts = written_texts(event)["facts"]
    document = original.decode()
    after_facts = document[document.index(facts) + len(facts) :]
    forged = next_event(
        facts=None,
        from_state="in_session",
        legal_date=None,
        prev_hash="abc",
        seq=1,
        session_id=None,
        to_state=None,
    )
    row = stored_row(
        forged,
        {
            "facts": facts[: facts.index(',"from_state":')],
            "verdicts": "[]}" + after_facts[:-1],
            "legal_date": None,
            "recorded_at": "2024-12-13 18:30:00.000000",
        },
    )
    assert naive_join(row) == original
    assert naive_join(stored_row(event)) == original
    form = StoredForm()
    assert form.contents([row]) == [None]
    assert form.content(row) is None
    assert form.contents([stored_row(event)]) == [original]


def test_quotes_in_the_text_put_between_quotes_are_not_trusted():
    event = next_event()
    texts = written_texts(event)
    row = list(stored_row(event, texts))
    row[STORED_FIELDS.index("prev_hash")] = b'0","seq":1'
    assert StoredForm().contents([tuple(row)]) == [None]
    row = list(stored_row(event, {**texts, "recorded_at": "2024-12-13T18:30:00.000000"}))
    assert StoredForm().contents([tuple(row)]) == [None]


def test_a_batch_mixes_trusted_and_untrusted_rows_and_other_types():
    first, second = next_event(facts={"n": 1}), next_event(seq=8, facts={"n": 2})
    good = stored_row(first)
    bad = list(stored_row(second))
    bad[STORED_FIELDS.index("seq")] = b"8"  # a text where délib writes an integer
    assert StoredForm().contents([good, tuple(bad)]) == [canonical(first), None]


def test_the_engine_writes_json_columns_in_canonical_form(tmp_path):
    from sqlalchemy import text

    from workflow.store.database import open_store

    store = open_store(str(tmp_path / "t.sqlite3"))
    value = {"zèbre": [True, None, {"b": 1, "a": "« x »"}], "a": 2}
    with store.session() as session:
        session.execute(text("CREATE TABLE j (v JSON)"))
        from sqlalchemy import JSON, Column, MetaData, Table

        table = Table("j", MetaData(), Column("v", JSON))
        session.execute(table.insert().values(v=value))
        stored = session.execute(text("SELECT v FROM j")).scalar_one()
        session.commit()
    store.dispose()
    assert stored == canonical_json(value) == '{"a":2,"zèbre":[true,null,{"a":"« x »","b":1}]}'


def test_recorded_at_is_kept_to_the_microsecond_in_utc():
    moment = datetime(2024, 12, 13, 20, 30, 0, 1, tzinfo=timezone(timedelta(hours=1)))
    assert written_texts(next_event(recorded_at=moment))["recorded_at"] == ("2024-12-13 19:30:00.000001")


_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text()


def _nested(children: Any) -> Any:
    return st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)


@given(
    texts=st.lists(st.one_of(st.none(), st.text()), min_size=7, max_size=7),
    facts=st.dictionaries(
        st.text(),
        st.recursive(st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(), _nested),
        max_size=4,
    ),
    seq=st.integers(1, 2**40),
    day=st.one_of(st.none(), st.dates()),
)
@settings(max_examples=200, deadline=None)
def test_the_writers_canonical_texts_are_the_canonical_content(texts, facts, seq, day):
    """What the append writes (content, facts text, verdicts text, each serialised once) is
    byte for byte the canonical content and the canonical texts of the columns."""
    from workflow.store.history import canonical_content, canonical_json, canonical_texts

    act_id, session_id, from_state, to_state, actor, trigger, prev = texts
    fields = {
        "council_id": "ville",
        "seq": seq,
        "act_id": act_id,
        "session_id": session_id,
        "trigger": trigger or "vote",
        "from_state": from_state,
        "to_state": to_state,
        "legal_date": day,
        "recorded_at": datetime(2025, 1, 6, 9, 30, 1, 5, tzinfo=UTC),
        "actor": actor or "greffe",
        "facts": facts,
        "verdicts": [{"rule": "r", "passed": True, "figures": facts}],
        "prev_hash": prev or "0" * 64,
    }
    content, facts_text, verdicts_text = canonical_texts(**fields)
    assert content == canonical_content(**fields)
    assert (facts_text, verdicts_text) == (canonical_json(fields["facts"]), canonical_json(fields["verdicts"]))
