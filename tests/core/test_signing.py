"""Canonical JSON (the fast path must equal RFC 8785 exactly) and signed messages."""

from __future__ import annotations

import random
import string

import pytest
import rfc8785

from core.signing import canonical_json, public_key_of, sign, signed_message, verify

SAMPLES = [
    {},
    [],
    {"b": 1, "a": [True, False, None], "c": {"z": "x", "y": ""}},
    {"text": '控制字符\x00\x01\x1f\b\f\n\r\t"\\/ \u2028\u2029 \x7f é 𝄞'},
    {"n": [0, -1, 2**53 - 1, -(2**53 - 1)]},
    {"choices": [{"motion": 1, "choice": "agree"}, {"motion": 3, "candidates": ["c1", "c2"]}]},
    {"float": 1.5, "e": 1e21},
    {"键": 1, "a": 2},
]


@pytest.mark.parametrize("obj", SAMPLES)
def test_canonical_json_is_rfc8785(obj):
    assert canonical_json(obj) == rfc8785.dumps(obj)


def test_canonical_json_random_documents_match_rfc8785():
    rng = random.Random(8785)
    alphabet = string.printable + "中文字符éß\x00\x1f\u2028𝄞"

    def value(depth: int):
        kind = rng.randrange(6 if depth < 3 else 3)
        if kind == 0:
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        if kind == 1:
            return rng.randrange(-(10**12), 10**12)
        if kind == 2:
            return rng.choice([True, False, None])
        if kind == 3:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {
            "".join(rng.choice(string.ascii_letters) for _ in range(rng.randrange(1, 5))): value(depth + 1)
            for _ in range(rng.randrange(4))
        }

    for _ in range(500):
        doc = value(0)
        assert canonical_json(doc) == rfc8785.dumps(doc)


def test_a_signature_is_bound_to_its_domain_and_context():
    seed = bytes(range(32))
    message = signed_message("wuye-ballot-v1", "M1", {"a": 1})
    signature = sign(seed, message)
    assert verify(public_key_of(seed), signature, message)
    assert not verify(public_key_of(seed), signature, signed_message("wuye-receipt-v1", "M1", {"a": 1}))
    assert not verify(public_key_of(seed), signature, signed_message("wuye-ballot-v1", "M2", {"a": 1}))
    with pytest.raises(ValueError):
        signed_message("wuye\x00", "M1", {})
