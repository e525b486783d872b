"""RFC 9162 Merkle tree: the reference vectors of Certificate Transparency (RFC 6962 test data),
then every leaf and every pair of sizes of trees of all shapes up to 40 leaves."""

from __future__ import annotations

import hashlib

import pytest

from workflow.audit import merkle

DATA = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAVES = [merkle.leaf_hash(d) for d in DATA]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf index from 0, tree size, audit path)
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


def test_leaf_and_node_hashes_are_domain_separated():
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("size", range(9))
def test_tree_hash_matches_the_reference_roots(size):
    assert merkle.tree_hash(LEAVES[:size]).hex() == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_reference(index, size, path):
    proof = merkle.inclusion_proof(LEAVES[:size], index)
    assert [p.hex() for p in proof] == path
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(index, size, LEAVES[index], proof, root)
    assert not merkle.verify_inclusion(index, size, LEAVES[index], proof, bytes.fromhex(ROOTS[size - 1]))
    assert not merkle.verify_inclusion(index, size, LEAVES[(index + 1) % size], proof, root)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_reference(first, second, proof):
    made = merkle.consistency_proof(LEAVES[:second], first)
    assert [p.hex() for p in made] == proof
    old, new = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    assert merkle.verify_consistency(first, second, made, old, new)
    if first != second:
        assert not merkle.verify_consistency(first, second, made, bytes.fromhex(ROOTS[0]), new)


def _leaves(n):
    return [merkle.leaf_hash(f"event {i}".encode()) for i in range(n)]


def test_every_leaf_of_every_tree_shape_proves_and_a_wrong_leaf_does_not():
    for n in range(1, 41):
        leaves = _leaves(n)
        root = merkle.tree_hash(leaves)
        paths = merkle.inclusion_proofs(leaves, range(n))
        for i in range(n):
            assert merkle.verify_inclusion(i, n, leaves[i], paths[i], root), (i, n)
            assert not merkle.verify_inclusion(i, n, merkle.leaf_hash(b"forged"), paths[i], root)
            if n > 1:
                assert not merkle.verify_inclusion(i, n, leaves[i], paths[i], merkle.tree_hash(leaves[:-1]))


def test_every_prefix_is_consistent_and_a_rewritten_prefix_is_not():
    n = 40
    leaves = _leaves(n)
    roots = [merkle.tree_hash(leaves[:m]) for m in range(n + 1)]
    for second in range(1, n + 1):
        for first in range(0, second + 1):
            proof = merkle.consistency_proof(leaves[:second], first)
            assert merkle.verify_consistency(first, second, proof, roots[first], roots[second])
    rewritten = list(leaves)
    rewritten[3] = merkle.leaf_hash(b"rewritten")
    for first in range(4, n):
        proof = merkle.consistency_proof(rewritten, first)
        assert not merkle.verify_consistency(first, n, proof, roots[first], merkle.tree_hash(rewritten))


def test_frontier_holds_the_perfect_subtrees():
    builder = merkle.TreeBuilder()
    for leaf in _leaves(13):
        builder.add(leaf)
    assert [(start, size) for start, size, _ in builder.subtrees] == [(0, 8), (8, 4), (12, 1)]
    assert builder.root() == merkle.tree_hash(_leaves(13))
