"""Verifying the hash chain: ``python -m bench.audit_verify [--events N]`` (default 1,000,000).

Generates a valid log of N events in a fresh SQLite database — one council, sessions of 20 acts,
each act carried from ``create`` to ``executory`` in six events whose facts and verdicts are as
large as real ones (an attendance of 29 names, bilingual verdict messages) — by raw ``sqlite3``
``executemany``, building the chain (canonical bytes, SHA-256, ``prev_hash``) as it goes, and
storing every column in the text délib's engine writes (JSON through its ``json_serializer``,
timestamps as SQLAlchemy writes them on SQLite). Then
``delib audit verify`` (``workflow.audit.verify``: every hash, every link, every act replayed,
read-only) is timed over it, and printed in events/s beside the baseline measured in the same run:
raw ``hashlib.sha256`` over the very same canonical bytes, with nothing else to do. The run checks
its own work: the generated log verifies, with the expected numbers of events and acts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Figure
from workflow.store.history import _TEMPLATE as STORED_TEMPLATE
from workflow.store.history import GENESIS, canonical_json

COUNCIL = "banc"
ACTS_PER_SESSION = 20
EVENTS_PER_ACT = 6
BATCH = 20_000
MEMBERS = [f"MEMBRE{i:02d} Prénom" for i in range(29)]
SQL_EVENT = (
    "INSERT INTO event (council_id, seq, act_id, session_id, trigger, from_state, to_state,"
    " legal_date, recorded_at, actor, facts, verdicts, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SQL_ACT = (
    "INSERT INTO act (id, council_id, session_id, number, rank, subject, matiere, nature,"
    " subject_to_transmission, state, version, attendance, vote, voted_on, posted_on, filed_on,"
    " ack, executory_on, irregular) VALUES (?, ?, ?, ?, ?, ?, ?, 'DE', 1, 'executory', ?, ?, ?, ?,"
    " ?, ?, NULL, ?, 0)"
)
SQL_SESSION = (
    "INSERT INTO session (id, council_id, held_at, place, status, convened_on, urgent, attendance,"
    " version) VALUES (?, ?, ?, 'Mairie', 'open', ?, 0, ?, 3)"
)


def _verdict(rule: str, article: str, en: str, fr: str, **figures: Any) -> dict[str, Any]:
    return {
        "rule": rule,
        "article": article,
        "passed": True,
        "figures": figures,
        "messages": {"en": en, "fr": fr},
    }


ATTENDANCE = {
    "present": MEMBERS[:25],
    "proxies": {MEMBERS[25]: MEMBERS[0], MEMBERS[26]: MEMBERS[1]},
    "absent": MEMBERS[27:],
    "recused": [],
    "secretary": MEMBERS[2],
    "president": MEMBERS[0],
}
NOT_IN_FUTURE = _verdict(
    "not_in_future",
    "CGCT art. L2121-23",
    "the date is not after today",
    "la date n'est pas postérieure à aujourd'hui",
    recorded_on="2024-01-01",
)
VERDICTS = {
    "convene": [
        NOT_IN_FUTURE,
        _verdict(
            "convocation_delay",
            "CGCT art. L2121-12",
            "13 clear days between convocation and session, at least 5",
            "13 jours francs entre convocation et séance, au moins 5",
            clear_days=13,
            required=5,
        ),
    ],
    "open": [
        NOT_IN_FUTURE,
        _verdict(
            "quorum",
            "CGCT art. L2121-17",
            "25 present out of 29 in office: quorum reached (more than 14)",
            "25 présents sur 29 en exercice : quorum atteint (plus de 14)",
            present=25,
            in_office=29,
        ),
        _verdict(
            "proxies_valid",
            "CGCT art. L2121-20",
            "2 proxies, one per holder",
            "2 pouvoirs, un par mandataire",
            proxies=2,
        ),
        _verdict(
            "secretary_present",
            "CGCT art. L2121-15",
            "a secretary of session present",
            "un secrétaire de séance présent",
        ),
    ],
    "vote": [
        NOT_IN_FUTURE,
        _verdict(
            "vote_count",
            "CGCT art. L2121-20",
            "27 took part = 25 for + 0 against + 2 abstentions",
            "27 votants = 25 pour + 0 contre + 2 abstentions",
            took_part=27,
        ),
        _verdict(
            "vote_outcome",
            "CGCT art. L2121-20",
            "adopted: 25 for > 0 against",
            "adopté : 25 pour > 0 contre",
            outcome="adopted",
        ),
    ],
    "file": [
        NOT_IN_FUTURE,
        _verdict(
            "not_before_session",
            "CGCT art. L2131-1",
            "on or after the session",
            "le jour de la séance ou après",
        ),
    ],
    "post": [
        NOT_IN_FUTURE,
        _verdict(
            "executory_requires_both",
            "CGCT art. L2131-1",
            "published and transmitted: executory",
            "publié et transmis : exécutoire",
        ),
    ],
}
STEPS = [  # trigger, from, to, days after the session (None: no legal date)
    ("create", None, "draft", None),
    ("convene", "draft", "convened", -14),
    ("open", "convened", "in_session", 0),
    ("vote", "in_session", "adopted", 0),
    ("file", "adopted", "filed", 1),
    ("post", "filed", "executory", 2),
]


class Chain:
    """Builds the council's chain row by row: canonical bytes, SHA-256, link to the previous."""

    def __init__(self) -> None:
        from workflow.store.history import GENESIS

        self.seq, self.prev = 0, GENESIS
        self.rows: list[tuple[Any, ...]] = []
        self.contents: list[bytes] = []

    def add(
        self,
        act: str | None,
        session: str | None,
        trigger: str,
        source: str | None,
        dest: str | None,
        legal: date | None,
        recorded: datetime,
        facts: dict[str, Any],
        verdicts: list[dict[str, Any]],
    ) -> None:
        from workflow.store.history import canonical_content

        self.seq += 1
        fields: dict[str, Any] = dict(
            council_id=COUNCIL,
            seq=self.seq,
            act_id=act,
            session_id=session,
            trigger=trigger,
            from_state=source,
            to_state=dest,
            legal_date=legal,
            recorded_at=recorded,
            actor="greffe",
            facts=facts,
            verdicts=verdicts,
            prev_hash=self.prev,
        )
        content = canonical_content(**fields)
        digest = hashlib.sha256(content).hexdigest()
        self.rows.append(
            (
                COUNCIL,
                self.seq,
                act,
                session,
                trigger,
                source,
                dest,
                legal.isoformat() if legal else None,
                recorded.strftime("%Y-%m-%d %H:%M:%S.%f"),
                "greffe",
                canonical_json(facts),
                canonical_json(verdicts),
                self.prev,
                digest,
            )
        )
        self.contents.append(content)
        self.prev = digest


def _act_facts(step: str, day: date, legal: date | None) -> dict[str, Any]:
    facts: dict[str, Any] = {"legal_date": legal.isoformat()} if legal else {}
    if step in ("open", "vote"):
        facts.update(attendance=ATTENDANCE, took_part=27, members_in_office=29, session_date=day.isoformat())
    if step == "vote":
        facts["vote"] = {"for": 25, "against": 0, "abstain": 2}
    if step == "post":
        facts["executory_on"] = (day + timedelta(days=2)).isoformat()
    return facts


def _created(number: str, rank: int, index: int) -> dict[str, Any]:
    """The facts of an act put on the agenda (the act row below is their fold)."""
    return {"number": number, "rank": rank, "subject": f"Délibération n° {index}", "matiere": "7.1", "nature": "DE"}


SITTING_EVENTS = 3  # planned, convened, opened


def _sitting_events(chain: Chain, sitting: str, day: date) -> None:
    """A séance planned, convened 14 days ahead and opened (its row below is their fold)."""
    convened = day - timedelta(days=14)
    planned = datetime.combine(convened - timedelta(days=7), datetime.min.time(), UTC)
    held = {"held_at": f"{day.isoformat()}T18:00", "place": "Mairie"}
    chain.add(None, sitting, "session_add", None, None, day, planned, held, [])
    moment = datetime.combine(convened, datetime.min.time(), UTC) + timedelta(hours=18)
    convocation = {"legal_date": convened.isoformat()}
    chain.add(None, sitting, "session_convene", "planned", "convened", convened, moment, convocation, [])
    opening = {"legal_date": day.isoformat(), "attendance": ATTENDANCE, "took_part": 27}
    moment = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=18)
    chain.add(None, sitting, "session_open", "convened", "open", day, moment, opening, [])


def generate(path: Path, events: int) -> tuple[int, int, float]:
    """Write a valid log of about ``events`` events; returns (events, acts, seconds of raw
    hashing)."""
    from workflow.store.database import open_store

    open_store(str(path)).dispose()  # the schema, by délib's own migrations
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    start = datetime(2010, 1, 1, tzinfo=UTC)
    con.execute(
        "INSERT INTO council VALUES (?, 'Commune de banc d''essai', 'commune', 12000, NULL, NULL, 'commune', ?, NULL)",
        (COUNCIL, start.strftime("%Y-%m-%d %H:%M:%S.%f")),
    )
    chain, acts, sessions, hashing = Chain(), [], [], 0.0
    council = {"name": "Commune de banc d'essai", "kind": "commune", "population": 12000}
    council |= {"siren": None, "department": None, "definition": "commune"}
    chain.add(None, None, "council_add", None, None, None, start, council, [])
    per_session = EVENTS_PER_ACT * ACTS_PER_SESSION + SITTING_EVENTS  # a séance's own events count too
    total_acts = max(1, (events - 1) * ACTS_PER_SESSION // per_session)
    for index in range(total_acts):
        rank = index % ACTS_PER_SESSION + 1
        day = date(2010, 1, 15) + timedelta(days=7 * (index // ACTS_PER_SESSION))
        sitting = f"{COUNCIL}/{day.isoformat()}"
        if rank == 1:
            sessions.append(
                (
                    sitting,
                    COUNCIL,
                    f"{day} 18:00:00.000000",
                    (day - timedelta(days=14)).isoformat(),
                    canonical_json(ATTENDANCE),
                )
            )
            _sitting_events(chain, sitting, day)
        act, number = f"{COUNCIL}/{day:%Y%m%d}{rank:03d}", f"{day:%Y%m%d}{rank:03d}"
        for trigger, source, dest, offset in STEPS:
            legal = None if offset is None else day + timedelta(days=offset)
            recorded = datetime.combine(legal or day - timedelta(days=20), datetime.min.time(), UTC)
            facts = _act_facts(trigger, day, legal) if trigger != "create" else _created(number, rank, index)
            chain.add(
                act,
                sitting,
                trigger,
                source,
                dest,
                legal,
                recorded + timedelta(hours=19, seconds=rank),
                facts,
                VERDICTS.get(trigger, []),
            )
        acts.append(
            (
                act,
                COUNCIL,
                sitting,
                number,
                rank,
                f"Délibération n° {index}",
                "7.1",
                EVENTS_PER_ACT,
                canonical_json(ATTENDANCE),
                canonical_json({"for": 25, "against": 0, "abstain": 2, "took_part": 27}),
                day.isoformat(),
                (day + timedelta(days=2)).isoformat(),
                (day + timedelta(days=1)).isoformat(),
                (day + timedelta(days=2)).isoformat(),
            )
        )
        if len(chain.rows) >= BATCH or index == total_acts - 1:
            hashing += _time_hashing(chain.contents)
            _flush(con, chain, acts, sessions)
    con.close()
    return chain.seq, total_acts, hashing


def _time_hashing(contents: list[bytes]) -> float:
    """The baseline: raw SHA-256 over the same canonical bytes, nothing else."""
    sha256 = hashlib.sha256
    began = time.perf_counter()
    for content in contents:
        sha256(content).hexdigest()
    return time.perf_counter() - began


def _flush(con: sqlite3.Connection, chain: Chain, acts: list[Any], sessions: list[Any]) -> None:
    with con:
        con.executemany(SQL_SESSION, sessions)
        con.executemany(SQL_ACT, acts)
        con.executemany(SQL_EVENT, chain.rows)
    chain.rows.clear()
    chain.contents.clear()
    acts.clear()
    sessions.clear()


_RAW_EVENTS = (
    'SELECT council_id, seq, act_id, session_id, "trigger", from_state, to_state, legal_date, recorded_at, '
    "actor, facts, verdicts, prev_hash, hash FROM event ORDER BY council_id, seq"
)
_QUOTE = json.JSONEncoder(ensure_ascii=False).encode


def raw_verify(path: Path) -> tuple[int, int]:
    """The baseline: a raw ``sqlite3`` verifier reading the same rows (events and acts, bytes,
    ``fetchmany``), building each event's canonical form from its stored texts, hashing it
    (SHA-256) and checking its ``seq`` and ``prev_hash`` links; (events, acts) it checked."""
    conn = sqlite3.connect(path)
    conn.text_factory = bytes
    acts = 0
    cursor = conn.execute("SELECT id, council_id, state, version, voted_on, posted_on, filed_on, executory_on FROM act")
    while rows := cursor.fetchmany(1000):
        acts += len(rows)

    def q(value: bytes | None) -> bytes:
        return b"null" if value is None else _QUOTE(value.decode()).encode()

    sha256, template = hashlib.sha256, STORED_TEMPLATE
    events, council, seq, head = 0, None, 0, GENESIS.encode()
    cursor = conn.execute(_RAW_EVENTS)
    while rows := cursor.fetchmany(1000):
        for c, s, a, se, tr, fr, to, ld, r, ac, f, v, p, h in rows:
            if c != council:
                council, seq, head = c, 0, GENESIS.encode()
            content = template % (
                q(a),
                q(ac),
                q(c),
                f,
                q(fr),
                q(ld),
                p,
                r.replace(b" ", b"T"),
                s,
                q(se),
                q(to),
                q(tr),
                v,
            )
            if s != seq + 1 or p != head or sha256(content).hexdigest().encode() != h:
                raise SystemExit(f"the raw verifier finds {c!r}#{s} broken: the baseline is wrong")
            seq, head = s, h
        events += len(rows)
    conn.close()
    return events, acts


def measure(events: int, rounds: int = 3) -> list[Figure]:
    from bench.common import interleaved
    from bench.reads import shared_log
    from workflow.audit.verify import verify
    from workflow.store.database import open_store

    path, written, acts, _hashing = shared_log(events)

    def delib() -> Any:
        store = open_store(str(path), readonly=True)

        def job() -> None:
            with store.session() as session:
                result = verify(session, progress=lambda done: None)
            store.dispose()
            if not result.ok or result.events != written or result.acts != acts:
                raise SystemExit(
                    f"the generated log does not verify: {[f.messages['en'] for f in result.findings[:3]]}"
                )

        return job

    def raw() -> Any:
        def job() -> None:
            assert raw_verify(path) == (written, acts)

        return job

    paired = interleaved(rounds, written, delib, raw)
    return [
        Figure(
            name=f"audit verify ({written:,} events: hashes, links, every row proven by the fold)",
            value=paired.rate(0),
            unit="events/s",
            baseline_name="raw sqlite3 verifier: same rows, canonical form, SHA-256, links",
            baseline=paired.rate(1),
            target=0.8,
            note="délib: a raw sweep (hashes, links, acts replayed), then the fold of every row; "
            + paired.note("event"),
        )
    ]


def run(quick: bool = False) -> list[Figure]:
    return measure(20_000, 2) if quick else measure(1_000_000, 2)


def main(argv: list[str] | None = None) -> None:
    from bench.common import print_figures

    parser = argparse.ArgumentParser(prog="python -m bench.audit_verify", description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the generated log")
    args = parser.parse_args(argv)
    print_figures(measure(max(args.events, EVENTS_PER_ACT + 1)))


if __name__ == "__main__":
    main()
