"""What each act and session needs next, and by when: pure computation from plain snapshots.

Two kinds of dates are computed here:

- **windows** after an act is executory: the prefect's (*déféré*, CGCT art. L2131-6; L2131-3
  for acts not subject to transmission) and third parties' (*recours pour excès de pouvoir*, CJA
  art. R421-1), each two months, extended by a request made in time (see :func:`run_window`);
- **deadlines** for the clerk: the list of the session's deliberations (L2121-25), the minutes
  (L2121-15), transmission where a text sets a delay (see :func:`transmission_deadline`).

The delays and the articles are not written here: they are the definition's (its ``deadlines:``
section, read as :class:`workflow.parameters.Deadlines`), and a deadline the definition does not
give is not computed (a département has no list of deliberations to post). Nothing here reads the
store or the clock: the caller gives the snapshots, each council's law and ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal, TypedDict

from workflow.dates import add_months, last_day_to_lodge
from workflow.parameters import Convocation, Deadlines, Review, Transmission
from workflow.parameters import Window as WindowLaw

_WORDS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"),
}


def in_words(number: int, lang: str) -> str:
    """A small number as a word (``4`` → "four", "quatre"), a larger one in figures."""
    words = _WORDS["fr" if lang == "fr" else "en"]
    return words[number] if 0 <= number < len(words) else str(number)


def span_of_days(days: int, lang: str) -> str:
    """A delay in days as the clerk reads it: "one week" for seven days, else "N days"."""
    if days == 7:
        return "une semaine" if lang == "fr" else "one week"
    return f"{days} jours" if lang == "fr" else f"{days} days"


Party = Literal["prefect", "third_party"]
RequestKind = Literal["documents", "gracieux", "communication"]
REQUEST_KINDS: dict[str, tuple[str, ...]] = {
    # who may make which request that extends their window
    "prefect": ("documents", "gracieux", "communication"),
    "third_party": ("gracieux",),
}


@dataclass(frozen=True)
class Request:
    """A request that extends a window when made within it.

    The prefect: a request for the documents needed to judge the act (*demande de pièces
    complémentaires*), a *recours gracieux* (asking the council to withdraw or amend the act), or,
    for an act not subject to transmission, a request to have it communicated (L2131-3). A third
    party: a *recours gracieux*. ``answered_on`` is the day of the council's answer (documents
    received by the prefecture, explicit rejection); without one, silence becomes a rejection two
    months after the request (CRPA L231-4; the months are the definition's).
    """

    by: str
    kind: str
    on: date
    answered_on: date | None = None

    def implicit_rejection_on(self, rejection: WindowLaw) -> date:
        """The day silence becomes a rejection (CRPA L231-4: the definition's months)."""
        return add_months(self.on, rejection.months)

    def restarts_on(self, rejection: WindowLaw) -> date:
        """The day the window starts again: the answer, else the implicit rejection."""
        return self.answered_on or self.implicit_rejection_on(rejection)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "kind": self.kind,
            "on": self.on.isoformat(),
            "answered_on": self.answered_on.isoformat() if self.answered_on else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Request:
        answered = data.get("answered_on")
        return cls(
            by=data["by"],
            kind=data["kind"],
            on=date.fromisoformat(data["on"]),
            answered_on=date.fromisoformat(answered) if answered else None,
        )


@dataclass(frozen=True)
class Window:
    """A window (two months for both parties), as extended by the requests made within it.

    ``opened_on`` is the day it first ran from; ``runs_from`` the day it runs from after the last
    extension; ``ends_on`` is the window's months after that (rules.md's count) and ``last_day``
    the last day an appeal is still in time (délai franc, next working day:
    :func:`last_day_to_lodge`).
    """

    party: str
    article: str
    opened_on: date
    runs_from: date
    ends_on: date
    last_day: date
    extended_by: tuple[Request, ...] = ()
    ignored: tuple[Request, ...] = ()

    def closed_on(self, day: date) -> bool:
        """True once ``day`` is after the last day an appeal could be lodged."""
        return day > self.last_day

    def figures(self) -> dict[str, Any]:
        return {
            "opened_on": self.opened_on.isoformat(),
            "runs_from": self.runs_from.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "last_day": self.last_day.isoformat(),
            "extensions": len(self.extended_by),
        }


def run_window(
    party: str,
    law: WindowLaw,
    opened_on: date,
    requests: Iterable[Request],
    rejection: WindowLaw,
    department: str | None = None,
    *,
    article: str | None = None,
) -> Window:
    """The window of ``party`` from ``opened_on``, extended by that party's requests made in time.

    Each request made on or before the window's last day restarts it from the answer, or, without
    one, from the implicit rejection two months after the request (CRPA L231-4; CJA R421-2). The
    Conseil d'État admits a request for documents (CE 13 January 1988, n° 68166) and a *recours
    gracieux* (CE 1 July 1988, n° 89692) as extending the prefect's window, but not a mere request
    for "explanations" (CE 15 May 2013, n° 357031): the clerk records only requests of the first
    kinds. Most protective reading (the doubt is over second requests and late answers): every
    request made while the window is open restarts it, and the window runs from the latest of
    the restart days; a request after the last day is ignored. ``law`` gives the window's months
    and article (``article`` replaces it), ``rejection`` the months of the implicit rejection.
    """
    own = sorted((r for r in requests if r.by == party), key=lambda r: r.on)
    if not own:  # most acts: the same window for every act of the same day (computed once)
        return _unextended(party, law, opened_on, department, article)
    months = law.months
    runs_from = opened_on
    last_day = last_day_to_lodge(runs_from, months, department)
    extended: list[Request] = []
    ignored: list[Request] = []
    for request in own:
        if opened_on <= request.on <= last_day:
            runs_from = max(runs_from, request.restarts_on(rejection))
            last_day = last_day_to_lodge(runs_from, months, department)
            extended.append(request)
        else:
            ignored.append(request)
    return Window(
        party=party,
        article=article or law.article,
        opened_on=opened_on,
        runs_from=runs_from,
        ends_on=add_months(runs_from, months),
        last_day=last_day,
        extended_by=tuple(extended),
        ignored=tuple(ignored),
    )


@lru_cache(maxsize=4096)
def _unextended(party: str, law: WindowLaw, opened_on: date, department: str | None, article: str | None) -> Window:
    """A window that no request extends (:func:`run_window`'s count, without a request)."""
    last_day = last_day_to_lodge(opened_on, law.months, department)
    return Window(
        party=party,
        article=article or law.article,
        opened_on=opened_on,
        runs_from=opened_on,
        ends_on=add_months(opened_on, law.months),
        last_day=last_day,
    )


def prefect_window(
    law: Review,
    *,
    subject_to_transmission: bool,
    filed_on: date | None,
    executory_on: date | None,
    requests: Iterable[Request] = (),
    department: str | None = None,
) -> Window | None:
    """The prefect's window: two months from transmission (L2131-6); for an act not subject to
    transmission, two months from the day it became executory to ask for it (L2131-3).
    ``None`` while the day it runs from is not known."""
    if subject_to_transmission:
        if filed_on is None:
            return None
        return run_window("prefect", law.prefect, filed_on, requests, law.implicit_rejection, department)
    if executory_on is None:
        return None
    return run_window(
        "prefect",
        law.prefect,
        executory_on,
        requests,
        law.implicit_rejection,
        department,
        article=law.prefect.not_subject_article,
    )


def appeal_window(
    law: Review,
    *,
    posted_on: date | None,
    requests: Iterable[Request] = (),
    department: str | None = None,
) -> Window | None:
    """Third parties' window: two months from publication (CJA R421-1), extended by a *recours
    gracieux* made within it. ``None`` before publication (the delay does not run)."""
    if posted_on is None:
        return None
    return run_window("third_party", law.appeal, posted_on, requests, law.implicit_rejection, department)


def transmission_deadline(law: Transmission, nature: str, session_date: date) -> date | None:
    """The day by which an act must be transmitted, where a text sets one.

    The law sets no delay for transmitting a deliberation: it is simply not executory until
    transmitted (L2131-1), so délib lists it without a date. Individual decisions (nature ``AI``)
    must be transmitted within fifteen days of their signature (L2131-1); délib counts from the
    session, the earliest day an act of the council can be signed (the most protective reading).
    """
    if nature.upper() == "AI":
        return session_date + timedelta(days=law.individual_decision_days)
    return None


def convocation_deadline(law: Convocation, held_on: date) -> date:
    """The last day to send the convocation of a session held on ``held_on``: the definition's
    clear days lie between the two (neither the day of sending nor the session's counts)."""
    return held_on - timedelta(days=law.min_clear_days + 1)


# ---------------------------------------------------------------- the clerk's list


@dataclass(frozen=True)
class ActSnapshot:
    """What :func:`act_dues` needs to know about one act."""

    id: str
    council: str
    session_id: str
    session_date: date
    state: str
    nature: str = "DE"
    subject_to_transmission: bool = True
    posted_on: date | None = None
    filed_on: date | None = None
    executory_on: date | None = None
    requests: tuple[Request, ...] = ()
    department: str | None = None


@dataclass(frozen=True)
class SessionSnapshot:
    """What :func:`sitting_dues` needs to know about one session."""

    id: str
    council: str
    held_on: date
    status: str
    list_published_on: date | None = None
    minutes_approved_on: date | None = None
    minutes_published_on: date | None = None
    next_session_on: date | None = None


Kind = Literal["deadline", "window", "ready", "pending"]


@dataclass(frozen=True)
class DueItem:
    """One thing to do or to wait for.

    ``kind``: ``deadline`` (to be done by ``due``; overdue after it), ``window`` (a window that
    closes on ``due``; nothing to do but wait), ``ready`` (a step possible from ``due``),
    ``pending`` (to be done, no date set by law).
    """

    what: str
    subject: str
    council: str
    due: date | None
    kind: str
    article: str
    today: date
    en: str
    fr: str
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def overdue(self) -> bool:
        return self.kind == "deadline" and self.due is not None and self.today > self.due

    @property
    def days_left(self) -> int | None:
        return (self.due - self.today).days if self.due is not None else None

    def message(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "subject": self.subject,
            "council": self.council,
            "due": self.due.isoformat() if self.due else None,
            "kind": self.kind,
            "overdue": self.overdue,
            "days_left": self.days_left,
            "article": self.article,
            "messages": {"en": self.en, "fr": self.fr},
            "figures": self.figures,
        }


HELD = frozenset({"open", "closed", "held"})


class _Base(TypedDict):
    """The fields every item of one session or act shares."""

    subject: str
    council: str
    today: date


def sitting_dues(session: SessionSnapshot, law: Deadlines, today: date) -> list[DueItem]:
    """The list of deliberations (within the definition's days, L2121-25 for communes) and the
    minutes (approved at the next session, online within the definition's days, L2121-15).
    A deadline the definition does not give is not listed."""
    if session.status not in HELD:
        return []
    items: list[DueItem] = []
    base = _Base(subject=session.id, council=session.council, today=today)
    listing = law.list_of_deliberations
    if listing is not None and session.list_published_on is None:
        items.append(
            DueItem(
                what="list_of_deliberations",
                due=session.held_on + timedelta(days=listing.max_days),
                kind="deadline",
                article=listing.article,
                en=f"post and put online the list of deliberations of {session.held_on} "
                f"({span_of_days(listing.max_days, 'en')})",
                fr=f"afficher et mettre en ligne la liste des délibérations du {session.held_on} "
                f"({span_of_days(listing.max_days, 'fr')})",
                figures={"session": session.held_on.isoformat(), "days": listing.max_days},
                **base,
            )
        )
    if law.minutes is not None and session.minutes_approved_on is None:
        items.append(
            DueItem(
                what="minutes_approval",
                due=session.next_session_on,
                kind="deadline" if session.next_session_on else "pending",
                article=law.minutes.article,
                en="have the minutes (procès-verbal) approved at the next session",
                fr="faire approuver le procès-verbal à la séance suivante",
                figures={"next_session": _iso(session.next_session_on)},
                **base,
            )
        )
    online = law.minutes_online
    if online is not None and session.minutes_approved_on is not None and session.minutes_published_on is None:
        items.append(
            DueItem(
                what="minutes_online",
                due=session.minutes_approved_on + timedelta(days=online.max_days),
                kind="deadline",
                article=online.article,
                en=f"put the minutes approved on {session.minutes_approved_on} online "
                f"({span_of_days(online.max_days, 'en')})",
                fr=f"mettre en ligne le procès-verbal approuvé le {session.minutes_approved_on} "
                f"(sous {online.max_days} jours)",
                figures={"approved_on": session.minutes_approved_on.isoformat(), "days": online.max_days},
                **base,
            )
        )
    return items


def act_dues(act: ActSnapshot, law: Deadlines, today: date) -> list[DueItem]:
    """What one act needs next: publication, transmission, the windows, finality, a ruling."""
    base = _Base(subject=act.id, council=act.council, today=today)
    items: list[DueItem] = []
    if law.publication is not None and act.state in ("adopted", "filed"):
        items.append(
            DueItem(
                what="publication",
                due=None,
                kind="pending",
                article=law.publication.article,
                en="publish (post or put online): not executory until published",
                fr="publier (affichage ou mise en ligne) : non exécutoire avant publication",
                **base,
            )
        )
    if law.transmission is not None and act.state in ("adopted", "posted") and act.subject_to_transmission:
        items.append(_transmission(act, law.transmission, base))
    rejected = act.state == "rejected"
    if law.transmission is not None and rejected and act.subject_to_transmission and act.filed_on is None:
        items.append(_transmission(act, law.transmission, base, rejected=True))
    if law.review is not None and (
        act.state in ("filed", "executory") or (rejected and (act.filed_on or act.posted_on))
    ):
        items.extend(_request_answers(act, law.review, base))
        items.extend(_windows(act, law.review, today, base))
    if law.ruling is not None and act.state == "contested":
        items.append(
            DueItem(
                what="ruling",
                due=None,
                kind="pending",
                article=law.ruling.article,
                en="appeal pending (not suspensive): record the ruling (act annul / act uphold)",
                fr="recours pendant (non suspensif) : enregistrer le jugement (act annul / act uphold)",
                **base,
            )
        )
    return items


def _transmission(act: ActSnapshot, law: Transmission, base: _Base, *, rejected: bool = False) -> DueItem:
    """Transmission to the prefecture; ``rejected``: a rejected deliberation, transmitted too (it
    is a deliberation; it stays rejected)."""
    due = transmission_deadline(law, act.nature, act.session_date)
    days = law.individual_decision_days
    if due:
        en, fr = f" within {days} days (individual decision)", f" sous {days} jours (décision individuelle)"
    elif rejected:
        en = ": a rejected deliberation is a deliberation, transmitted too (it stays rejected)"
        fr = " : une délibération rejetée est une délibération, transmise elle aussi (elle reste rejetée)"
    else:
        en = ": no legal delay, but not executory until transmitted"
        fr = " : pas de délai légal, mais non exécutoire avant transmission"
    return DueItem(
        what="transmission",
        due=due,
        kind="deadline" if due else "pending",
        article=law.article,
        en="transmit to the prefecture" + en,
        fr="transmettre en préfecture" + fr,
        **base,
    )


def _request_answers(act: ActSnapshot, law: Review, base: _Base) -> list[DueItem]:
    items = []
    rejection = law.implicit_rejection
    for request in act.requests:
        if request.answered_on is not None:
            continue
        who_en = "the prefect's" if request.by == "prefect" else "a third party's"
        who_fr = "du préfet" if request.by == "prefect" else "d'un tiers"
        items.append(
            DueItem(
                what="answer_request",
                due=request.implicit_rejection_on(rejection),
                kind="deadline",
                article=rejection.article,
                en=f"answer {who_en} {request.kind} request of {request.on} "
                f"(silence is a rejection after {in_words(rejection.months, 'en')} months)",
                fr=f"répondre à la demande ({request.kind}) {who_fr} du {request.on} "
                f"(le silence vaut rejet après {in_words(rejection.months, 'fr')} mois)",
                figures=request.to_dict(),
                **base,
            )
        )
    return items


def _windows(act: ActSnapshot, law: Review, today: date, base: _Base) -> list[DueItem]:
    prefect = prefect_window(
        law,
        subject_to_transmission=act.subject_to_transmission,
        filed_on=act.filed_on,
        executory_on=act.executory_on,
        requests=act.requests,
        department=act.department,
    )
    appeal = appeal_window(law, posted_on=act.posted_on, requests=act.requests, department=act.department)
    items = []
    for window, en, fr in (
        (prefect, "prefect's window (déféré) closes", "fin du délai de déféré préfectoral"),
        (appeal, "third parties' appeal window closes", "fin du délai de recours des tiers"),
    ):
        if window is not None and not window.closed_on(today):
            items.append(
                DueItem(
                    what=f"{window.party}_window",
                    due=window.last_day,
                    kind="window",
                    article=window.article,
                    en=en,
                    fr=fr,
                    figures=window.figures(),
                    **base,
                )
            )
    if act.state == "executory" and prefect is not None and appeal is not None:
        ready_on = max(prefect.last_day, appeal.last_day) + timedelta(days=1)
        items.append(
            DueItem(
                what="definitive",
                due=ready_on,
                kind="ready",
                article=f"{prefect.article}; {appeal.article}",
                en="final (definitive) once both windows are closed: delib act finalize",
                fr="définitif une fois les deux délais expirés : delib act finalize",
                figures={
                    "prefect_last_day": prefect.last_day.isoformat(),
                    "appeal_last_day": appeal.last_day.isoformat(),
                },
                **base,
            )
        )
    return items


def collect(
    acts: Sequence[ActSnapshot],
    sessions: Sequence[SessionSnapshot],
    laws: Mapping[str, Deadlines],
    today: date,
    within_days: int | None = None,
) -> list[DueItem]:
    """Every item, overdue first, then by date (undated last); with ``within_days``, only the
    overdue ones and those due by ``today + within_days``. ``laws`` gives each council's
    deadlines (its definition's, for its measures)."""
    items = [i for s in sessions for i in sitting_dues(s, laws[s.council], today)]
    items += [i for a in acts for i in act_dues(a, laws[a.council], today)]
    return ordered(within(items, today, within_days))


def within(items: list[DueItem], today: date, within_days: int | None) -> list[DueItem]:
    """With ``within_days``, only the overdue items and those due by ``today + within_days``."""
    if within_days is None:
        return items
    horizon = today + timedelta(days=within_days)
    return [i for i in items if i.overdue or (i.due is not None and i.due <= horizon)]


def ordered(items: list[DueItem]) -> list[DueItem]:
    """Overdue first, then by date (undated last), subject and what."""
    return sorted(items, key=_order)


def order_key(item: DueItem) -> tuple[int, date, str, str]:
    """The order of :func:`ordered`: overdue first, then by date (undated last), subject, what."""
    return _order(item)


def _order(item: DueItem) -> tuple[int, date, str, str]:
    return (0 if item.overdue else 1, item.due or date.max, item.subject, item.what)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
