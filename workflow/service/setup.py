"""Setting up: a council, its members, its sessions, and the acts on a session's agenda (numbered
as :mod:`workflow.service.numbering` says)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from workflow import definition as definitions
from workflow.errors import InvalidInput
from workflow.history import Step, begin_act, begin_council, begin_sitting, members_added
from workflow.identifiers import (
    act_id as make_act_id,
)
from workflow.identifiers import (
    check_act_number,
    check_department,
    check_siren,
    check_slug,
)
from workflow.identifiers import (
    session_id as make_session_id,
)
from workflow.names import name_key
from workflow.rules.election import ELECTION_KINDS
from workflow.rules.vote import ACT_KINDS
from workflow.service.chain import append_event, new_step, retrying
from workflow.service.classification import check_matiere_of_council
from workflow.service.context import Context
from workflow.service.numbering import check_number, next_default_number
from workflow.service.reading import get_council, get_sitting, next_rank
from workflow.store.models import Act, Council, Member, Sitting


def add_council(
    ctx: Context,
    slug: str,
    *,
    name: str,
    kind: str,
    population: int | None,
    siren: str | None = None,
    department: str | None = None,
    largest_commune_population: int | None = None,
) -> Council:
    """Register a council; its workflow definition is chosen from its kind and population.

    ``largest_commune_population`` (an EPCI: its largest member commune, L5211-1) is kept in the
    ``council_add`` event and read back by :func:`council_measures`; it is refused for a council
    whose definition does not depend on it.
    """
    check_slug(slug)
    for value, option in (
        (population, "--population"),
        (largest_commune_population, "--largest-commune-population"),
    ):
        if value is not None and value < 0:
            raise InvalidInput(f"{option} cannot be negative.", f"{option} ne peut être négatif.")
    chosen = definitions.for_council(kind, population)
    if largest_commune_population is not None and not chosen.uses_measure("largest_commune_population"):
        raise InvalidInput(
            f"--largest-commune-population does not apply to a council of kind '{kind}' "
            f"(definition {chosen.name}): it chooses the delays of an EPCI ({_measure_article()}).",
            f"--largest-commune-population ne s'applique pas à une assemblée de type « {kind} » "
            f"(définition {chosen.name}) : il fixe les délais d'un EPCI ({_measure_article()}).",
        )
    facts: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "population": population,
        "siren": check_siren(siren) if siren else None,
        "department": check_department(department) if department else None,
        "definition": chosen.name,
    }
    if largest_commune_population is not None:
        facts["largest_commune_population"] = largest_commune_population

    def work(session: Session) -> Council:
        if session.get(Council, slug) is not None:
            raise InvalidInput(f"Council '{slug}' already exists.", f"L'assemblée « {slug} » existe déjà.")
        now = ctx.now()
        council = Council(**begin_council(Step(slug, "council_add", now, facts=facts)).columns())
        session.add(council)
        session.flush()
        append_event(
            session, ctx, new_step(ctx, slug, trigger="council_add", legal_date=None, facts=facts, recorded_at=now)
        )
        return council

    return retrying(ctx, work)


def _measure_article() -> str:
    """The article by which a definition's delays follow the largest member commune (an EPCI's)."""
    using = [d for d in definitions.load_all().values() if d.uses_measure("largest_commune_population")]
    if not using:
        return "—"
    tier = using[0].params_of("convocation_delay", None)  # the last tier: it names the article too
    return str(tier.get("article", "—"))


def add_members(
    ctx: Context,
    council_id: str,
    names: Sequence[str],
    *,
    mayor: bool = False,
    deputy: int | None = None,
    on: date | None = None,
    born: date | None = None,
) -> list[Member]:
    """Add members in office; a name already present (ignoring case and accents) is refused.

    ``deputy`` is a deputy's (*adjoint*'s) rank in the order of nominations, which says who
    presides when the mayor is absent (CGCT art. L2122-17); one member at a time, a rank taken once.
    ``on`` is the day of their installation (the event's legal date; a séance before it does not
    count them, L2121-17); without it they are in office with no known start, so that every
    séance counts them. ``born``: one member's birth date (the eldest wins an election on a tie,
    CGCT art. L2121-21)."""
    cleaned = [" ".join(n.split()) for n in names]
    if not cleaned or any(not n for n in cleaned):
        raise InvalidInput("Give at least one non-empty name.", "Donnez au moins un nom non vide.")
    if mayor and len(cleaned) != 1:
        raise InvalidInput("--mayor names exactly one member.", "--mayor désigne un seul membre.")
    if deputy is not None and (len(cleaned) != 1 or mayor or deputy < 1):
        raise InvalidInput(
            "--deputy N names exactly one member, not the mayor, with a rank N ≥ 1.",
            "--deputy N désigne un seul membre, autre que le maire, de rang N ≥ 1.",
        )
    if born is not None and len(cleaned) != 1:
        raise InvalidInput("--born names exactly one member.", "--born désigne un seul membre.")
    keys = [name_key(n) for n in cleaned]
    if len(set(keys)) != len(keys):
        raise InvalidInput("The same name is given twice.", "Le même nom est donné deux fois.")

    def work(session: Session) -> list[Member]:
        get_council(session, council_id)
        existing = {m.name_key: m.name for m in session.exec(select(Member).where(Member.council_id == council_id))}
        for key, name in zip(keys, cleaned, strict=True):
            if key in existing:
                raise InvalidInput(
                    f"'{name}' is already a member of {council_id} (as '{existing[key]}').",
                    f"« {name} » est déjà membre de {council_id} (sous le nom « {existing[key]} »).",
                )
        if deputy is not None:
            taken = session.exec(
                select(Member.name).where(Member.council_id == council_id, Member.deputy == deputy)
            ).first()
            if taken is not None:
                raise InvalidInput(
                    f"Deputy rank {deputy} is already {taken}'s in {council_id}.",
                    f"Le rang d'adjoint {deputy} est déjà celui de {taken} dans {council_id}.",
                )
        facts: dict[str, Any] = {"names": cleaned, "mayor": mayor}
        if deputy is not None:
            facts["deputy"] = deputy
        if on is not None:
            facts["since"] = on.isoformat()
        if born is not None:
            facts["born"] = born.isoformat()
        now = ctx.now()
        step = Step(council_id, "member_add", now, legal_date=on, facts=facts)
        added = [Member(**m.columns()) for m in members_added(step)]
        session.add_all(added)
        session.flush()
        append_event(
            session, ctx, new_step(ctx, council_id, trigger="member_add", legal_date=on, facts=facts, recorded_at=now)
        )
        return added

    return retrying(ctx, work)


def add_sitting(ctx: Context, council_id: str, *, held_at: datetime, place: str | None = None) -> Sitting:
    """Plan a session; its id is ``COUNCIL/YYYY-MM-DD`` (``-2`` for a second one the same day)."""

    def work(session: Session) -> Sitting:
        get_council(session, council_id)
        return new_sitting(session, ctx, council_id, held_at, place)

    return retrying(ctx, work)


def new_sitting(
    session: Session,
    ctx: Context,
    council_id: str,
    held_at: datetime,
    place: str | None,
    *,
    facts: dict[str, Any] | None = None,
) -> Sitting:
    """A new séance of the council and its ``session_add`` event (``facts`` adds to the event's:
    a séance convened again records where it comes from, its convocation date and urgency); its
    row is the fold's :func:`workflow.history.begin_sitting` of that event."""
    sitting_id = _free_sitting_id(session, council_id, held_at)
    now = ctx.now()
    recorded = {"held_at": held_at.isoformat(timespec="minutes"), "place": place, **(facts or {})}
    step = Step(council_id, "session_add", now, session_id=sitting_id, legal_date=held_at.date(), facts=recorded)
    council = get_council(session, council_id)
    state = begin_sitting(definitions.get(council.definition).sitting_lifecycle, step)
    sitting = Sitting(**state.columns())
    session.add(sitting)
    session.flush()
    append_event(session, ctx, step)
    return sitting


def _free_sitting_id(session: Session, council_id: str, held_at: datetime) -> str:
    """``COUNCIL/YYYY-MM-DD`` for the day of ``held_at``, suffixed ``-2``, ``-3``... when taken."""
    index = 1
    while session.get(Sitting, make_session_id(council_id, held_at.date(), index)) is not None:
        index += 1
    return make_session_id(council_id, held_at.date(), index)


def add_act(
    ctx: Context,
    sitting_id: str,
    *,
    subject: str,
    matiere: str | None = None,
    number: str | None = None,
    nature: str = "DE",
    subject_to_transmission: bool = True,
    kind: str = "deliberation",
    corrects: str | None = None,
    text: bytes | None = None,
    seats: int | None = None,
) -> Act:
    """Put an act on a session's agenda, in state ``draft``; numbered date + rank unless given.

    The number is checked by the definition's ``number`` step (unique, without gap in its
    sequence, dated the session's day when it is a date + rank number); an override
    (``ctx.overrides``) lets an irregular number through and marks the act irregular.
    ``corrects`` makes it a *délibération rectificative*: the council votes again on an act it
    adopted (of the same council, already voted), and each act names the other. ``text`` is the
    draft's text (Markdown, UTF-8): its SHA-256 is in the event, its content in ``document``.
    An appointment (``kind`` election or designation) has ``seats`` to fill (one by default),
    elected round by round (``act elect``, CGCT art. L2121-21).
    """
    if not subject.strip():
        raise InvalidInput("The subject cannot be empty.", "L'objet ne peut être vide.")
    if number is not None:
        check_act_number(number)
    kinds = (*ACT_KINDS, *ELECTION_KINDS)
    if kind not in kinds:
        raise InvalidInput(
            f"Unknown kind of act '{kind}': {', '.join(kinds)}.",
            f"Type d'acte « {kind} » inconnu : {', '.join(kinds)}.",
        )
    if seats is not None and (kind not in ELECTION_KINDS or seats < 1):
        raise InvalidInput(
            f"--seats N (N ≥ 1) is for an appointment (--kind {' or '.join(ELECTION_KINDS)}).",
            f"--seats N (N ≥ 1) est pour une nomination (--kind {' ou '.join(ELECTION_KINDS)}).",
        )

    def work(session: Session) -> Act:
        sitting = get_sitting(session, sitting_id)
        council = get_council(session, sitting.council_id)
        if sitting.status != "planned":
            raise InvalidInput(
                f"Session {sitting_id} is already {sitting.status}: its agenda is closed.",
                f"La séance {sitting_id} est déjà {sitting.status} : son ordre du jour est clos.",
            )
        if matiere is not None:  # against the council's own prefecture's classification, when loaded
            check_matiere_of_council(session, council.id, matiere)
        rank = next_rank(session, sitting_id)
        act_number = number or next_default_number(session, council.id, sitting.held_at.date())
        new_id = make_act_id(council.id, act_number)
        if session.get(Act, new_id) is not None:
            raise InvalidInput(
                f"Act number {act_number} is already used in {council.id}; give another with --number.",
                f"Le numéro {act_number} est déjà pris dans {council.id} ; donnez-en un autre avec --number.",
            )
        verdicts = check_number(session, ctx, council, sitting, act_number, new_id)
        initial = definitions.get(council.definition).initial
        facts: dict[str, Any] = {
            "number": act_number,
            "rank": rank,
            "subject": subject.strip(),
            "matiere": matiere,
            "nature": nature,
        }
        if not subject_to_transmission:
            facts["subject_to_transmission"] = False
        if kind != "deliberation":
            facts["kind"] = kind
        if kind in ELECTION_KINDS:
            facts["seats"] = seats or 1
        if corrects is not None:
            facts["corrects"] = _corrected_act(session, council.id, corrects)
        if text is not None:
            from workflow.service.documents import store_document

            facts["text_sha256"] = store_document(session, council.id, text)
        now = ctx.now()
        step = Step(
            council.id,
            "create",
            now,
            act_id=new_id,
            session_id=sitting_id,
            to_state=initial,
            facts=facts,
            verdicts=[v.to_dict() for v in verdicts],
        )
        act = Act(**begin_act(step).columns())
        session.add(act)
        session.flush()
        append_event(session, ctx, step)
        return act

    return retrying(ctx, work)


def _corrected_act(session: Session, council_id: str, act_id: str) -> str:
    """The act a délibération rectificative corrects: one of the same council, already voted
    (its number alone names it in that council)."""
    from workflow.service.reading import get_act

    corrected = get_act(session, act_id if "/" in act_id else f"{council_id}/{act_id}")
    if corrected.council_id != council_id or corrected.vote is None:
        raise InvalidInput(
            f"--corrects {act_id}: a délibération rectificative corrects an act of the same council that was voted.",
            f"--corrects {act_id} : une délibération rectificative corrige un acte de la même assemblée "
            "qui a été voté.",
        )
    return corrected.id
