"""The owners' ballot protocol v1 (docs/protocol.md): the ballot object, what is signed, receipts.

Pure functions; the cast service calls them.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from core import sha256_hex, signed_message

BALLOT_DOMAIN = "wuye-ballot-v1"
RECEIPT_DOMAIN = "wuye-receipt-v1"
#: An owner proving they hold a sheet's key, to learn that sheet's state and their own receipt.
SHEET_DOMAIN = "wuye-sheet-v1"
_SHEET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
CHOICES = ("agree", "oppose", "abstain")
BALLOT_KEYS = {"protocol", "meeting", "register_digest", "voter_key", "choices"}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class MotionSpec:
    """What a ballot may say about one motion."""

    position: int
    kind: str  #: resolution | election
    seats: int = 0
    candidates: tuple[str, ...] = ()  #: candidate ids ("c1", …)
    #: put to a part of the estate (protocol/scope.py): answered by its voters only, so a ballot may
    #: leave it out until the voter is known (:func:`check_scope`)
    scoped: bool = False


class BallotError(Exception):
    """A ballot that breaks the protocol; ``code`` is a message code of plugins/voting/messages.py."""

    def __init__(self, code: str, **values: Any) -> None:
        self.code = code
        self.values = values
        super().__init__(code)


def ballot_message(meeting: str, ballot: dict[str, Any], *, checked: bool = False) -> bytes:
    """``"wuye-ballot-v1" 0x00 meeting 0x00 RFC8785(ballot)``: what the owner's key signs."""
    return signed_message(BALLOT_DOMAIN, meeting, ballot, plain=checked)


def sheet_request(body: Any) -> dict[str, str]:
    """``{"voter_key", "at", "signature"}`` checked for shape (``BallotError("voting_sheet_malformed")``):
    the key and signature lowercase hex, ``at`` a UTC time like ``2026-12-03T09:25:40.341Z``."""
    if (
        not isinstance(body, dict)
        or set(body) != {"voter_key", "at", "signature"}
        or not all(isinstance(v, str) for v in body.values())
        or not _HEX64.match(body["voter_key"])
        or not re.fullmatch(r"[0-9a-f]{128}", body["signature"])
        or not _SHEET_TIME.match(body["at"])
    ):
        raise BallotError("voting_sheet_malformed")
    return body


def sheet_message(meeting: str, voter_key: str, at: str) -> bytes:
    """``"wuye-sheet-v1" 0x00 meeting 0x00 RFC8785({"at", "voter_key"})``: what the owner's key signs
    to ask for the sheet's state (docs/protocol.md §5.1)."""
    return signed_message(SHEET_DOMAIN, meeting, {"at": at, "voter_key": voter_key}, plain=True)


def ballot_hash(meeting: str, ballot: dict[str, Any]) -> str:
    return sha256_hex(ballot_message(meeting, ballot))


def check_ballot(
    ballot: Any,
    *,
    meeting: str,
    register_digest: str,
    motions: list[MotionSpec],
    by_position: dict[int, MotionSpec] | None = None,
) -> dict[str, Any]:
    """The ballot if it is well-formed for this meeting, else :class:`BallotError` (``by_position``:
    the motions by position, when the caller checks many ballots)."""
    if not isinstance(ballot, dict) or set(ballot) != BALLOT_KEYS:
        raise BallotError("voting_cast_malformed")
    if ballot["protocol"] != BALLOT_DOMAIN:
        raise BallotError("voting_cast_protocol")
    if ballot["meeting"] != meeting:
        raise BallotError("voting_cast_wrong_meeting")
    if ballot["register_digest"] != register_digest:
        raise BallotError("voting_cast_wrong_register")
    if not isinstance(ballot["voter_key"], str) or not _HEX64.match(ballot["voter_key"]):
        raise BallotError("voting_cast_malformed")
    check_choices(ballot["choices"], motions, by_position)
    return ballot


def check_choices(
    choices: Any, motions: list[MotionSpec], by_position: dict[int, MotionSpec] | None = None
) -> list[dict[str, Any]]:
    """The choices if they answer every motion exactly once with a valid option, else
    :class:`BallotError` (online ballots and paper entries alike)."""
    if type(choices) is not list:
        raise BallotError("voting_cast_malformed")
    if by_position is None:
        by_position = {m.position: m for m in motions}
    seen: set[int] = set()
    for choice in choices:
        number = choice.get("motion") if type(choice) is dict else None
        if type(number) is not int:  # also refuses True/False, whose type is bool
            raise BallotError("voting_cast_malformed")
        motion = by_position.get(number)
        if motion is None:
            raise BallotError("voting_cast_unknown_motion", motion=number)
        if number in seen:
            raise BallotError("voting_cast_duplicate_motion", motion=number)
        seen.add(number)
        if motion.kind == "resolution":
            if len(choice) != 2 or choice.get("choice") not in CHOICES or type(choice["choice"]) is not str:
                raise BallotError("voting_cast_bad_option", motion=number)
            continue
        candidates = choice.get("candidates")
        if len(choice) != 2 or type(candidates) is not list:
            raise BallotError("voting_cast_bad_option", motion=number)
        if any(type(c) is not str or c not in motion.candidates for c in candidates):
            raise BallotError("voting_cast_bad_option", motion=number)
        if len(set(candidates)) != len(candidates):
            raise BallotError("voting_cast_bad_option", motion=number)
        if len(candidates) > motion.seats:
            raise BallotError("voting_cast_too_many", motion=number, seats=motion.seats)
    if len(seen) != len(by_position):
        missing = {p for p, m in by_position.items() if not m.scoped} - seen
        if missing:
            raise BallotError("voting_cast_missing_motion", motion=min(missing))
    return choices


def check_scope(
    choices: list[dict[str, Any]], scoped: dict[int, str], voter_motions: set[int] | frozenset[int]
) -> None:
    """Once the voter is known: the choices answer exactly the scoped motions the voter is in
    (``scoped``: position → the scope in words; ``voter_motions``: the scoped positions the voter
    owns a unit under). :class:`BallotError` otherwise."""
    answered = {c["motion"] for c in choices} & scoped.keys()
    for position in sorted(answered - voter_motions):
        raise BallotError("voting_cast_out_of_scope", motion=position, scope=scoped[position])
    for position in sorted(set(voter_motions) - answered):
        raise BallotError("voting_cast_missing_motion", motion=position)


def receipt_object(meeting: str, voter_key: str, ballot_hash_hex: str, received_at: str) -> dict[str, str]:
    return {
        "protocol": RECEIPT_DOMAIN,
        "meeting": meeting,
        "voter_key": voter_key,
        "ballot_hash": ballot_hash_hex,
        "received_at": received_at,
    }


def receipt_message(meeting: str, receipt: dict[str, str], *, checked: bool = False) -> bytes:
    """``checked=True`` for receipts this server built (strings only); never for a pasted one."""
    return signed_message(RECEIPT_DOMAIN, meeting, receipt, plain=checked)


_RECEIPT_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def receipt_fragment(receipt: dict[str, str], signature_hex: str) -> str:
    """The compact form of a receipt carried in a link (§7.1): ``r=<b64url(hash‖key‖sig)>.<time>``."""
    raw = (
        bytes.fromhex(receipt["ballot_hash"])
        + bytes.fromhex(receipt["voter_key"])
        + bytes.fromhex(signature_hex)
    )
    if len(raw) != 128:
        raise ValueError("a receipt link holds a 32-byte hash, a 32-byte key and a 64-byte signature")
    return "r=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + receipt["received_at"]


def receipt_from_fragment(meeting: str, fragment: str) -> dict[str, Any]:
    """The receipt and signature a link's fragment carries (``ValueError`` when it is not one)."""
    text = fragment.lstrip("#")
    if not text.startswith("r="):
        raise ValueError("not a receipt link")
    packed, _, received_at = text[2:].partition(".")
    if len(packed) != 171 or not _RECEIPT_TIME.match(received_at):
        raise ValueError("not a receipt link")
    raw = base64.urlsafe_b64decode(packed + "=")
    return {
        "receipt": receipt_object(meeting, raw[32:64].hex(), raw[:32].hex(), received_at),
        "signature": raw[64:].hex(),
    }


def receipt_link(base_url: str, meeting: str, receipt: dict[str, str], signature_hex: str) -> str:
    """The public verification page with the receipt in the fragment (what the receipt QR encodes)."""
    return f"{base_url.rstrip('/')}/verify/{meeting}#{receipt_fragment(receipt, signature_hex)}"
