"""docs/protocol.md's test vectors, checked against the implementation and an independent encoder."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.settings import PROJECT_ROOT
from plugins.voting.protocol.credentials import (
    ballot_url,
    code_to_seed,
    fragment_to_seed,
    public_key_hex,
    seed_to_code,
    seed_to_fragment,
)
from plugins.voting.protocol.rules import Unit, group_voters, register_digest

DOC = (PROJECT_ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


def vector(label: str) -> str:
    match = re.search(rf"^{re.escape(label)}\s+(\S+)$", DOC, flags=re.MULTILINE)
    assert match, label
    return match.group(1)


def test_credential_vector():
    seed = bytes.fromhex(vector("seed (hex)"))
    assert public_key_hex(seed) == vector("public key (hex)")
    # independent of our helpers: RFC 8032 key derivation and RFC 4648 encodings
    assert Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw().hex() == vector(
        "public key (hex)"
    )
    assert "k=" + base64.urlsafe_b64encode(seed).decode().rstrip("=") == vector("fragment")
    assert "k=" + seed_to_fragment(seed) == vector("fragment")
    assert seed_to_code(seed) == vector("typed code")
    assert code_to_seed(vector("typed code").lower().replace("-", " ")) == seed
    assert fragment_to_seed(vector("fragment")[2:]) == seed
    assert ballot_url("https://wuye.example", "MEETING", seed) == vector("URL")


def test_register_digest_vector():
    canonical = re.search(r"The canonical document is\n\n```\n(.*?)\n```", DOC, flags=re.DOTALL).group(1)
    digest = re.search(r"its digest is `([0-9a-f]{64})`", DOC).group(1)
    units = [
        Unit("1-101", 8950, "register", "O1", "张三", "C1", False),
        Unit("1-102", 9000, "survey", "O1", "张三", "C2", False),
        Unit("1-201", 7520, "contract", "DEV", "示范置业", "", True),
    ]
    voters = group_voters(units, "court_rule")
    assert register_digest(units, voters, "court_rule") == digest
    # an independent canonical encoder for this simple document: sorted keys, no whitespace
    document = json.loads(canonical)
    independent = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert independent == canonical
    assert hashlib.sha256(canonical.encode()).hexdigest() == digest


def test_receipt_link_vector():
    """§7.1: the fragment packs hash, key and signature; it unpacks to the §7 receipt, and only that."""
    from plugins.voting.protocol.ballot import receipt_fragment, receipt_from_fragment

    receipt = json.loads(vector("receipt (canonical)"))
    signature = vector("receipt signature")
    fragment = vector("receipt fragment")
    packed = base64.urlsafe_b64decode(fragment[2:].split(".")[0] + "=")
    assert packed == bytes.fromhex(receipt["ballot_hash"] + receipt["voter_key"] + signature)
    assert receipt_fragment(receipt, signature) == fragment
    assert receipt_from_fragment("MEETING", "#" + fragment) == {"receipt": receipt, "signature": signature}
    for bad in ("", "k=" + fragment[2:], fragment[:-1], fragment.replace(".", "!"), fragment[:100]):
        try:
            receipt_from_fragment("MEETING", bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
