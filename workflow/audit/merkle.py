"""Merkle tree hash of a council's log, as in RFC 9162 (Certificate Transparency v2), section 2.1.

The leaves are the events' canonical bytes (``workflow.store.history``), in ``seq`` order: leaf
``i`` (from 0) is the event ``seq = i + 1``. Hashes are SHA-256 with domain separation:
``leaf = SHA-256(0x00 || data)``, ``node = SHA-256(0x01 || left || right)``; the tree over ``n``
leaves splits at the largest power of two smaller than ``n`` (MTH, RFC 9162 §2.1.1); the empty
tree's hash is SHA-256 of nothing. Inclusion proofs (§2.1.3) and consistency proofs (§2.1.4) and
their verification follow the RFC's algorithms, so that any RFC 9162 / RFC 6962 tool checks them.

Functions below take *leaf hashes* (already ``leaf_hash``-ed), as bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


@dataclass
class TreeBuilder:
    """Builds the tree hash leaf by leaf in O(log n) memory (the perfect subtrees so far).

    ``subtrees`` is the log's *frontier*: the roots of the perfect subtrees, left to right, each
    as ``(first leaf index, size, hash)``; folding them from the right gives the tree hash.
    """

    subtrees: list[tuple[int, int, bytes]] = field(default_factory=list)
    size: int = 0

    def add(self, leaf: bytes) -> None:
        self.subtrees.append((self.size, 1, leaf))
        self.size += 1
        while len(self.subtrees) > 1 and self.subtrees[-1][1] == self.subtrees[-2][1]:
            (start, width, left), (_, _, right) = self.subtrees[-2], self.subtrees[-1]
            self.subtrees[-2:] = [(start, width * 2, node_hash(left, right))]

    def root(self) -> bytes:
        if not self.subtrees:
            return EMPTY_ROOT
        result = self.subtrees[-1][2]
        for _, _, left in reversed(self.subtrees[:-1]):
            result = node_hash(left, result)
        return result


def tree_hash(leaves: Iterable[bytes]) -> bytes:
    """MTH over the given leaf hashes."""
    builder = TreeBuilder()
    for leaf in leaves:
        builder.add(leaf)
    return builder.root()


def _range_hash(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    builder = TreeBuilder()
    for index in range(lo, hi):
        builder.add(leaves[index])
    return builder.root()


def inclusion_proofs(leaves: Sequence[bytes], indices: Iterable[int]) -> dict[int, list[bytes]]:
    """The audit paths (RFC 9162 §2.1.3.1) of several leaves, in one pass over the tree."""
    wanted = sorted(set(indices))
    if any(not 0 <= i < len(leaves) for i in wanted):
        raise ValueError("leaf index out of the tree")
    paths: dict[int, list[bytes]] = {i: [] for i in wanted}

    def walk(lo: int, hi: int, inside: list[int]) -> bytes:
        if hi - lo == 1:
            return leaves[lo]
        mid = lo + _split(hi - lo)
        left_wanted = [i for i in inside if i < mid]
        right_wanted = [i for i in inside if i >= mid]
        left = walk(lo, mid, left_wanted) if left_wanted else _range_hash(leaves, lo, mid)
        right = walk(mid, hi, right_wanted) if right_wanted else _range_hash(leaves, mid, hi)
        for i in left_wanted:
            paths[i].append(right)
        for i in right_wanted:
            paths[i].append(left)
        return node_hash(left, right)

    if wanted:
        walk(0, len(leaves), wanted)
    return paths


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    return inclusion_proofs(leaves, [index])[index]


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes | None:
    """The root an audit path leads to (RFC 9162 §2.1.3.2), or None if the path is malformed."""
    if not 0 <= index < size:
        return None
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> bool:
    """Whether ``leaf`` is leaf ``index`` of the tree of ``size`` leaves whose hash is ``root``."""
    return root_from_inclusion(index, size, leaf, path) == root


def consistency_proof(leaves: Sequence[bytes], first: int) -> list[bytes]:
    """The proof that the first ``first`` leaves are a prefix of ``leaves`` (RFC 9162 §2.1.4.1)."""
    if not 0 <= first <= len(leaves):
        raise ValueError("the old size exceeds the tree")
    if first in (0, len(leaves)):
        return []

    def subproof(m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        if m == hi - lo:
            return [] if whole else [_range_hash(leaves, lo, hi)]
        k = _split(hi - lo)
        if m <= k:
            return subproof(m, lo, lo + k, whole) + [_range_hash(leaves, lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [_range_hash(leaves, lo, lo + k)]

    return subproof(first, 0, len(leaves), True)


def verify_consistency(first: int, second: int, proof: Sequence[bytes], first_root: bytes, second_root: bytes) -> bool:
    """Whether the tree of ``second`` leaves extends the tree of ``first`` (RFC 9162 §2.1.4.2)."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
