"""Signed, witnessed checkpoints (issue 12, item 5): C2SP signed-note and tlog-checkpoint, Ed25519
cosignatures (tlog-cosignature/v1); a forged checkpoint is refused, a consistent rewrite of the
whole chain is caught by whoever holds a signed checkpoint."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.audit import note
from workflow.audit.checkpoint import parse_head
from workflow.errors import IntegrityFailure, InvalidInput

# The reference example of golang.org/x/mod/sumdb/note (the Go implementation the C2SP format
# comes from): Ed25519 being deterministic, the same key and text must give the same bytes.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
SQLITE = os.environ.get("DELIB_TEST_DB", "sqlite") == "sqlite"


def test_signing_reproduces_the_reference_note_byte_for_byte():
    signer = note.parse_signer(GO_SKEY)
    assert signer.verifier.encoded() == GO_VKEY
    assert signer.encoded() == GO_SKEY
    assert note.sign(GO_TEXT, signer) == GO_NOTE
    checked = note.verify(GO_NOTE, [note.parse_verifier(GO_VKEY)])
    assert checked.text == GO_TEXT and checked.signed_by == [("PeterNeumann", note.ED25519, 0)]


def test_an_altered_text_under_a_trusted_key_is_forged():
    forged = GO_NOTE.replace("answer", "question")
    with pytest.raises(IntegrityFailure, match="forged"):
        note.verify(forged, [note.parse_verifier(GO_VKEY)])


def test_unknown_keys_are_ignored_and_prove_nothing():
    other = note.generate("PeterNeumann")  # same name, another key: another key ID
    checked = note.verify(GO_NOTE, [other.verifier])
    assert checked.signed_by == []


@pytest.mark.parametrize(
    "text",
    [GO_TEXT, GO_TEXT + "\n", GO_TEXT + "\n— PeterNeumann !!!\n", GO_TEXT + "\nno dash\n", "a\x00b\n\n— k AAAAAAA=\n"],
)
def test_malformed_notes_are_refused(text):
    with pytest.raises(InvalidInput):
        note.split(text)


def test_a_cosignature_follows_tlog_cosignature_v1():
    witness = note.generate("prefecture-nord.gouv.fr/witness", note.COSIGNATURE)
    body = "delib/exemple\n3\n" + base64.b64encode(bytes(32)).decode() + "\n"
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    line = witness.signature_line(body, moment)
    name, data = line.removeprefix("— ").split()
    raw = base64.b64decode(data)
    assert name == witness.name and raw[:4] == note.key_id(witness.name, 0x04, witness.verifier.public)
    (stamp,) = struct.unpack(">Q", raw[4:12])
    assert stamp == int(moment.timestamp()) and len(raw) == 4 + 8 + 64
    message = f"cosignature/v1\ntime {stamp}\n".encode() + body.encode()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    Ed25519PublicKey.from_public_bytes(witness.verifier.public).verify(raw[12:], message)  # raises if wrong
    assert witness.verifier.encoded().split("+")[2].startswith(base64.b64encode(b"\x04").decode()[:1])


def test_a_checkpoint_text_has_exactly_the_three_lines():
    head = parse_head("delib/exemple\n12\n" + base64.b64encode(bytes(range(32))).decode() + "\n")
    assert (head.council, head.size, head.root) == ("exemple", 12, bytes(range(32)))
    for bad in ("delib/exemple\n012\nAA==\n", "other/x\n1\n" + base64.b64encode(bytes(32)).decode() + "\n"):
        with pytest.raises(InvalidInput):
            parse_head(bad)


# ---------------------------------------------------------------- through the CLI


@pytest.fixture
def signed(cli, tmp_path):
    """The demo, the council's key, a prefecture's cosigner key, a first signed checkpoint."""
    cli.ok("demo")
    log_pub = cli.ok("audit", "key", "generate", "--name", "exemple.fr/delib", "-o", str(tmp_path / "log.key"))
    (tmp_path / "log.pub").write_text(log_pub.stdout)
    pref = ("audit", "key", "generate", "--name", "prefecture.gouv.fr/w", "--cosigner", "-o", str(tmp_path / "p.key"))
    (tmp_path / "pref.pub").write_text(cli.ok(*pref).stdout)
    cli.ok("audit", "checkpoint", "exemple", "--key", str(tmp_path / "log.key"), "-o", str(tmp_path / "cp1"))
    return cli


def _verify(cli, tmp_path, checkpoint: str, *trust: str, signatures: int | None = None):
    args = ["audit", "verify", "--against", str(tmp_path / checkpoint)]
    for key in trust:
        args += ["--trust", str(tmp_path / key)]
    if signatures:
        args += ["--signatures", str(signatures)]
    return cli(*args, "--json")


def test_a_signed_checkpoint_is_a_c2sp_checkpoint_of_the_council(signed, tmp_path):
    text = (tmp_path / "cp1").read_text()
    body, signatures = note.split(text)
    lines = body.splitlines()
    events = len(signed.json("audit", "export", "--format", "json", "--council", "exemple"))
    assert lines[0] == "delib/exemple" and lines[1] == str(events) and len(lines) == 3
    assert len(base64.b64decode(lines[2])) == 32
    assert [s.name for s in signatures] == ["exemple.fr/delib"]
    result = _verify(signed, tmp_path, "cp1", "log.pub")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["checkpoint"]["signed_by"] == [{"key": "exemple.fr/delib", "kind": "signature", "timestamp": None}]
    assert data["checkpoint"]["councils"][0]["extends"] is True


def test_a_signed_checkpoint_needs_trusted_keys(signed, tmp_path):
    result = signed("audit", "verify", "--against", str(tmp_path / "cp1"))
    assert result.exit_code == 2 and "--trust" in result.stderr
    untrusted = _verify(signed, tmp_path, "cp1", "pref.pub")
    assert untrusted.exit_code == 9 and "0 verified signature(s)" in untrusted.stderr


@pytest.mark.parametrize("edit", ["size", "root"])
def test_a_forged_checkpoint_is_refused(signed, tmp_path, edit):
    text = (tmp_path / "cp1").read_text()
    lines = text.split("\n")
    if edit == "size":
        lines[1] = str(int(lines[1]) - 1)
    else:
        lines[2] = base64.b64encode(bytes(32)).decode()
    (tmp_path / "forged").write_text("\n".join(lines))
    result = _verify(signed, tmp_path, "forged", "log.pub")
    assert result.exit_code == 9 and "forged" in result.stderr


def test_a_checkpoint_signed_by_an_impostor_key_of_the_same_name_is_refused(signed, tmp_path):
    signed.ok("audit", "key", "generate", "--name", "exemple.fr/delib", "-o", str(tmp_path / "mallory.key"))
    signed.ok("audit", "checkpoint", "exemple", "--key", str(tmp_path / "mallory.key"), "-o", str(tmp_path / "fake"))
    result = _verify(signed, tmp_path, "fake", "log.pub")
    assert result.exit_code == 9 and "0 verified signature(s) of the trusted keys; 1 are required" in result.stderr


def test_an_unsigned_checkpoint_cannot_be_trusted(signed, tmp_path):
    signed.ok("audit", "checkpoint", "-o", str(tmp_path / "plain.json"))
    result = _verify(signed, tmp_path, "plain.json", "log.pub")
    assert result.exit_code == 9 and "unsigned checkpoint" in result.stderr


def test_cosigned_after_a_consistency_check_and_n_signatures_required(signed, tmp_path):
    k = str(tmp_path / "log.key")
    signed.ok("audit", "cosign", str(tmp_path / "cp1"), "--key", str(tmp_path / "p.key"), "--trust",
              str(tmp_path / "log.pub"), "-o", str(tmp_path / "cp1c"))  # fmt: skip
    assert _verify(signed, tmp_path, "cp1", "log.pub", "pref.pub", signatures=2).exit_code == 9
    assert _verify(signed, tmp_path, "cp1c", "log.pub", "pref.pub", signatures=2).exit_code == 0
    signed.ok("member", "add", "exemple", "NOUVEAU Membre")
    signed.ok("audit", "checkpoint", "exemple", "--key", k, "-o", str(tmp_path / "cp2"))
    signed.ok("audit", "consistency", str(tmp_path / "cp1c"), str(tmp_path / "cp2"), "-o", str(tmp_path / "proof"))
    cosign = ["audit", "cosign", str(tmp_path / "cp2"), "--key", str(tmp_path / "p.key"),
              "--trust", str(tmp_path / "log.pub"), "--last", str(tmp_path / "cp1c")]  # fmt: skip
    unproven = signed(*cosign, "-o", str(tmp_path / "cp2c"))
    assert unproven.exit_code == 9 and "not proven consistent" in unproven.stderr
    assert not (tmp_path / "cp2c").exists()
    signed.ok(*cosign, "--proof", str(tmp_path / "proof"), "-o", str(tmp_path / "cp2c"))
    data = json.loads(_verify(signed, tmp_path, "cp2c", "log.pub", "pref.pub", signatures=2).stdout)
    assert [s["kind"] for s in data["checkpoint"]["signed_by"]] == ["signature", "cosignature"]
    assert data["checkpoint"]["signed_by"][1]["timestamp"] > 1_700_000_000


@pytest.mark.skipif(not SQLITE, reason="sqlite only: rewrites the SQLite file")
def test_a_consistent_rewrite_of_the_whole_chain_is_caught_by_the_signed_checkpoint(signed, tmp_path):
    """The insider recomputes every hash after the vote and even a fresh JSON checkpoint with its
    seal: `audit verify` alone and against the JSON pass; the signed checkpoint does not."""
    from tests.workflow.audit.test_tamper import raw, rewrite_chain_from_the_vote

    with raw(signed) as con:
        rewrite_chain_from_the_vote(con)
    assert signed("audit", "verify").exit_code == 0
    signed.ok("audit", "checkpoint", "-o", str(tmp_path / "recomputed.json"))
    assert signed("audit", "verify", "--against", str(tmp_path / "recomputed.json")).exit_code == 0
    result = _verify(signed, tmp_path, "cp1", "log.pub")
    assert result.exit_code == 9
    assert "rewritten" in result.stderr
    consistency = signed("audit", "consistency", str(tmp_path / "cp1"), str(tmp_path / "cp1"))
    assert consistency.exit_code == 9


def test_verify_proof_without_a_checkpoint_says_it_proves_nothing_alone(signed, tmp_path):
    signed.ok("audit", "prove", "exemple/2024121302", "-o", str(tmp_path / "proof.json"))
    result = signed("audit", "verify-proof", str(tmp_path / "proof.json"))
    assert result.exit_code == 0
    assert "proves nothing on its own" in result.stderr.replace("\n", " ")
    fr = signed("audit", "verify-proof", str(tmp_path / "proof.json"), lang="fr")
    assert "ne prouve rien à elle seule" in fr.stderr.replace("\n", " ")
    assert "warning" in signed.json("audit", "verify-proof", str(tmp_path / "proof.json"))


def test_key_files_are_checked(signed, tmp_path):
    bad = tmp_path / "bad.key"
    bad.write_text("PRIVATE+KEY+x+00000000+AAAA\n")
    result = signed("audit", "checkpoint", "exemple", "--key", str(bad), "-o", str(tmp_path / "x"))
    assert result.exit_code == 2 and not (tmp_path / "x").exists()
    no_name = signed("audit", "key", "generate", "--name", "has space", "-o", str(tmp_path / "k"))
    assert no_name.exit_code == 2 and not Path(tmp_path / "k").exists()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.builds(lambda t, s: t + "\n\n— " + s + "\n", st.text(max_size=60), st.text(max_size=80)),
        st.sampled_from([GO_NOTE, GO_NOTE.replace("x08go", "x08gp"), GO_NOTE[:-2] + "\n", "\ufeff" + GO_NOTE]),
    )
)
def test_any_text_given_as_a_note_or_key_is_refused_cleanly(data):
    """Whatever a file holds, reading it as a note, a checkpoint or a key ends in délib's own error."""
    trusted = [note.parse_verifier(GO_VKEY)]
    for attempt in (
        lambda: note.verify(data, trusted),
        lambda: parse_head(data),
        lambda: note.parse_verifier(data),
        lambda: note.parse_signer(data),
    ):
        with contextlib.suppress(InvalidInput, IntegrityFailure):
            attempt()


def test_a_garbage_checkpoint_file_is_a_clean_refusal(signed, tmp_path):
    (tmp_path / "garbage").write_bytes(b"\xff\xfe\x00garbage\n\n\xe2\x80\x94 x y\n")
    result = _verify(signed, tmp_path, "garbage", "log.pub")
    assert result.exit_code == 2 and "Traceback" not in result.output
    (tmp_path / "bad.pub").write_text("not a key\n")
    assert _verify(signed, tmp_path, "cp1", "bad.pub").exit_code == 2
    (tmp_path / "proof.json").write_text('{"proof": 3}')
    cosign = signed("audit", "cosign", str(tmp_path / "cp1"), "--key", str(tmp_path / "p.key"), "--trust",
                    str(tmp_path / "log.pub"), "--last", str(tmp_path / "cp1"), "--proof",
                    str(tmp_path / "proof.json"), "-o", str(tmp_path / "out"))  # fmt: skip
    assert cosign.exit_code == 2 and not (tmp_path / "out").exists()


def test_an_act_is_proven_against_a_signed_checkpoint_and_checked_offline(signed, tmp_path):
    act = "exemple/2024121302"
    proof = tmp_path / "proof.json"
    signed.ok("audit", "prove", act, "--against", str(tmp_path / "cp1"), "--trust", str(tmp_path / "log.pub"),
              "-o", str(proof))  # fmt: skip
    data = json.loads(proof.read_text())
    assert data["checkpoint"]["format"] == "c2sp-tlog-checkpoint" and data["checkpoint"]["note"].startswith("delib/")
    check = ["audit", "verify-proof", str(proof), "--checkpoint", str(tmp_path / "cp1")]
    result = signed(*check, "--trust", str(tmp_path / "log.pub"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True and "warning" not in json.loads(result.stdout)
    assert signed(*check, "--trust", str(tmp_path / "pref.pub")).exit_code == 9  # not signed by that key
    assert signed(*check).exit_code == 2  # a signed checkpoint is read only with --trust
    forged = json.loads(proof.read_text())
    forged["checkpoint"]["note"] = forged["checkpoint"]["note"].replace("\n" + str(data["tree_size"]) + "\n", "\n1\n")
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    bad = signed("audit", "verify-proof", str(tmp_path / "forged.json"), "--checkpoint", str(tmp_path / "cp1"),
                 "--trust", str(tmp_path / "log.pub"))  # fmt: skip
    assert bad.exit_code == 9 and "not the one of its checkpoint" in " ".join(bad.stderr.split())
