"""Signed notes (C2SP ``signed-note``), Ed25519 keys and cosignatures (C2SP ``tlog-cosignature``).

A note is a text ending in a newline, a blank line, then one signature line per key:
``— <key name> base64(key ID || signature)``. The key ID is the first four bytes of
``SHA-256(key name || 0x0A || type || 32-byte public key)``; the type is ``0x01`` for an Ed25519
signature of the text, ``0x04`` for a timestamped Ed25519 *cosignature*, whose signed message is
``cosignature/v1\\ntime <POSIX seconds>\\n`` followed by the text, and whose signature is
``key ID || uint64 timestamp (big-endian) || Ed25519 signature``.

Keys are written as the Go ``golang.org/x/mod/sumdb/note`` tools write them, so that existing
transparency-log tooling reads them: a verifier key ``<name>+<key ID hex>+base64(type || public
key)``; a signer key ``PRIVATE+KEY+<name>+<key ID hex>+base64(type || 32-byte seed)``.

Verification follows the specification: signatures from unknown keys (name and ID not both
matching a trusted key) are ignored; a signature from a trusted key that does not verify makes the
whole note refused (a forged note); a note with no verified trusted signature is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from workflow.errors import IntegrityFailure, InvalidInput

ED25519 = 0x01  # signed-note: an Ed25519 signature of the note text
COSIGNATURE = 0x04  # tlog-cosignature/v1: a timestamped Ed25519 witness cosignature
KINDS = {ED25519: "signature", COSIGNATURE: "cosignature"}
DASH = "\u2014 "
MAX_SIGNATURES = 100  # the specification asks to accept at least 16


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def check_key_name(name: str) -> str:
    """A key name: not empty, no space, no ``+`` (signed-note); e.g. ``wambrechies.fr/delib``."""
    if not name or any(c.isspace() or c == "+" for c in name) or not name.isprintable():
        raise InvalidInput(
            f"Key name {name!r} is not valid: it must be non-empty, without spaces or '+' (e.g. wambrechies.fr/delib).",
            f"Le nom de clé {name!r} n'est pas valide : non vide, sans espace ni « + » (ex. wambrechies.fr/delib).",
        )
    return name


@dataclass(frozen=True)
class Verifier:
    """A public key a verifier trusts: its name, its type and its 32 bytes."""

    name: str
    kind: int
    public: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    def encoded(self) -> str:
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(bytes([self.kind]) + self.public).decode()}"

    def check(self, text: str, signature: bytes) -> int | None:
        """Whether ``signature`` (without the key ID) signs ``text``; its timestamp for a
        cosignature (0 for a plain signature); None when it does not verify."""
        key = Ed25519PublicKey.from_public_bytes(self.public)
        if self.kind == COSIGNATURE:
            if len(signature) != 72:
                return None
            (stamp,) = struct.unpack(">Q", signature[:8])
            message, raw = cosigned_message(text, stamp), signature[8:]
        else:
            stamp, message, raw = 0, text.encode(), signature
        try:
            key.verify(raw, message)
        except InvalidSignature:
            return None
        return stamp


@dataclass(frozen=True)
class Signer:
    """A private key: signs notes (type 0x01) or cosigns checkpoints (type 0x04)."""

    name: str
    kind: int
    seed: bytes

    @property
    def verifier(self) -> Verifier:
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return Verifier(self.name, self.kind, public.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def encoded(self) -> str:
        data = base64.b64encode(bytes([self.kind]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{data}"

    def signature_line(self, text: str, now: datetime | None = None) -> str:
        key = Ed25519PrivateKey.from_private_bytes(self.seed)
        if self.kind == COSIGNATURE:
            stamp = int((now or _now()).timestamp())
            body = struct.pack(">Q", stamp) + key.sign(cosigned_message(text, stamp))
        else:
            body = key.sign(text.encode())
        return f"{DASH}{self.name} {base64.b64encode(self.verifier.id + body).decode()}\n"


def _now() -> datetime:
    from workflow.dates import utc_now

    return utc_now()


def cosigned_message(text: str, stamp: int) -> bytes:
    """tlog-cosignature/v1: the header line, the time line, then the checkpoint's note text."""
    return f"cosignature/v1\ntime {stamp}\n".encode() + text.encode()


def generate(name: str, kind: int = ED25519) -> Signer:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return Signer(check_key_name(name), kind, seed)


def _bad_key(what: str, where: str) -> InvalidInput:
    return InvalidInput(
        f"{where} is not a valid {what} "
        f"(expected {'PRIVATE+KEY+NAME+ID+DATA' if what == 'signer key' else 'NAME+ID+DATA'}).",
        f"{where} n'est pas une {'clé privée' if what == 'signer key' else 'clé publique'} valide.",
    )


def parse_signer(encoded: str, where: str = "the key") -> Signer:
    parts = encoded.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise _bad_key("signer key", where)
    _, _, name, hex_id, data = parts
    raw = _b64(data, where, "signer key")
    if len(raw) != 33 or raw[0] not in KINDS:
        raise _bad_key("signer key", where)
    signer = Signer(check_key_name(name), raw[0], raw[1:])
    if signer.verifier.id.hex() != hex_id.lower():
        raise _bad_key("signer key", where)
    return signer


def parse_verifier(encoded: str, where: str = "the key") -> Verifier:
    parts = encoded.strip().split("+", 2)
    if len(parts) != 3:
        raise _bad_key("verifier key", where)
    name, hex_id, data = parts
    raw = _b64(data, where, "verifier key")
    if len(raw) != 33 or raw[0] not in KINDS:
        raise _bad_key("verifier key", where)
    verifier = Verifier(check_key_name(name), raw[0], raw[1:])
    if verifier.id.hex() != hex_id.lower():
        raise _bad_key("verifier key", where)
    return verifier


def _b64(data: str, where: str, what: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _bad_key(what, where) from None


@dataclass(frozen=True)
class Signature:
    name: str
    id: bytes
    body: bytes


def split(note: str, where: str = "the note") -> tuple[str, list[Signature]]:
    """The text of a note and its signature lines, as the format says (refused if malformed)."""
    if any(ord(c) < 0x20 and c != "\n" for c in note) or not note.endswith("\n"):
        raise _malformed(where)
    cut = note.rfind("\n\n")
    if cut < 0:
        raise _malformed(where)
    text, lines = note[: cut + 1], note[cut + 2 :].splitlines()
    if not lines or len(lines) > MAX_SIGNATURES:
        raise _malformed(where)
    signatures = []
    for line in lines:
        if not line.startswith(DASH):
            raise _malformed(where)
        name, _, data = line[len(DASH) :].rpartition(" ")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise _malformed(where) from None
        if not name or len(raw) < 5:
            raise _malformed(where)
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return text, signatures


def _malformed(where: str) -> InvalidInput:
    return InvalidInput(
        f"{where} is not a signed note (C2SP signed-note: a text, a blank line, then '— NAME SIGNATURE' lines).",
        f"{where} n'est pas une note signée (C2SP signed-note : un texte, une ligne vide, puis des lignes "
        "« — NOM SIGNATURE »).",
    )


@dataclass(frozen=True)
class Checked:
    """A note whose trusted signatures verified: its text, who signed (name, kind, timestamp)."""

    text: str
    signed_by: list[tuple[str, int, int]]


def verify(note: str, trusted: list[Verifier], where: str = "the note") -> Checked:
    """Check a note's signatures against the trusted keys (see the module's docstring)."""
    text, signatures = split(note, where)
    by_key = {(v.name, v.id): v for v in trusted}
    signed_by: list[tuple[str, int, int]] = []
    for signature in signatures:
        verifier = by_key.get((signature.name, signature.id))
        if verifier is None:
            continue
        stamp = verifier.check(text, signature.body)
        if stamp is None:
            raise IntegrityFailure(
                f"{where} is forged: the signature of {signature.name} (a trusted key) does not verify.",
                f"{where} est contrefait(e) : la signature de {signature.name} (une clé de confiance) "
                "ne se vérifie pas.",
            )
        if all(name != verifier.name or kind != verifier.kind for name, kind, _ in signed_by):
            signed_by.append((verifier.name, verifier.kind, stamp))
    return Checked(text, signed_by)


def sign(text: str, signer: Signer, now: datetime | None = None) -> str:
    """A new note: ``text`` signed by ``signer``."""
    return text + "\n" + signer.signature_line(text, now)


def add_signature(note: str, signer: Signer, now: datetime | None = None, where: str = "the note") -> str:
    """The note with one more signature line (a cosignature, usually); an existing signature of the
    same key is replaced."""
    text, signatures = split(note, where)
    line = signer.signature_line(text, now)
    kept = [s for s in signatures if (s.name, s.id) != (signer.name, signer.verifier.id)]
    lines = [f"{DASH}{s.name} {base64.b64encode(s.id + s.body).decode()}\n" for s in kept]
    return text + "\n" + "".join(lines) + line
