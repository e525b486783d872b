"""Who is there: the attendance at a session's opening (present, absent, proxies, secretary,
president) and at each item (members who left or arrived, recusals, L2131-11).

Pure functions of the names typed and the members in office: nothing here reads the store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workflow.errors import InvalidInput
from workflow.facts import Attendance
from workflow.names import match_name


def resolve_attendance(
    members: Iterable[str],
    *,
    present: Sequence[str] = (),
    absent: Sequence[str] = (),
    proxies: Sequence[tuple[str, str]] = (),
    secretary: str | None = None,
    president: str | None = None,
    recorded: Sequence[tuple[str, str]] = (),
) -> Attendance:
    """The attendance at the opening, from what the clerk typed and the proxies recorded ahead.

    A proxy giver is absent. Without any ``present``, every member in office who is neither
    absent nor a giver is present (the clerk types the few absent, not the many present).
    A proxy recorded ahead (``recorded``, see :func:`record_proxy`) applies unless its giver is
    named ``--present`` or gives another ``--proxy``; when its holder is not present it lapses
    (kept in ``Attendance.lapsed``: it revives at an item if the holder arrives).
    """
    names = list(members)
    pairs = [(match_name(g, names), match_name(h, names)) for g, h in proxies]
    givers = [g for g, _ in pairs]
    if len(set(givers)) != len(givers):
        raise InvalidInput("A member gives two proxies.", "Un membre donne deux pouvoirs.")
    absent_set = {match_name(n, names) for n in absent}
    named_present = {match_name(n, names) for n in present}
    kept = [(g, h) for g, h in recorded if g not in givers and g not in named_present]
    givers += [g for g, _ in kept]
    if present:
        present_set = named_present
        clash = present_set & absent_set
        if clash:
            raise InvalidInput(
                f"{', '.join(sorted(clash))}: both present and absent.",
                f"{', '.join(sorted(clash))} : à la fois présent et absent.",
            )
        absent_set |= set(names) - present_set - set(givers)
    else:
        present_set = set(names) - absent_set - set(givers)
    return Attendance(
        present=frozenset(present_set),
        proxies=tuple(sorted(pairs + [(g, h) for g, h in kept if h in present_set])),
        absent=frozenset(absent_set - set(givers)),
        secretary=match_name(secretary, names) if secretary else None,
        president=match_name(president, names) if president else None,
        lapsed=tuple(sorted((g, h) for g, h in kept if h not in present_set)),
    )


def default_president(
    present: Iterable[str], *, mayor: str | None, deputies: Sequence[str], table: Sequence[str]
) -> str | None:
    """Who presides when the clerk names nobody (CGCT art. L2121-14, L2122-17): the mayor if
    present; failing him a deputy present, in the order of nominations (``deputies``, by rank);
    failing a deputy, a councillor present in the order of the table (``table``: délib knows the
    order in which members were registered, taken as the order of the table — unconfirmed, the
    council may also designate one: ``--president``). None when nobody is present."""
    here = set(present)
    if mayor is not None and mayor in here:
        return mayor
    return next((name for name in (*deputies, *table) if name in here), None)


def item_attendance(
    opening: Attendance,
    names: Sequence[str],
    *,
    previous: Attendance | None = None,
    left: Sequence[str] = (),
    arrived: Sequence[str] = (),
    recused: Sequence[str] = (),
    president: str | None = None,
) -> Attendance:
    """The attendance for one item: the previous item's presence (the opening's for the first
    item), less those who left, plus those who arrived. Members who left stay gone until they
    are said to arrive; recusal is per item and is not carried over.

    The proxies are those given for the session (at the opening, lapsed ones included): a proxy
    is exercised when its giver is away and its holder is present; a giver who arrives votes in
    person; a proxy whose holder left lapses for the item (and revives if the holder returns).
    A recused member is present or represented, and does not take part (L2131-11).
    ``president`` presides this item instead of the session's president (L2121-14: the council
    elects its president for the compte administratif; the president left, or is recused).
    """
    base = previous or opening
    left_set = {match_name(n, names) for n in left}
    arrived_set = {match_name(n, names) for n in arrived}
    recused_set = {match_name(n, names) for n in recused}
    _check_moves(base, left_set, arrived_set)
    present = (base.present - left_set) | arrived_set
    given = sorted(set(opening.proxies) | set(opening.lapsed))
    away = [(g, h) for g, h in given if g not in present]
    proxies = tuple((g, h) for g, h in away if h in present)
    represented = {g for g, _ in proxies}
    stray = recused_set - present - represented
    if stray:
        raise InvalidInput(
            f"{', '.join(sorted(stray))}: recused but neither present nor represented at this item.",
            f"{', '.join(sorted(stray))} : déporté(s) mais ni présent(s) ni représenté(s) à cette affaire.",
        )
    return Attendance(
        present=frozenset(present),
        proxies=proxies,
        absent=frozenset(set(names) - present - represented),
        recused=frozenset(recused_set),
        secretary=opening.secretary,
        president=match_name(president, names) if president else opening.president,
        lapsed=tuple((g, h) for g, h in away if h not in present),
    )


def _check_moves(base: Attendance, left: set[str], arrived: set[str]) -> None:
    """Refuse a departure or an arrival the previous item's presence contradicts."""
    problems = (
        [
            (
                f"{n} is said to leave and arrive at the same item",
                f"{n} part et arrive à la même affaire",
            )
            for n in sorted(left & arrived)
        ]
        + [
            (f"{n} left but was not present", f"{n} part mais n'était pas présent")
            for n in sorted(left - base.present - arrived)
        ]
        + [
            (f"{n} arrived but was already present", f"{n} arrive mais était déjà présent")
            for n in sorted(arrived & base.present - left)
        ]
    )
    if problems:
        raise InvalidInput(
            "; ".join(en for en, _ in problems) + " (--left/--arrived are counted from the previous item).",
            "; ".join(fr for _, fr in problems) + " (--left/--arrived se comptent depuis l'affaire précédente).",
        )
