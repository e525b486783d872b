"""Corrections that keep history: the rectification of a transcription error (*erreur matérielle*)
in an act's recorded figures or subject, as a new ``act_correct`` event that supersedes them.
Nothing is erased: the vote's event keeps the figures first recorded, the correction's event
carries the original beside the corrected ones and the reason, and the fold
(:func:`workflow.history.evolve_act`) makes the act's row show the corrected figures.

The correction is judged by the same rules as the vote (quorum, counts, outcome: L2121-17,
L2121-20, L2121-21), on the corrected facts, as they stood at the séance: a correction that
breaks a rule is refused and writes nothing. A correction that would turn the outcome (adopted
into rejected, or back) is not the correction of a clerk's mistake: the council has to vote a
*délibération rectificative* (``act add --corrects ACT``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from workflow.dates import legal_today
from workflow.engine import engine_for
from workflow.errors import InvalidInput
from workflow.facts import Attendance, Facts, VoteCount
from workflow.history import CORRECT
from workflow.names import match_name
from workflow.service.chain import retrying
from workflow.service.context import Context
from workflow.service.correction_text import correction_lines as correction_lines  # re-exported
from workflow.service.correction_text import correction_summary as correction_summary  # re-exported
from workflow.service.reading import get_act, get_council, members_in_office
from workflow.service.record import council_measures
from workflow.service.transition import record_act_event
from workflow.store.models import Act, Event


def correct_act(
    ctx: Context,
    act_id: str,
    *,
    reason: str,
    on: date | None = None,
    for_: int | None = None,
    against: int | None = None,
    abstain: int | None = None,
    blank: int | None = None,
    subject: str | None = None,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
) -> Act:
    """Rectify the act's recorded figures, subject or attendance (``on``: the legal date of the
    correction, today in France when not given); every count not given is kept as recorded.

    ``present``, ``absent`` and ``proxies`` (giver, holder) correct who was recorded at the item:
    each name given is moved (to present; to absent, its proxies lapsing; to absent represented by
    the holder); the rules of the vote are judged again on the corrected attendance (quorum,
    proxies, votes counted against those who took part)."""
    if not reason.strip():
        raise InvalidInput(
            "--reason is required: say what was mistyped.", "--reason est requis : dites ce qui a été mal saisi."
        )
    counts = {"for": for_, "against": against, "abstain": abstain, "blank": blank}
    if any(v is not None and v < 0 for v in counts.values()):
        raise InvalidInput("Counts cannot be negative.", "Les décomptes ne peuvent être négatifs.")
    if subject is not None and not subject.strip():
        raise InvalidInput("The subject cannot be empty.", "L'objet ne peut être vide.")
    moves = bool(present or absent or proxies)
    if subject is None and not moves and all(v is None for v in counts.values()):
        raise InvalidInput(
            "Nothing to correct: give --for, --against, --abstain, --blank, --subject, --present, --absent or --proxy.",
            "Rien à corriger : donnez --for, --against, --abstain, --blank, --subject, --present, --absent ou --proxy.",
        )

    def work(session: Session) -> Act:
        act = get_act(session, act_id)
        day = on or legal_today(ctx.now())
        facts: dict[str, Any] = {"reason": " ".join(reason.split()), "original": _original(act)}
        verdicts: list[dict[str, Any]] = []
        if moves or any(v is not None for v in counts.values()):
            vote_event = _vote_event(session, act)
            corrected = _corrected_vote(act, counts)
            if act.voted_on is not None and day < act.voted_on:
                raise InvalidInput(
                    f"A correction cannot be dated {day.isoformat()}, before the vote of {act.voted_on.isoformat()}.",
                    f"Une correction ne peut être datée du {day.isoformat()}, avant le vote du "
                    f"{act.voted_on.isoformat()}.",
                )
            attendance = Attendance.from_dict(act.attendance or {})
            if moves:
                names = [m.name for m in members_in_office(session, act.council_id, act.voted_on)]
                attendance = corrected_attendance(attendance, names, present=present, absent=absent, proxies=proxies)
                if attendance.to_dict() == dict(act.attendance or {}):
                    raise InvalidInput(
                        "The attendance given is the one recorded: nothing to correct.",
                        "Les présences données sont celles enregistrées : rien à corriger.",
                    )
                facts["original"]["attendance"] = dict(act.attendance or {})
                facts["attendance"] = attendance.to_dict()
            verdicts = _recheck(session, ctx, act, vote_event, corrected, attendance)
            if any(v is not None for v in counts.values()):
                facts["vote"] = corrected.to_dict()
            facts["took_part"] = attendance.taking_part if moves else (act.vote or {}).get("took_part")
        if subject is not None:
            cleaned = " ".join(subject.split())
            if cleaned == act.subject and "vote" not in facts:
                raise InvalidInput(
                    "The subject given is the one recorded: nothing to correct.",
                    "L'objet donné est celui enregistré : rien à corriger.",
                )
            facts["subject"] = cleaned
        record_act_event(
            session,
            ctx,
            act,
            trigger=CORRECT,
            session_id=act.session_id,
            from_state=act.state,
            to_state=act.state,
            legal_date=day,
            facts=facts,
            verdicts=verdicts,
        )
        return act

    return retrying(ctx, work)


def _original(act: Act) -> dict[str, Any]:
    """What the correction supersedes, as the act showed it."""
    vote = {k: v for k, v in (act.vote or {}).items() if k != "took_part"}
    return {"subject": act.subject, **({"vote": vote} if vote else {})}


def _vote_event(session: Session, act: Act) -> Event:
    """The act's vote event (the facts the correction is judged on), or :class:`InvalidInput`."""
    found = session.exec(
        select(Event).where(Event.act_id == act.id, Event.trigger == "vote").order_by(col(Event.seq).desc()).limit(1)
    ).first()
    if found is None or act.vote is None:
        raise InvalidInput(
            f"{act.id} has no recorded vote: there are no figures to correct.",
            f"{act.id} n'a pas de vote enregistré : il n'y a pas de décompte à corriger.",
        )
    return found


def _corrected_vote(act: Act, counts: dict[str, int | None]) -> VoteCount:
    recorded = VoteCount.from_dict(act.vote or {})
    return replace(
        recorded,
        for_=recorded.for_ if counts["for"] is None else counts["for"],
        against=recorded.against if counts["against"] is None else counts["against"],
        abstain=recorded.abstain if counts["abstain"] is None else counts["abstain"],
        blank=recorded.blank if counts["blank"] is None else counts["blank"],
    )


def corrected_attendance(
    recorded: Attendance,
    names: Sequence[str],
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
) -> Attendance:
    """The item's attendance with the names given moved: to present (a proxy it gave is gone),
    to absent (a proxy it gave or held is gone), to absent represented by a holder (who must be
    present at the item). Names are matched as everywhere (case, accents, ligatures)."""
    to_present = {match_name(n, names) for n in present}
    to_absent = {match_name(n, names) for n in absent}
    pairs = [(match_name(g, names), match_name(h, names)) for g, h in proxies]
    givers = {g for g, _ in pairs}
    clash = (to_present & to_absent) | (givers & (to_present | to_absent))
    if clash or len(givers) != len(pairs):
        repeated = {g for g, _ in pairs if [x for x, _ in pairs].count(g) > 1}
        twice = ", ".join(sorted(clash | repeated))
        raise InvalidInput(
            f"{twice}: given twice (--present, --absent and --proxy name each member once).",
            f"{twice} : donné(s) deux fois (--present, --absent et --proxy nomment chaque membre une fois).",
        )
    moved = to_present | to_absent | givers
    here = (set(recorded.present) - moved) | to_present
    kept = [(g, h) for g, h in recorded.proxies if g not in moved and h not in to_absent]
    away = [h for _, h in pairs if h not in here]
    if away:
        raise InvalidInput(
            f"{', '.join(sorted(away))}: holds a proxy but is not present at the item.",
            f"{', '.join(sorted(away))} : détient un pouvoir mais n'est pas présent(e) à l'affaire.",
        )
    given = tuple(sorted(kept + pairs))
    represented = {g for g, _ in given}
    return replace(
        recorded,
        present=frozenset(here),
        proxies=given,
        absent=frozenset(set(names) - here - represented),
        recused=frozenset(r for r in recorded.recused if r in here or r in represented),
        lapsed=tuple(p for p in recorded.lapsed if p[0] not in moved),
    )


def _recheck(
    session: Session, ctx: Context, act: Act, vote_event: Event, corrected: VoteCount, attendance: Attendance
) -> list[dict[str, Any]]:
    """The vote's rules on the corrected figures and attendance, as at the séance (the vote's
    facts): every verdict, or :class:`RuleRefused`; a different outcome is refused (a
    délibération rectificative is needed)."""
    council = get_council(session, act.council_id)
    voted = vote_event.legal_date or date.min
    facts = Facts.from_record(
        "vote", vote_event.facts, legal_date=voted, recorded_on=legal_today(vote_event.recorded_at)
    )
    facts = replace(facts, vote=corrected, attendance=attendance)
    measures = council_measures(session, council, voted)
    outcome = engine_for(council.definition).apply(
        vote_event.from_state or "",
        "vote",
        facts,
        population=measures["population"],
        subject_id=act.id,
        overrides=ctx.overrides,
        measures=measures,
    )
    if outcome.to_state != vote_event.to_state:
        raise InvalidInput(
            f"These figures would make {act.id} {outcome.to_state} instead of {vote_event.to_state}: a "
            "correction rectifies a transcription error, it does not turn the decision. The council must "
            f"vote a délibération rectificative (delib act add SESSION --corrects {act.id}). Nothing was written.",
            f"Ces chiffres rendraient {act.id} {outcome.to_state} au lieu de {vote_event.to_state} : une "
            "correction rectifie une erreur de transcription, elle ne renverse pas la décision. Le conseil doit "
            f"voter une délibération rectificative (delib act add SÉANCE --corrects {act.id}). "
            "Rien n'a été enregistré.",
        )
    return [v.to_dict() for v in outcome.verdicts]


def rectified_by(session: Session, act_id: str) -> list[str]:
    """The délibérations rectificatives that correct ``act_id``."""
    return list(session.exec(select(Act.id).where(Act.corrects == act_id).order_by(col(Act.id))))
