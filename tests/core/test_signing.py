"""Canonical JSON (the fast path must equal RFC 8785 exactly) and signed messages."""

from __future__ import annotations

import enum
import json
import random
import string

import pytest
import rfc8785

from core.signing import canonical_json, public_key_of, sign, signed_message, verify


class IntFlag(enum.IntEnum):
    A = 1
    B = 2


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


def test_every_code_point_encodes_as_rfc8785():
    """The fast encoder (msgspec, sorted keys) must escape exactly as RFC 8785: checked for every
    code point outside the surrogates, as a value and inside a list."""
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for at in range(0, len(points), 4096):
        chunk = points[at : at + 4096]
        doc = {"s": "".join(chunk), "each": chunk}
        assert canonical_json(doc) == rfc8785.dumps(doc)


def test_subclasses_of_plain_types_still_encode_canonically():
    class Choice(enum.StrEnum):
        AGREE = "agree"

    class Text(str):
        pass

    class Mapping(dict):
        pass

    for doc in (
        {"choice": Choice.AGREE},
        {"t": Text("文字"), "n": 3},
        Mapping(b=1, a=Mapping(d=Text("x"), c=[Choice.AGREE])),
        [IntFlag.A, {"k": IntFlag.B}],
    ):
        assert canonical_json(doc) == rfc8785.dumps(json.loads(json.dumps(doc)))


def test_a_signature_is_bound_to_its_domain_and_context():
    seed = bytes(range(32))
    message = signed_message("wuye-ballot-v1", "M1", {"a": 1})
    signature = sign(seed, message)
    assert verify(public_key_of(seed), signature, message)
    assert not verify(public_key_of(seed), signature, signed_message("wuye-receipt-v1", "M1", {"a": 1}))
    assert not verify(public_key_of(seed), signature, signed_message("wuye-ballot-v1", "M2", {"a": 1}))
    with pytest.raises(ValueError):
        signed_message("wuye\x00", "M1", {})
