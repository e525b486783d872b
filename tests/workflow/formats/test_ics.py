"""The council's calendar: sessions at their time in France, deadlines on their last day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar


def test_calendar_of_the_seed_case_and_a_planned_session(cli, tmp_path) -> None:
    cli.ok("demo")
    cli.ok("session", "add", "exemple", "--date", "2025-02-07T19:00", "--place", "Mairie")
    out = tmp_path / "exemple.ics"
    cli.ok("export", "ics", "exemple", "-o", str(out))
    cal = Calendar.from_ical(out.read_bytes())
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    seance = events["session-exemple_2024-12-13@delib"]
    assert seance.decoded("dtstart") == datetime(2024, 12, 13, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert "DEMANDE D'ACCES" in str(seance["description"])
    assert [str(t["tzid"]) for t in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    # population unknown: the most protective delay (5 clear days, L2121-12) → send by 01/02/2025
    convocation = events["convocation-exemple_2025-02-07@delib"]
    assert convocation.decoded("dtstart") == date(2025, 2, 1)
    assert "L2121-12" in str(convocation["description"])
    # the list of deliberations of the 13/12/2024 session: within one week (L2121-25)
    listing = events["list_of_deliberations-exemple_2024-12-13@delib"]
    assert listing.decoded("dtstart") == date(2024, 12, 20)
    summary = cli.json("export", "ics", "exemple")
    assert summary["sessions"] == 2 and summary["deadlines"] == len(events) - 2
