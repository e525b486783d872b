"""Attendance at the opening and at each item (service.resolve_attendance, item_attendance)."""

from __future__ import annotations

import pytest

from workflow.errors import InvalidInput
from workflow.service.attendance import item_attendance, resolve_attendance

NAMES = [f"M{i:02d} Élu" for i in range(1, 11)]  # 10 in office


def opening(**kwargs):
    return resolve_attendance(NAMES, secretary=NAMES[0], president=NAMES[0], **kwargs)


def test_a_recorded_proxy_applies_and_its_giver_is_absent():
    att = opening(recorded=[(NAMES[9], NAMES[1])])
    assert att.proxies == ((NAMES[9], NAMES[1]),) and NAMES[9] not in att.present
    assert att.taking_part == 10


def test_a_recorded_proxy_gives_way_to_the_clerks_word():
    replaced = opening(recorded=[(NAMES[9], NAMES[1])], proxies=[(NAMES[9], NAMES[2])])
    assert replaced.proxies == ((NAMES[9], NAMES[2]),)
    came = resolve_attendance(NAMES, present=NAMES, recorded=[(NAMES[9], NAMES[1])])
    assert came.proxies == () and NAMES[9] in came.present


def test_a_recorded_proxy_whose_holder_is_absent_lapses():
    att = opening(recorded=[(NAMES[9], NAMES[1])], absent=[NAMES[1]])
    assert att.proxies == () and att.lapsed == ((NAMES[9], NAMES[1]),)
    assert att.taking_part == 8


def test_leaving_and_arriving_between_items():
    start = opening(absent=[NAMES[8]], proxies=[(NAMES[9], NAMES[1])])
    first = item_attendance(start, NAMES, left=[NAMES[2]], arrived=[NAMES[8]])
    assert NAMES[2] not in first.present and NAMES[8] in first.present
    assert first.taking_part == 9  # 8 present at the opening, one left, one arrived, one proxy
    # the next item starts from the previous one: who left stays gone until said to arrive
    second = item_attendance(start, NAMES, previous=first)
    assert second.present == first.present
    third = item_attendance(start, NAMES, previous=second, arrived=[NAMES[2]])
    assert NAMES[2] in third.present and third.taking_part == 10


def test_a_proxy_whose_holder_left_lapses_and_revives_when_the_holder_returns():
    start = opening(proxies=[(NAMES[9], NAMES[1])])
    gone = item_attendance(start, NAMES, left=[NAMES[1]])
    assert gone.proxies == () and gone.lapsed == ((NAMES[9], NAMES[1]),)
    assert gone.taking_part == 8
    back = item_attendance(start, NAMES, previous=gone, arrived=[NAMES[1]])
    assert back.proxies == ((NAMES[9], NAMES[1]),) and back.taking_part == 10


def test_a_giver_who_arrives_votes_in_person():
    start = opening(proxies=[(NAMES[9], NAMES[1])])
    arrived = item_attendance(start, NAMES, arrived=[NAMES[9]])
    assert arrived.proxies == () and NAMES[9] in arrived.present and arrived.taking_part == 10


def test_recusal_is_per_item_and_a_recused_holder_carries_nothing():
    start = opening(proxies=[(NAMES[9], NAMES[1])])
    recused = item_attendance(start, NAMES, recused=[NAMES[1]])
    assert recused.taking_part == 8  # neither the holder nor the proxy
    assert NAMES[1] not in recused.voters and NAMES[9] not in recused.voters
    nxt = item_attendance(start, NAMES, previous=recused)
    assert nxt.recused == frozenset() and nxt.taking_part == 10
    giver = item_attendance(start, NAMES, recused=[NAMES[9]])  # a represented giver may be recused
    assert giver.taking_part == 9


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"left": [NAMES[8]]}, "left but was not present"),
        ({"arrived": [NAMES[0]]}, "arrived but was already present"),
        ({"left": [NAMES[0]], "arrived": [NAMES[0]]}, "leave and arrive at the same item"),
        ({"recused": [NAMES[8]]}, "recused but neither present nor represented"),
    ],
)
def test_impossible_moves_are_refused(kwargs, text):
    start = opening(absent=[NAMES[8]])
    with pytest.raises(InvalidInput) as refused:
        item_attendance(start, NAMES, **kwargs)
    assert text in refused.value.message("en")
