"""The vote: who presides (CGCT art. L2121-14, L2122-17), counts that add up, the outcome by
absolute majority of votes cast with the president's casting vote (L2121-20), the compte
administratif (L2121-14, L1612-12), the roll call of a public vote (L2121-21)."""

from __future__ import annotations

from typing import Literal

from workflow.facts import Attendance, Facts, VoteCount
from workflow.parameters import Cited, VoteLaw
from workflow.rules.registry import rule
from workflow.verdict import Verdict, plural, verdict

Outcome = Literal["adopted", "rejected"]

ACCOUNT = "compte-administratif"
ACT_KINDS = ("deliberation", ACCOUNT)
SIDES = ("for", "against", "abstain")


def is_account(facts: Facts) -> bool:
    """The act is the *compte administratif* (``act add --kind compte-administratif``)."""
    return facts.extra.get("kind") == ACCOUNT


def president_takes_part(attendance: Attendance | None) -> bool:
    """The president of the item is present in person and not recused (L2131-11): only then has
    he a vote, and so a casting vote (L2121-20). ``True`` when the attendance is not known (a
    caller judging the counts alone)."""
    if attendance is None:
        return True
    president = attendance.president
    return president is not None and president in attendance.present and president not in attendance.recused


def vote_outcome(vote: VoteCount, attendance: Attendance | None = None, *, account: bool = False) -> Outcome | None:
    """Adopted when for > against (absolute majority of votes cast, L2121-20; abstentions and
    blank votes are not cast). On a public tie the president's vote decides (*voix
    prépondérante*) only when the president takes part in the item and voted for or against: a
    recused, departed or abstaining president has no casting vote and the tie rejects; a secret
    ballot's tie rejects. No vote cast at all (everyone abstains) is no majority: rejected.
    ``None`` for a public tie whose president (taking part) has not said his side.

    ``account``: the *compte administratif* is adopted unless a majority of the votes cast is
    against it (L1612-12): a tie, or no vote cast, adopts it (unconfirmed: "une majorité des voix
    ... contre" read as more votes against than for).
    """
    if account:
        return "rejected" if vote.against > vote.for_ else "adopted"
    if vote.for_ > vote.against:
        return "adopted"
    if vote.for_ < vote.against:
        return "rejected"
    if vote.secret or vote.cast == 0 or not president_takes_part(attendance):
        return "rejected"
    if vote.president_voted == "for":
        return "adopted"
    if vote.president_voted in ("against", "abstain"):
        return "rejected"
    return None


def casting_vote(vote: VoteCount, attendance: Attendance | None, *, account: bool = False) -> bool:
    """The president's casting vote decided the outcome (L2121-20): a public tie with votes cast,
    the president taking part and voting for or against (never for a *compte administratif*,
    which a tie adopts)."""
    return (
        not account
        and not vote.secret
        and vote.cast > 0
        and vote.for_ == vote.against
        and president_takes_part(attendance)
        and vote.president_voted in ("for", "against")
    )


@rule("vote_count", Cited)
def vote_count(facts: Facts, params: Cited) -> Verdict:
    """for + against + abstentions (+ blank) = those who took part (present − recused + proxies
    held)."""
    assert facts.vote is not None and facts.attendance is not None
    vote = facts.vote
    took_part = facts.attendance.taking_part
    negative = min(vote.for_, vote.against, vote.abstain, vote.blank) < 0
    passed = not negative and vote.total == took_part
    figures = dict(
        for_=vote.for_,
        against=vote.against,
        abstain=vote.abstain,
        blank=vote.blank,
        total=vote.total,
        took_part=took_part,
        sign="=" if passed else "≠",
    )
    if negative:
        return verdict(
            "vote_count",
            params.article,
            False,
            "a count is negative (for {for_}, against {against}, abstentions {abstain})",
            "un décompte est négatif (pour {for_}, contre {against}, abstentions {abstain})",
            **figures,
        )
    return verdict(
        "vote_count",
        params.article,
        passed,
        "for {for_} + against {against} + abstentions {abstain} = {total} {sign} {took_part} who took part",
        "pour {for_} + contre {against} + abstentions {abstain} = {total} {sign} {took_part} votants",
        **figures,
    )


OUTCOME_FR = {"adopted": "adoptée", "rejected": "rejetée"}


def _why_no_casting_vote(attendance: Attendance | None) -> tuple[str, str]:
    """Why the president of the item has no vote at it (English, French)."""
    president = attendance.president if attendance else None
    if attendance is None or president is None:
        return "no president", "pas de président"
    if president in attendance.recused:
        return f"the president {president} is recused", f"le président {president} ne prend pas part (intérêt)"
    return f"the president {president} is not present", f"le président {president} n'est pas présent"


@rule("vote_outcome", VoteLaw)
def vote_outcome_rule(facts: Facts, params: VoteLaw) -> Verdict:
    """The outcome is determined (L2121-20): a public tie needs the side of a president who takes
    part (``--president-voted for|against|abstain``); the side given for the president has at
    least one vote; a president who does not take part (recused under L2131-11, or away) gives
    no side and has no casting vote: the tie rejects. A *compte administratif* is adopted unless a
    majority votes against it (L1612-12, cited from ``account_article``)."""
    assert facts.vote is not None
    vote, attendance = facts.vote, facts.attendance
    account = is_account(facts)
    outcome = vote_outcome(vote, attendance, account=account)
    ref = params.account_article if account and params.account_article else params.article
    figures: dict[str, object] = dict(
        for_=vote.for_,
        against=vote.against,
        cast=vote.cast,
        secret=vote.secret,
        outcome=outcome or "undetermined",
        casting_vote=casting_vote(vote, attendance, account=account),
    )
    side = vote.president_voted
    counts = {"for": vote.for_, "against": vote.against, "abstain": vote.abstain}
    if side is not None and counts.get(side, 0) == 0:
        return verdict(
            "vote_outcome",
            ref,
            False,
            "the president is said to have voted {side} but there are 0 votes {side}",
            "le président aurait voté {side_fr} mais il y a 0 voix {side_fr}",
            **figures,
            side=side,
            side_fr=SIDES_FR.get(side, side),
        )
    if side is not None and not president_takes_part(attendance):
        en, fr = _why_no_casting_vote(attendance)
        return verdict(
            "vote_outcome",
            ref,
            False,
            en + ": he has no vote at this item, give no --president-voted",
            fr + " : il n'a pas de voix à cette affaire, ne donnez pas --president-voted",
            **figures,
        )
    if outcome is None:
        return verdict(
            "vote_outcome",
            ref,
            False,
            "tie {for_}–{against} in a public vote: the president's vote decides; "
            "give it with --president-voted for|against|abstain",
            "égalité {for_}–{against} en scrutin public : la voix du président est prépondérante ; "
            "indiquez-la avec --president-voted for|against|abstain",
            **figures,
        )
    if account:
        majority = vote.against > vote.for_
        return verdict(
            "vote_outcome",
            ref,
            True,
            "compte administratif: {against} against, {for_} for of {cast} votes cast: "
            + ("a majority against: rejected" if majority else "no majority against: adopted"),
            "compte administratif : {against} contre, {for_} pour sur {cast} suffrages exprimés : "
            + ("majorité contre : rejeté" if majority else "pas de majorité contre : arrêté"),
            **figures,
        )
    base_en = "{for_} for, {against} against of {cast} votes cast: "
    base_fr = "{for_} pour, {against} contre sur {cast} suffrages exprimés : "
    if figures["casting_vote"]:
        return verdict(
            "vote_outcome",
            ref,
            True,
            base_en + outcome + ", the president's casting vote ({side}) decided",
            base_fr + OUTCOME_FR[outcome] + ", voix du président prépondérante ({side_fr})",
            **figures,
            side=side,
            side_fr=SIDES_FR.get(side or "", ""),
        )
    tie = vote.for_ == vote.against and vote.cast > 0 and not vote.secret
    if tie:
        en, fr = (
            _why_no_casting_vote(attendance)
            if not president_takes_part(attendance)
            else ("the president abstained", "le président s'est abstenu")
        )
        return verdict(
            "vote_outcome",
            ref,
            True,
            base_en + "tie, " + en + ": no casting vote, rejected",
            base_fr + "partage des voix, " + fr + " : pas de voix prépondérante, rejetée",
            **figures,
        )
    return verdict("vote_outcome", ref, True, base_en + outcome, base_fr + OUTCOME_FR[outcome], **figures)


@rule("president_present", Cited)
def president_present(facts: Facts, params: Cited) -> Verdict:
    """The council is presided by a member present (L2121-14): the mayor, failing him a deputy
    in the order of nominations, then a councillor (L2122-17). A president absent, or who left
    before the item, presides nothing: another is named for the item (``act vote --president``).
    For a département the order of the vice-presidents is L3122-2's (a vacancy of the seat) and
    L3221-3's (delegation), for a région L4231-3's: read for an absent president (unconfirmed)."""
    assert facts.attendance is not None
    president = facts.attendance.president
    if president is None:
        return verdict(
            "president_present",
            params.article,
            False,
            "no president: the mayor and the deputies are not present; name a member present with --president",
            "pas de président : ni le maire ni les adjoints ne sont présents ; désignez un membre présent "
            "avec --president",
            president="—",
        )
    passed = president in facts.attendance.present
    return verdict(
        "president_present",
        params.article,
        passed,
        "{president} presides, present"
        if passed
        else "the president {president} is not present: "
        "the council is presided by a member present (the mayor, else a deputy in the order of "
        "nominations, else a councillor); name one with --president",
        "{president} préside, présent(e)"
        if passed
        else "le président {president} n'est pas présent : "
        "le conseil est présidé par un membre présent (le maire, à défaut un adjoint dans l'ordre des "
        "nominations, à défaut un conseiller) ; désignez-le avec --president",
        president=president,
    )


@rule("account_vote", Cited)
def account_vote(facts: Facts, params: Cited) -> Verdict:
    """The *compte administratif*: the council elects its own president for the item, and the
    mayor, who may attend the debate, withdraws at the vote (L2121-14): he neither presides nor
    votes, nor is represented. Any other act passes. For a département, L3312-5 (confirmed): the
    council debates it under the presidency of one of its members and its president withdraws at
    the vote; for a région, L4312-9 (unconfirmed)."""
    if not is_account(facts):
        return verdict(
            "account_vote", params.article, True, "not a compte administratif", "pas un compte administratif"
        )
    assert facts.attendance is not None
    attendance = facts.attendance
    mayor = facts.extra.get("mayor")
    problems_en: list[str] = []
    problems_fr: list[str] = []
    if mayor is not None and attendance.president == mayor:
        problems_en.append(f"the mayor {mayor} presides: the council elects another president (--president)")
        problems_fr.append(f"le maire {mayor} préside : le conseil élit un autre président (--president)")
    if mayor is not None and mayor in attendance.voters:
        problems_en.append(f"the mayor {mayor} takes part in the vote: he withdraws (--left or --recused)")
        problems_fr.append(f"le maire {mayor} prend part au vote : il se retire (--left ou --recused)")
    return verdict(
        "account_vote",
        params.article,
        not problems_en,
        "; ".join(problems_en) or "compte administratif: presided by {president}, the mayor withdrawn",
        "; ".join(problems_fr) or "compte administratif : présidé par {president}, le maire retiré",
        president=attendance.president or "—",
        mayor=mayor or "—",
    )


SIDES_FR = {"for": "pour", "against": "contre", "abstain": "abstention"}


def _roll_call_problems(facts: Facts) -> tuple[list[str], list[str]]:
    assert facts.vote is not None and facts.attendance is not None
    vote, attendance = facts.vote, facts.attendance
    en: list[str] = []
    fr: list[str] = []
    counts = {"for": vote.for_, "against": vote.against, "abstain": vote.abstain}
    # for and against are always called; abstentions when given
    called_sides = [side for side in SIDES_FR if side != "abstain" or side in vote.names]
    for side in called_sides:
        names = vote.names.get(side, ())
        if len(names) != counts[side]:
            called = len(names)
            en.append(f"{plural(called, 'name', 'names', 'en')} called {side} ≠ {counts[side]} counted")
            fr.append(
                f"{plural(called, 'nom appelé', 'noms appelés', 'fr')} {SIDES_FR[side]} ≠ {counts[side]} au décompte"
            )
        strangers = sorted(set(names) - attendance.voters)
        if strangers:
            en.append(f"{', '.join(strangers)}: not taking part in this item ({side})")
            fr.append(f"{', '.join(strangers)} : ne prend pas part à cette affaire ({SIDES_FR[side]})")
    seen: dict[str, str] = {}
    for side in SIDES_FR:
        for name in vote.names.get(side, ()):
            if name in seen and seen[name] == side:
                en.append(f"{name} is called twice ({side})")
                fr.append(f"{name} est appelé deux fois ({SIDES_FR[side]})")
            elif name in seen:
                en.append(f"{name} is called both {seen[name]} and {side}")
                fr.append(f"{name} est appelé à la fois {SIDES_FR[seen[name]]} et {SIDES_FR[side]}")
            seen[name] = side
    president = attendance.president
    if president in seen and vote.president_voted and seen[president] != vote.president_voted:
        en.append(f"the president {president} is called {seen[president]}, not {vote.president_voted}")
        fr.append(
            f"le président {president} est appelé {SIDES_FR[seen[president]]}, non {SIDES_FR[vote.president_voted]}"
        )
    return en, fr


@rule("roll_call", Cited)
def roll_call(facts: Facts, params: Cited) -> Verdict:
    """A public vote by roll call records each voter's name and side (L2121-21): the names called
    for and against (and abstaining, when given) match their counts, every name takes part in the
    item (present and not recused, or represented by a proxy held), nobody is called twice, the
    president's side agrees with the call. A secret ballot records no name."""
    assert facts.vote is not None
    vote = facts.vote
    ref = params.article
    called = sum(len(n) for n in vote.names.values())
    if not vote.names:
        return verdict("roll_call", ref, True, "no roll call", "pas d'appel nominal", called=0)
    if vote.secret:
        return verdict(
            "roll_call",
            ref,
            False,
            "a secret ballot records no names ({called} given)",
            "un scrutin secret n'enregistre aucun nom ({called} donnés)",
            called=called,
        )
    en, fr = _roll_call_problems(facts)
    return verdict(
        "roll_call",
        ref,
        not en,
        "{called} names called, each matching the counts and taking part" if not en else "{problems_en}",
        "{called} noms appelés, conformes aux décomptes et prenant part au vote" if not fr else "{problems_fr}",
        called=called,
        problems_en="; ".join(en),
        problems_fr="; ".join(fr),
    )
