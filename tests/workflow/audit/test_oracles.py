"""Independent implementations as oracles (issue 12, item 4): the canonical JSON of an event is
RFC 8785 (JCS) for every value délib stores, checked against the ``rfc8785`` package; the Merkle
tree, its inclusion and consistency proofs against ``pymerkle`` (RFC 9162 hashing)."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from workflow.audit import merkle
from workflow.store.history import canonical_json

# What facts and verdicts hold: text (any Unicode, control characters included), whole numbers
# within the interoperable range of JCS (±2**53), booleans, null, lists and objects. Keys are in
# the Basic Multilingual Plane, where sorting by code point (Python) and by UTF-16 code unit (JCS)
# agree; délib's keys are ASCII identifiers. Floats are never stored (amounts and counts are
# whole numbers, dates are text).
KEYS = st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=8)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.text(max_size=20),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_canonical_form_is_rfc_8785(value):
    assert canonical_json(value).encode("utf-8") == rfc8785.dumps(value)


def test_the_canonical_form_of_a_real_event_is_rfc_8785():
    facts = {
        "vote": {"for": 20, "against": 0, "abstain": 0, "names": {"for": ["ROLLAND Thierry", "D’HULST Élise"]}},
        "subject": "Bibliothèque numérique\tmétropolitaine \u2028 «€»",
        "held_at": "2024-12-13T18:00",
        "present": None,
        "secret": False,
    }
    assert canonical_json(facts).encode() == rfc8785.dumps(facts)


def _pymerkle(leaves: list[bytes]) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")
    for data in leaves:
        tree.append_entry(data)
    return tree


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=40))
def test_the_merkle_tree_agrees_with_pymerkle(data):
    oracle = _pymerkle(data)
    leaves = [merkle.leaf_hash(d) for d in data]
    for size in range(1, len(data) + 1):
        root = oracle.get_root(size)
        assert merkle.tree_hash(leaves[:size]) == root
        builder = merkle.TreeBuilder()
        for leaf in leaves[:size]:
            builder.add(leaf)
        assert builder.root() == root
        for index in range(size):
            path = merkle.inclusion_proof(leaves[:size], index)
            assert merkle.root_from_inclusion(index, size, leaves[index], path) == root
        for first in range(1, size + 1):
            proof = merkle.consistency_proof(leaves[:size], first)
            assert merkle.verify_consistency(first, size, proof, oracle.get_root(first), root)


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 9, 31, 64, 100])
def test_a_wrong_root_is_not_proven_consistent(size):
    data = [bytes([i]) * 3 for i in range(size + 5)]
    leaves = [merkle.leaf_hash(d) for d in data]
    oracle = _pymerkle(data)
    if size == 0:
        assert merkle.tree_hash([]) == oracle.get_root(0)
        return
    proof = merkle.consistency_proof(leaves, size)
    assert merkle.verify_consistency(size, len(data), proof, oracle.get_root(size), oracle.get_root(len(data)))
    assert not merkle.verify_consistency(size, len(data), proof, oracle.get_root(size - 1) if size > 1 else bytes(32),
                                         oracle.get_root(len(data)))  # fmt: skip
