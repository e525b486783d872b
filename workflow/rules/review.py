"""After the vote: the review windows, finality, withdrawal, postponement (CGCT, CJA, CRPA).

- The prefect may refer an act to the court within two months of its transmission (CGCT
  L2131-6), or of its becoming executory for an act not subject to transmission (L2131-3);
  third parties may appeal within two months of publication (CJA R421-1). A request made within
  a window extends it (see ``workflow.deadlines.run_window``). The act is final (*définitif*)
  once both windows are closed and no appeal is pending.
- The council may withdraw (*retirer*) its act only if illegal and within four months of the
  decision (CRPA L242-1, L243-3), at any time if obtained by fraud (L241-2), for a subsidy whose
  conditions were not met (L242-2), or at the beneficiary's request for a more favourable one
  (L242-4).
- An item may be put off to a later session (L2121-12: the council may postpone items) or taken
  off the agenda, only before the vote.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow.dates import add_months
from workflow.deadlines import (
    REQUEST_KINDS,
    Request,
    Window,
    appeal_window,
    in_words,
    prefect_window,
)
from workflow.facts import Facts
from workflow.parameters import Cited, Review, Withdrawal
from workflow.rules.registry import rule
from workflow.verdict import Verdict, long_date, verdict

WITHDRAWAL_LABELS: dict[str, tuple[str, str]] = {
    # basis: (English, French); the articles and the delay are the definition's (``withdrawal``)
    "illegality": (
        "illegal, withdrawn within {months_en} months of the decision",
        "illégal, retiré dans les {months_fr} mois suivant la décision",
    ),
    "fraud": ("obtained by fraud: at any time", "obtenu par fraude : à tout moment"),
    "subsidy": (
        "subsidy whose conditions were not met: at any time",
        "subvention dont les conditions n'ont pas été respectées : à tout moment",
    ),
    "beneficiary_request": (
        "at the beneficiary's request, replaced by a more favourable decision: at any time",
        "à la demande du bénéficiaire, remplacé par une décision plus favorable : à tout moment",
    ),
}


def _requests(facts: Facts) -> list[Request]:
    return [Request.from_dict(r) for r in facts.extra.get("requests", [])]


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def windows_of(facts: Facts, law: Review) -> tuple[Window | None, Window | None]:
    """The prefect's and third parties' windows of the act the facts describe."""
    department = facts.extra.get("department")
    requests = _requests(facts)
    prefect = prefect_window(
        law,
        subject_to_transmission=bool(facts.extra.get("subject_to_transmission", True)),
        filed_on=facts.filed_on,
        executory_on=_date(facts.extra.get("executory_on")),
        requests=requests,
        department=department,
    )
    appeal = appeal_window(law, posted_on=facts.posted_on, requests=requests, department=department)
    return prefect, appeal


def _window_closed(
    name: str,
    window: Window | None,
    facts: Facts,
    default: str,
    what_en: str,
    what_fr: str,
) -> Verdict:
    ref = window.article if window else default
    if window is None:
        return verdict(
            name,
            ref,
            False,
            what_en + " has not started: the act is not published and transmitted",
            what_fr + " n'a pas commencé : l'acte n'est pas publié et transmis",
            legal_date=facts.legal_date.isoformat(),
        )
    passed = window.closed_on(facts.legal_date)
    extended_en = f", extended {len(window.extended_by)}×" if window.extended_by else ""
    extended_fr = f", prorogé {len(window.extended_by)} fois" if window.extended_by else ""
    return verdict(
        name,
        ref,
        passed,
        what_en
        + " from {opened_on:date}"
        + extended_en
        + ": last day to lodge {last_day:date}; {legal_date:date} {sign} {last_day:date}",
        what_fr + " depuis le {opened_on:date}" + extended_fr + " : dernier jour {last_day:date} ; "
        "{legal_date:date} {sign} {last_day:date}",
        legal_date=facts.legal_date.isoformat(),
        sign=">" if passed else "≤",
        **window.figures(),
    )


@rule("prefect_window_closed", Review)
def prefect_window_closed(facts: Facts, params: Review) -> Verdict:
    """The prefect's two months (from transmission, L2131-6; from executory force for an act not
    subject to transmission, L2131-3), as extended by requests, are over.

    Two months end on the same day number (end of the shorter month); the delay is a *délai
    franc* and runs to the next working day, so the last day to lodge a *déféré* is the day after
    that end or later (most protective reading, ``workflow.dates.last_day_to_lodge``).
    """
    prefect, _ = windows_of(facts, params)
    return _window_closed(
        "prefect_window_closed",
        prefect,
        facts,
        params.prefect.article,
        "prefect's window",
        "délai de déféré préfectoral",
    )


@rule("appeal_window_closed", Review)
def appeal_window_closed(facts: Facts, params: Review) -> Verdict:
    """Third parties' two months from publication (CJA R421-1), as extended, are over."""
    _, appeal = windows_of(facts, params)
    return _window_closed(
        "appeal_window_closed",
        appeal,
        facts,
        params.appeal.article,
        "third parties' appeal window",
        "délai de recours des tiers",
    )


@rule("request_in_window", Review)
def request_in_window(facts: Facts, params: Review) -> Verdict:
    """A request that extends a window is made within it (on or before its last day), by a party
    who may make it (the prefect: documents, recours gracieux, communication; a third party: a
    recours gracieux). A late request extends nothing: it is refused so that a mistyped date
    cannot silently keep an act from becoming final."""
    new = Request.from_dict(facts.extra["request"])
    prefect, appeal = windows_of(facts, params)
    window = prefect if new.by == "prefect" else appeal
    default = params.prefect.article if new.by == "prefect" else params.appeal.article
    ref = window.article if window else default
    allowed = new.kind in REQUEST_KINDS.get(new.by, ())
    if not allowed:
        return verdict(
            "request_in_window",
            ref,
            False,
            "a {by} cannot make a '{kind}' request (allowed: {allowed})",
            "« {kind} » n'est pas une demande possible " + _WHO_FR.get(new.by, new.by) + " (possibles : {allowed})",
            by=new.by,
            kind=new.kind,
            allowed=", ".join(REQUEST_KINDS.get(new.by, ())),
        )
    if window is None:
        return verdict(
            "request_in_window",
            ref,
            False,
            "no {by} window is running yet (act not transmitted/published)",
            "aucun délai " + _WHO_FR.get(new.by, new.by) + " ne court encore (acte non transmis/publié)",
            by=new.by,
        )
    passed = window.opened_on <= new.on <= window.last_day
    return verdict(
        "request_in_window",
        ref,
        passed,
        "{kind} request of {on:date} {sign} window {opened_on:date} – {last_day:date}",
        "demande ({kind}) du {on:date} {sign_fr} délai {opened_on:date} – {last_day:date}",
        kind=new.kind,
        on=new.on.isoformat(),
        sign="within" if passed else "outside",
        sign_fr="dans le" if passed else "hors du",
        **window.figures(),
    )


@rule("answer_after_request", Review)
def answer_after_request(facts: Facts, params: Review) -> Verdict:
    """The answer to a request is dated on or after the request."""
    request = Request.from_dict(facts.extra["answering"])
    passed = facts.legal_date >= request.on
    return verdict(
        "answer_after_request",
        params.implicit_rejection.article,
        passed,
        "answer of {legal_date:date} {sign} {kind} request of {on:date}",
        "réponse du {legal_date:date} {sign} demande ({kind}) du {on:date}",
        legal_date=facts.legal_date.isoformat(),
        on=request.on.isoformat(),
        kind=request.kind,
        sign="≥" if passed else "<",
    )


@rule("withdrawal_allowed", Withdrawal)
def withdrawal_allowed(facts: Facts, params: Withdrawal) -> Verdict:
    """Withdrawal (*retrait*) on a basis the CRPA allows, in its time.

    For illegality, within four months of the decision, whether it creates rights (L242-1) or not
    (L243-3): délib counts from the vote (the *prise de décision*) and the four months end on the
    same day number, the most protective reading for those who hold rights under the act.
    """
    basis = str(facts.extra.get("withdrawal_basis", ""))
    if basis not in WITHDRAWAL_LABELS:
        return verdict(
            "withdrawal_allowed",
            params.illegality.article,
            False,
            "unknown basis '{basis}' (known: {known})",
            "motif inconnu « {basis} » (connus : {known})",
            basis=basis,
            known=", ".join(WITHDRAWAL_LABELS),
        )
    ref = params.illegality.article if basis == "illegality" else getattr(params, basis).article
    months = params.illegality.months
    words = {"months_en": in_words(months, "en"), "months_fr": in_words(months, "fr")}
    label_en, label_fr = (label.format(**words) for label in WITHDRAWAL_LABELS[basis])
    assert facts.session_date is not None
    decided = facts.session_date
    if basis != "illegality":
        return verdict(
            "withdrawal_allowed",
            ref,
            True,
            label_en,
            label_fr,
            basis=basis,
            decided_on=decided.isoformat(),
        )
    limit = add_months(decided, months)
    passed = decided <= facts.legal_date <= limit
    return verdict(
        "withdrawal_allowed",
        ref,
        passed,
        "withdrawal on {legal_date:date} {sign} {limit:date}, "
        + words["months_en"]
        + " months after the decision of {decided_on:date}",
        "retrait le {legal_date:date} {sign} {limit:date}, "
        + words["months_fr"]
        + " mois après la décision du {decided_on:date}",
        basis=basis,
        legal_date=facts.legal_date.isoformat(),
        limit=limit.isoformat(),
        decided_on=decided.isoformat(),
        months=months,
        sign="≤" if passed else ">",
    )


@rule("postponement_target", Cited)
def postponement_target(facts: Facts, params: Cited) -> Verdict:
    """An item put off goes on the agenda of a later session of the same council whose
    convocation (which states the agenda, L2121-10) has not been sent yet."""
    target = facts.extra["target"]
    assert facts.session_date is not None
    held_on = date.fromisoformat(target["held_on"])
    problems_en, problems_fr = [], []
    if target["council"] != facts.extra.get("council"):
        problems_en.append(f"session {target['id']} is another council's")
        problems_fr.append(f"la séance {target['id']} est celle d'une autre assemblée")
    if held_on <= facts.session_date:
        held, session = held_on, facts.session_date
        problems_en.append(f"{long_date(held, 'en')} is not after the session of {long_date(session, 'en')}")
        problems_fr.append(f"le {long_date(held, 'fr')} n'est pas après la séance du {long_date(session, 'fr')}")
    if target["status"] != "planned":
        problems_en.append(f"session {target['id']} is already {target['status']}: its agenda is closed")
        problems_fr.append(f"la séance {target['id']} est déjà {target['status']} : ordre du jour clos")
    passed = not problems_en
    return verdict(
        "postponement_target",
        params.article,
        passed,
        "postponed to the session of {held_on:date} ({target})" if passed else "{problems_en}",
        "renvoyé à la séance du {held_on:date} ({target})" if passed else "{problems_fr}",
        target=target["id"],
        held_on=held_on.isoformat(),
        session=facts.session_date.isoformat(),
        problems_en="; ".join(problems_en),
        problems_fr="; ".join(problems_fr),
    )


_WHO_FR = {"prefect": "du préfet", "third_party": "des tiers"}  # who requests, in French words
PARTY_LABELS = {
    "prefect": ("prefect's", "de déféré préfectoral"),
    "third_party": ("third parties'", "de recours des tiers"),
}


def _appeals_pending(facts: Facts) -> int:
    return int(facts.extra.get("appeals_pending", 0) or 0)


@rule("appeal_window_open", Review)
def appeal_window_open(facts: Facts, params: Review) -> Verdict:
    """An appeal runs from its own date, whatever the act's state: the prefect's *déféré* once the
    act is transmitted (L2131-6; for an act not subject to transmission, once executory, L2131-3),
    a third party's *recours* once it is published (CJA R421-1) — a transmitted act not yet
    published can be referred by the prefect, a published act not yet transmitted can be appealed
    by a third party. An appeal lodged after its window is still recorded (the court judges its
    lateness) and the verdict says so; one lodged before its window opened is refused
    (unconfirmed: case law admits an appeal against an act not yet published; délib records each
    appeal from the day its window opens, the reading that keeps the windows' starting points)."""
    by = str((facts.extra.get("appeal") or {}).get("by", ""))
    party_en, party_fr = PARTY_LABELS.get(by, (by, by))
    prefect, appeal = windows_of(facts, params)
    window = prefect if by == "prefect" else appeal
    ref = window.article if window else (params.prefect.article if by == "prefect" else params.appeal.article)
    if window is None:
        return verdict(
            "appeal_window_open",
            ref,
            False,
            "the {party_en} window has not started: the act is not {missing_en}",
            "le délai {party_fr} n'a pas commencé : l'acte n'est pas {missing_fr}",
            missing_en="transmitted" if by == "prefect" else "published",
            missing_fr="transmis" if by == "prefect" else "publié",
            by=by,
            party_en=party_en,
            party_fr=party_fr,
        )
    late = facts.legal_date > window.last_day
    return verdict(
        "appeal_window_open",
        ref,
        True,
        "{party_en} window from {opened_on:date}, last day {last_day:date}: appeal of {legal_date:date} "
        + ("after it (late: the court will judge it)" if late else "within it"),
        "délai {party_fr} depuis le {opened_on:date}, dernier jour {last_day:date} : recours du {legal_date:date} "
        + ("après (tardif : le juge en décidera)" if late else "dans le délai"),
        by=by,
        party_en=party_en,
        party_fr=party_fr,
        legal_date=facts.legal_date.isoformat(),
        late=late,
        **window.figures(),
    )


@rule("withdrawal_at_session", Cited)
def withdrawal_at_session(facts: Facts, params: Cited) -> Verdict:
    """A withdrawal (*retrait*) is a decision of the council, which alone withdraws what it
    decided (CGCT art. L2121-29; L3211-1, L4221-1: it settles the affairs by its deliberations;
    unconfirmed: the parallel of competences is case law): it is dated on a séance of the council
    held that day (``withdrawal_session``)."""
    held = facts.extra.get("withdrawal_session")
    return verdict(
        "withdrawal_at_session",
        params.article,
        held is not None,
        "withdrawn by the council at its séance {session}"
        if held
        else "no séance of the council held on {legal_date}: a withdrawal is a deliberation of the council, "
        "dated on one of its séances",
        "retiré par le conseil en sa séance {session}"
        if held
        else "aucune séance du conseil tenue le {legal_date} : le retrait est une délibération du conseil, "
        "datée de l'une de ses séances",
        session=held or "—",
        legal_date=facts.legal_date.isoformat(),
    )


@rule("appeal_pending", Cited)
def appeal_pending(facts: Facts, params: Cited) -> Verdict:
    """A ruling answers an appeal lodged before it (an appeal recorded before executory force
    leaves the act where it was, not suspensive, CJA L4)."""
    pending = _appeals_pending(facts)
    return verdict(
        "appeal_pending",
        params.article,
        pending > 0,
        "{pending:plural|appeal|appeals} pending",
        "{pending:plural|recours pendant|recours pendants}",
        pending=pending,
    )


@rule("no_appeal_pending", Cited)
def no_appeal_pending(facts: Facts, params: Cited) -> Verdict:
    """An act is final only once no appeal is pending, those lodged before its executory force
    included (record the ruling first: act uphold / act annul)."""
    pending = _appeals_pending(facts)
    return verdict(
        "no_appeal_pending",
        params.article,
        pending == 0,
        "no appeal pending" if pending == 0 else "{pending:plural|appeal|appeals} pending: record the ruling first",
        "aucun recours pendant"
        if pending == 0
        else "{pending:plural|recours pendant|recours pendants} : enregistrez d'abord le jugement",
        pending=pending,
    )
