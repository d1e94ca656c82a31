"""docs/protocol.md against the code: the natural order's table (§2.2, read from the document), the
grouping of units into voters (§2.1) and the worked inclusion-proof example (§9.2), so that the
document an outside verifier is written from cannot drift from what the code does."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from pathlib import Path

import pytest

from plugins.voting.protocol.record import ballot_leaf, merkle_path, merkle_root, root_from_path
from plugins.voting.protocol.rules import Unit, group_voters, natural_key

PROTOCOL = (Path(__file__).parents[3] / "docs" / "protocol.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The text of the section under ``heading`` up to the next heading of any level."""
    start = PROTOCOL.index(heading + "\n")
    end = PROTOCOL.find("\n#", start + len(heading))
    return PROTOCOL[start : end if end >= 0 else None]


def natural_order_rows() -> list[list[str]]:
    rows = []
    for line in section("### 2.2 Natural order of unit codes").splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            rows.append(re.findall(r"`([^`]+)`", first_cell))
    return rows


def test_the_document_has_the_table():
    assert len(natural_order_rows()) >= 8


@pytest.mark.parametrize("codes", natural_order_rows(), ids=lambda codes: " < ".join(codes))
def test_every_row_of_the_natural_order_table_is_what_the_code_does(codes):
    rng = random.Random(8)
    for _ in range(5):
        shuffled = codes[:]
        rng.shuffle(shuffled)
        assert sorted(shuffled, key=natural_key) == codes
    for before, after in itertools.pairwise(codes):
        assert natural_key(before) < natural_key(after)


def test_natural_order_is_total_and_handles_every_unicode_digit():
    # equal digit values are ordered by the whole code, whatever order they came in
    for codes in (["A-1", "A-001", "A-01"], ["A-01", "A-1", "A-001"]):
        assert sorted(codes, key=natural_key) == ["A-001", "A-01", "A-1"]
    # a text of digits that are not decimal (①, ²) is text, not a number (it used to raise ValueError)
    assert sorted(["3①", "1①", "①", "2"], key=natural_key) == ["1①", "2", "3①", "①"]
    # a prefix sorts first, and a number never meets a string
    assert sorted(["A1B2", "A1B"], key=natural_key) == ["A1B", "A1B2"]


def unit(code: str, owner: str, cert: str = "", dev: bool = False, area: int = 1000) -> Unit:
    return Unit(code, area, "register", owner, owner, cert, dev)


REGISTER = [
    unit("1-102", "O1", "C1"),
    unit("1-101", "O1", "C1"),
    unit("1-201", "O2", "C2"),
    unit("1-202", "O2", "C3"),
    unit("2-101", "DEV", dev=True),
    unit("1-301", "DEV", dev=True),
    unit("2-102", "DEV"),  # sold to a buyer recorded under the developer's key: not the developer's voter
    unit("2-201", "O3"),  # no certificate number
    unit("2-202", "O3"),
]


@pytest.mark.parametrize(
    ("method", "voters"),
    [
        (
            "court_rule",
            [["1-101", "1-102"], ["1-201", "1-202"], ["1-301", "2-101"], ["2-102"], ["2-201", "2-202"]],
        ),
        (
            "per_certificate",
            [["1-101", "1-102"], ["1-201"], ["1-202"], ["1-301", "2-101"], ["2-102"], ["2-201"], ["2-202"]],
        ),
        ("per_unit", [[u] for u in sorted((u.unit_code for u in REGISTER), key=natural_key)]),
    ],
)
def test_grouping_as_the_document_says(method, voters):
    grouped = group_voters(list(reversed(REGISTER)), method)
    assert [list(v.unit_codes) for v in grouped] == voters  # numbered by their first unit's order
    assert all(v.heads == 1 for v in grouped)
    assert [v.area_centi for v in grouped] == [1000 * len(codes) for codes in voters]


LEAVES = [
    {
        "voter_no": n,
        "ballot_hash": str(n) * 64,
        "received_at": f"2026-12-01T09:3{n}:00.000000Z",
        "signature": str(n) * 128,
    }
    for n in (1, 2, 3)
]
LEAF_HEX = [
    "40de5eb45cabfd8689e42c1a8b45985e198be294a2772aa940dab315735cc897",
    "866735a40341d356ce0fe8355b357dbaea737324850d45741b5f7a1e50ee1edc",
    "fdc9f620b4efb4b3d489b8d1a0125123ae124351666eacab409ca655921ba6cf",
]
N01 = "551248dd1878089920ae36f6bbfec41dd9480b4180139326d5646eec2c96dc02"
ROOT = "6ef91648a00d4d0e3c6015efde66a324dc6a6f4d1e45abb9febb9955fdb87d25"


def test_the_three_leaf_inclusion_example():
    leaves = [ballot_leaf(e) for e in LEAVES]
    assert [leaf.hex() for leaf in leaves] == LEAF_HEX
    assert hashlib.sha256(b"\x01" + leaves[0] + leaves[1]).hexdigest() == N01
    assert hashlib.sha256(b"\x01" + bytes.fromhex(N01) + leaves[2]).hexdigest() == ROOT
    assert merkle_root(leaves).hex() == ROOT
    paths = [merkle_path(leaves, i) for i in range(3)]
    assert paths == [
        [{"side": "right", "hash": LEAF_HEX[1]}, {"side": "right", "hash": LEAF_HEX[2]}],
        [{"side": "left", "hash": LEAF_HEX[0]}, {"side": "right", "hash": LEAF_HEX[2]}],
        [{"side": "left", "hash": N01}],  # the odd leaf had no sibling at the bottom level: no step
    ]
    for leaf, path in zip(leaves, paths, strict=True):
        assert root_from_path(leaf, path).hex() == ROOT
    # the side is the sibling's: swapping it breaks the proof
    assert root_from_path(leaves[2], [{"side": "right", "hash": N01}]).hex() != ROOT
    assert merkle_path(leaves[:1], 0) == [] and merkle_root(leaves[:1]) == leaves[0]
    assert merkle_root([]).hex() == hashlib.sha256(b"").hexdigest()


def test_the_document_shows_the_example_values():
    proofs = section("#### Inclusion proofs")
    for value in (*LEAF_HEX, N01, ROOT, hashlib.sha256(b"").hexdigest()):
        assert value in proofs
