"""Date arithmetic of the law: clear days (*jours francs*) and month windows.

Pure functions; the calendar library is ``python-dateutil`` (month arithmetic with end-of-month
clipping, exactly as the law counts "two months").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from workflow.errors import InvalidInput

LEGAL_TZ = ZoneInfo("Europe/Paris")


def clear_days_between(start: date, end: date) -> int:
    """Number of *jours francs* between two days: whole days strictly between them.

    Neither the day of the starting event (e.g. sending the convocation) nor the day of the
    ending event (the meeting) counts: Monday 10 → Friday 14 gives 3 (11, 12, 13). Weekends and
    public holidays count as days. Negative when ``end`` is not after ``start``.
    """
    return (end - start).days - 1


def earliest_after_clear_days(start: date, clear_days: int) -> date:
    """The first day an event may take place after ``clear_days`` clear days from ``start``."""
    return start + timedelta(days=clear_days + 1)


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; where the day does not exist, the last day of the shorter month.

    Used for the two-month windows (prefect's *déféré*, CGCT art. L2131-6; appeals, CJA R421-1):
    31 December + 2 months = 28 (or 29) February.
    """
    return start + relativedelta(months=months)


EARLIEST = date(1900, 1, 1)  # no deliberation délib records is older
LATEST = date(2199, 12, 31)  # nor further ahead: a typo (9999, 20240) is refused, not recorded


def _french_order(text: str) -> str:
    """``13/12/2024`` (and ``13/12/2024 18:00``) as the clerk writes it → ISO; other text unchanged."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}:\d{2}))?", text)
    if not match:
        return text
    day_, month, year, time = match.groups()
    iso = f"{year}-{int(month):02d}-{int(day_):02d}"
    return f"{iso}T{time.zfill(5)}" if time else iso


def parse_date(text: str, what: str = "date") -> date:
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (a legal date, 1900-01-01 to 2199-12-31); a clear error otherwise."""
    try:
        value = date.fromisoformat(_french_order(text.strip()))
    except (ValueError, AttributeError):
        raise InvalidInput(
            f"Malformed {what} '{text}': expected YYYY-MM-DD or DD/MM/YYYY, e.g. 2024-12-13.",
            f"Date « {text} » mal formée ({what}) : format attendu AAAA-MM-JJ ou JJ/MM/AAAA, ex. 13/12/2024.",
        ) from None
    return _within_bounds(value, text, what)


def _within_bounds(value: date, text: str, what: str) -> date:
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(
            f"The {what} '{text}' is out of range: délib takes dates from {EARLIEST} to {LATEST}.",
            f"La date « {text} » ({what}) est hors limites : délib accepte les dates du {EARLIEST} au {LATEST}.",
        )
    return value


def parse_datetime(text: str, what: str = "date") -> datetime:
    """Parse ``YYYY-MM-DD[THH:MM]`` or ``DD/MM/YYYY[ HH:MM]`` as a wall-clock time in France (naive)."""
    try:
        value = datetime.fromisoformat(_french_order(text.strip()))
    except (ValueError, AttributeError):
        raise InvalidInput(
            f"Malformed {what} '{text}': expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or DD/MM/YYYY HH:MM.",
            f"Date « {text} » mal formée ({what}) : format attendu AAAA-MM-JJ, AAAA-MM-JJTHH:MM ou JJ/MM/AAAA HH:MM.",
        ) from None
    _within_bounds(value.date(), text, what)
    return value.replace(tzinfo=None)


def utc_now() -> datetime:
    return datetime.now(UTC)


def legal_today(now: datetime | None = None) -> date:
    """Today's date in France, the calendar in which legal dates are given."""
    return (now or utc_now()).astimezone(LEGAL_TZ).date()


def as_utc(moment: datetime) -> datetime:
    """A timezone-aware UTC datetime (a naive one, as SQLite returns it, is taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# ---------------------------------------------------------------- contentious windows

# Départements whose public holidays differ from the national list (holidays' subdivisions):
# Alsace-Moselle keeps Good Friday and 26 December; overseas départements mark the abolition of
# slavery. Codes are written on 3 characters as délib stores them (check_department).
_HOLIDAY_SUBDIVISIONS = {
    "057": "57",
    "067": "6AE",
    "068": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


def is_working_day(day: date, department: str | None = None) -> bool:
    """Not a Saturday, a Sunday or a public holiday in France (in the council's département).

    Holidays come from the ``holidays`` library. Without a département, the most protective
    reading counts the holidays of Alsace-Moselle too (Good Friday, 26 December): a window then
    never closes earlier than it would in any metropolitan département.
    """
    if day.weekday() >= 5:
        return False
    subdivision = "57" if department is None else _HOLIDAY_SUBDIVISIONS.get(department)
    return day not in _french_holidays(subdivision, day.year)


@cache
def _french_holidays(subdivision: str | None, year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("FR", subdiv=subdivision, years=year))


def next_working_day(day: date, department: str | None = None) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, department):
        day += timedelta(days=1)
    return day


def last_day_to_lodge(start: date, months: int = 2, department: str | None = None) -> date:
    """The last day on which an appeal against an act dated ``start`` is still in time.

    The window of ``months`` months ends on the same day number (end of the shorter month when
    that day does not exist: :func:`add_months`, as ``shared/domain/rules.md`` counts it). The
    contentious delays (CJA R421-1, CGCT L2131-6) are *délais francs*: neither the day of the
    starting event nor the day the window ends counts, so an appeal lodged the day after that end
    is in time; and a delay whose last day is a Saturday, a Sunday or a public holiday runs to the
    next working day (CE 19 September 2014 n° 362568). This is the most protective reading for
    the act's finality: délib never declares an act out of reach of an appeal that could still be
    lodged in time.
    """
    return next_working_day(add_months(start, months) + timedelta(days=1), department)
