"""The sealed record of a meeting and its hash root (docs/protocol.md §9). Pure: no database.

The record has six sections: ``meeting`` (what was put to the vote, officials, meeting key, register
digest), ``rules`` (the jurisdiction profile as published), ``register`` (units and voters),
``credentials`` (every public key issued, with revocations), ``ballots`` (every online ballot as
received) and ``paper`` (every paper entry, with who entered and who confirmed it).

Each of the first four is hashed whole: ``SHA-256(RFC8785(section))``. Ballots and paper entries are
leaves of Merkle trees, so one ballot's inclusion can be shown with a short path:
``leaf = SHA-256(0x00 || RFC8785(entry))``, ``node = SHA-256(0x01 || left || right)`` (RFC 6962's
prefixes), built level by level, an odd last node carried up unchanged. The seal
statement names the six digests, the counts and the time; the **root** is SHA-256 of the statement's
signed message, and the meeting key signs that message.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from core import canonical_json, signed_message

RECORD_PROTOCOL = "wuye-record-v1"
SEAL_DOMAIN = "wuye-seal-v1"
#: The published record of §10 and its seal (constants here so that hashing needs no other module).
RECORD_V2 = "wuye-record-v2"
SEAL_V2 = "wuye-seal-v2"
#: record protocol → seal protocol (the seal message's domain)
SEAL_OF = {RECORD_PROTOCOL: SEAL_DOMAIN, RECORD_V2: SEAL_V2}
SECTIONS = ("meeting", "rules", "register", "credentials", "ballots", "paper")


RECORD_KEYS = frozenset(("protocol", *SECTIONS))


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection while a record of 100,000 ballots is built, parsed or hashed: its
    millions of small objects would otherwise trigger repeated full collections (none of them is garbage;
    reference counting still frees everything as usual)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _enable_gc()


def _enable_gc() -> None:
    """Enable the collector without it then walking everything allocated while it was off: those
    objects are all still in the youngest generation, so the first allocation after ``gc.enable()``
    would traverse every one of them (a third of a second for a record of 100,000 ballots that is
    still alive). They are moved to the oldest generation instead (``freeze`` then ``unfreeze``), where
    only the next full collection looks at them — unless something else froze objects (a pre-fork
    server), whose choice is left alone."""
    if gc.get_freeze_count():
        gc.enable()
        return
    gc.freeze()
    gc.enable()
    gc.unfreeze()


def section_digest(section: Any) -> str:
    return hashlib.sha256(canonical_json(section)).hexdigest()


def section_texts(
    record: dict[str, Any], *, plain: bool = False, known: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """The canonical JSON of each of the six sections (each node walked and encoded once), but for
    those whose text is ``known`` already. ``plain=True``: the sections other than ``rules`` were built
    from database rows of known types (see :func:`core.signing.canonical_json`)."""
    known = known or {}
    return {
        name: known[name] if name in known else canonical_json(record[name], plain=plain and name != "rules")
        for name in SECTIONS
    }


def register_section(
    method: str,
    units: Iterable[tuple[str, int, str, str, bool]],
    voters: Iterable[tuple[int, str, list[str], int, int]],
) -> dict[str, Any]:
    """The record's register section: the headcount method, the units ``(code, area in hundredths of a
    m², area source, owner key, developer's unsold)`` in natural order, the voters ``(number, serial,
    unit codes, area, heads)`` in number order. Written at publication, read back at the seal."""
    return {
        "headcount_method": method,
        "units": [
            {
                "unit_code": code,
                "area_centi": area,
                "area_source": source,
                "owner_key": owner,
                "developer_unsold": bool(unsold),
            }
            for code, area, source, owner, unsold in units
        ],
        "voters": [
            {"voter_no": number, "serial": serial, "units": codes, "area_centi": area, "heads": heads}
            for number, serial, codes, area, heads in voters
        ],
    }


def record_json(record: dict[str, Any], texts: dict[str, bytes]) -> bytes:
    """``canonical_json(record)``, assembled from the sections' canonical texts: RFC 8785 encodes each
    member on its own, and the record's keys are ASCII, so sorting them as strings is the canonical order."""
    if set(record) != RECORD_KEYS:
        return canonical_json(record)
    parts = {**texts, "protocol": canonical_json(record["protocol"])}
    return b"{" + b",".join(b'"' + key.encode() + b'":' + parts[key] for key in sorted(parts)) + b"}"


def ballot_leaf_data(entry: dict[str, Any]) -> dict[str, Any]:
    """What a ballot leaf commits to: the ballot is bound by its hash, which the verifier recomputes (a
    member missing from a tampered entry is null, so its leaf differs rather than the verify failing)."""
    return {key: entry.get(key) for key in ("ballot_hash", "received_at", "signature", "voter_no")}


def leaf_hash(data: dict[str, Any]) -> bytes:
    return hashlib.sha256(b"\x00" + canonical_json(data)).digest()


def merkle_root(leaves: list[bytes]) -> bytes:
    """Merkle root of already-hashed leaves, level by level (an odd last node is carried up); the
    empty tree is SHA-256 of nothing."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = leaves
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def merkle_path(leaves: list[bytes], index: int) -> list[dict[str, str]]:
    """The audit path of ``leaves[index]``: sibling hashes bottom-up, each with its side."""
    path: list[dict[str, str]] = []
    level = leaves
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append({"side": "left" if sibling < index else "right", "hash": level[sibling].hex()})
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        index //= 2
    return path


def root_from_path(leaf: bytes, path: list[dict[str, str]]) -> bytes:
    node = leaf
    for step in path:
        sibling = bytes.fromhex(step["hash"])
        pair = sibling + node if step["side"] == "left" else node + sibling
        node = hashlib.sha256(b"\x01" + pair).digest()
    return node


def ballot_leaves(record: dict[str, Any]) -> list[bytes]:
    """One leaf per ballot (see :func:`ballot_leaf`)."""
    return [ballot_leaf(b) for b in record["ballots"]]


def ballot_leaf(entry: dict[str, Any]) -> bytes:
    """The leaf of one ballot entry: the usual entry (integer voter, hex and ISO-8601 strings) is
    written directly, anything else goes through the canonical encoder (same bytes either way)."""
    voter_no, ballot_hash, received_at, signature = (
        entry.get("voter_no"),
        entry.get("ballot_hash"),
        entry.get("received_at"),
        entry.get("signature"),
    )
    if (
        type(voter_no) is int
        and type(ballot_hash) is str
        and type(received_at) is str
        and type(signature) is str
        and abs(voter_no) < 2**53
        and _SAFE.fullmatch(signature + ballot_hash + received_at)
    ):
        return hashlib.sha256(
            f'\x00{{"ballot_hash":"{ballot_hash}","received_at":"{received_at}",'
            f'"signature":"{signature}","voter_no":{voter_no}}}'.encode()
        ).digest()
    return leaf_hash(ballot_leaf_data(entry))


_SAFE = re.compile(r"[0-9a-fA-FTZ:.+\- ]*")


def stored_ballot_texts(rows: list[tuple[int, str, str, str, str]]) -> tuple[bytes, list[bytes]]:
    """The ballots section's canonical text and its leaves, straight from stored rows
    ``(voter_no, canonical ballot text, signature, ballot_hash, received_at)`` without decoding and
    re-encoding each ballot: the stored ballot text is already RFC 8785 (the cast endpoint stores the
    exact bytes it verified), the other members are integers and hex or ISO-8601 strings that need no
    escaping, and the members are written in canonical (sorted) order. Equal to
    ``canonical_json(record["ballots"])`` and :func:`ballot_leaves` (tests compare them)."""
    parts: list[str] = []
    leaves: list[bytes] = []
    sha = hashlib.sha256
    for voter_no, ballot, signature, ballot_hash, received_at in rows:
        if type(voter_no) is not int or not _SAFE.fullmatch(signature + ballot_hash + received_at):
            raise ValueError("a stored ballot row is not in the expected form")
        tail = (
            f'"ballot_hash":"{ballot_hash}","received_at":"{received_at}",'
            f'"signature":"{signature}","voter_no":{voter_no}}}'
        )
        parts.append('{"ballot":' + ballot + "," + tail)
        leaves.append(sha(b"\x00{" + tail.encode()).digest())
    return ("[" + ",".join(parts) + "]").encode(), leaves


def paper_leaves(record: dict[str, Any], *, plain: bool = False) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + canonical_json(p, plain=plain)).digest() for p in record["paper"]]


def section_digests(
    record: dict[str, Any],
    texts: dict[str, bytes] | None = None,
    leaves: list[bytes] | None = None,
    *,
    plain: bool = False,
) -> dict[str, str]:
    """The six digests of the seal statement; ``texts`` (from :func:`section_texts`) and the ballot
    ``leaves`` spare re-encoding; ``plain``: the whole record is known to hold only plain values
    (see :func:`core.signing.canonical_json`)."""
    if texts is None:
        texts = {name: canonical_json(record[name], plain=plain) for name in SECTIONS[:4]}
    return {
        "meeting": hashlib.sha256(texts["meeting"]).hexdigest(),
        "rules": hashlib.sha256(texts["rules"]).hexdigest(),
        "register": hashlib.sha256(texts["register"]).hexdigest(),
        "credentials": hashlib.sha256(texts["credentials"]).hexdigest(),
        "ballots": merkle_root(leaves if leaves is not None else ballot_leaves(record)).hex(),
        "paper": merkle_root(paper_leaves(record, plain=plain)).hex(),
    }


def seal_statement(record: dict[str, Any], sections: dict[str, str] | None = None) -> dict[str, Any]:
    meeting = record["meeting"]
    return {
        "protocol": SEAL_OF.get(record.get("protocol", RECORD_PROTOCOL), SEAL_DOMAIN),
        "meeting": meeting["meeting"],
        "sealed_at": meeting["sealed_at"],
        "counts": {
            "voters": len(record["register"]["voters"]),
            "credentials": len(record["credentials"]),
            "ballots": len(record["ballots"]),
            "paper": len(record["paper"]),
        },
        "sections": sections or section_digests(record),
    }


def seal_message(meeting: str, statement: dict[str, Any]) -> bytes:
    """The signed bytes; the domain is the statement's protocol (``wuye-seal-v1`` or ``-v2``), so a
    statement's version cannot be changed without breaking the signature."""
    domain = SEAL_V2 if statement.get("protocol") == SEAL_V2 else SEAL_DOMAIN
    return signed_message(domain, meeting, statement)


def seal_root(meeting: str, statement: dict[str, Any]) -> str:
    return hashlib.sha256(seal_message(meeting, statement)).hexdigest()
