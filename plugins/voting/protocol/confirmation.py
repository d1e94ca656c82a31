"""Scrutineers' confirmations of paper entries (docs/protocol.md §8.2). Pure: no database.

Each scrutineer (监票人) has an Ed25519 key of their own for the meeting, registered at their first
sign-in to the count; the record lists those keys (``meeting.scrutineer_keys``). Every paper entry
carries the confirming scrutineer's signature over a **confirmation statement**::

    {"protocol": "wuye-paper-confirmation-v1", "meeting", "sheet", "version", "choices",
     "entered_at", "key"}

signed as ``wuye-paper-confirmation-v1 || 0x00 || meeting || 0x00 || RFC8785(statement)``. ``sheet`` is a
salted commitment to the sheet's serial, ``SHA-256(RFC8785({"protocol": "wuye-sheet-v1", "meeting",
"sheet_serial", "salt"}))``, so the published record, which does not show serials (§10), still carries
a statement a stranger can check, and the private record (which has the serial and the salt) opens it.
A hand-in field of the entry (``handed_in_at``), where the record has one, is part of the statement.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from core import canonical_json, signed_message, verify_signature

CONFIRMATION_DOMAIN = "wuye-paper-confirmation-v1"
SHEET_COMMITMENT = "wuye-sheet-v1"
#: fields of a paper entry that, where the entry has them, the statement carries as well
HAND_IN_FIELDS = ("handed_in_at",)


def key_fingerprint(public_key: str) -> str:
    """How a scrutineer's key is read out and written into the count's minutes: the first 16 hex digits
    of the public key in groups of four (``1a2b 3c4d 5e6f 7081``)."""
    return " ".join(public_key[i : i + 4] for i in range(0, 16, 4))


def sheet_commitment(meeting: str, sheet_serial: str, salt: str) -> str:
    body = {"protocol": SHEET_COMMITMENT, "meeting": meeting, "sheet_serial": sheet_serial, "salt": salt}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def confirmation_statement(
    meeting: str,
    sheet: str,
    version: Any,
    choices: Any,
    entered_at: Any,
    key: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the scrutineer signs for one entry (``extra``: its hand-in fields, see ``HAND_IN_FIELDS``)."""
    return {
        "protocol": CONFIRMATION_DOMAIN,
        "meeting": meeting,
        "sheet": sheet,
        "version": version,
        "choices": choices,
        "entered_at": entered_at,
        "key": key,
        **(extra or {}),
    }


def confirmation_message(statement: dict[str, Any]) -> bytes:
    return signed_message(CONFIRMATION_DOMAIN, str(statement["meeting"]), statement)


def entry_statement(meeting: str, entry: dict[str, Any]) -> dict[str, Any] | None:
    """The statement a record's paper entry claims was signed (None: it carries no confirmation)."""
    confirmation = entry.get("confirmation")
    if not isinstance(confirmation, dict):
        return None
    extra = {name: entry[name] for name in HAND_IN_FIELDS if name in entry}
    return confirmation_statement(
        meeting,
        str(confirmation.get("sheet")),
        entry.get("version"),
        entry.get("choices"),
        entry.get("entered_at"),
        str(confirmation.get("key")),
        extra,
    )


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def confirmation_problem(
    meeting: str,
    entry: dict[str, Any],
    keys: dict[str, dict[str, Any]],
    serial: str | None = None,
    salt: Any = None,
) -> str | None:
    """The code of what is wrong with a paper entry's confirmation, or None. ``keys``: the record's
    scrutineer keys by public key; the sheet's ``serial`` and the commitment's ``salt`` (from a full
    record, or the private record's opening of a published one), where known, are checked against the
    signed sheet commitment too."""
    confirmation = entry.get("confirmation")
    if not isinstance(confirmation, dict) or not confirmation.get("signature"):
        return "paper_unconfirmed"
    key = keys.get(str(confirmation.get("key")))
    if key is None:
        return "scrutineer_key_unknown"
    if key.get("name") != entry.get("confirmed_by"):
        return "paper_confirmation_invalid"
    registered, entered = _time(key.get("registered_at")), _time(entry.get("entered_at"))
    if registered is None or entered is None or entered < registered:
        return "paper_confirmed_before_key"
    statement = entry_statement(meeting, entry)
    try:
        ok = statement is not None and verify_signature(
            bytes.fromhex(str(confirmation.get("key"))),
            bytes.fromhex(str(confirmation.get("signature"))),
            confirmation_message(statement),
        )
    except (ValueError, TypeError):  # a member that is not hex, or a value RFC 8785 cannot encode
        ok = False
    if not ok:
        return "paper_confirmation_invalid"
    if serial is not None and sheet_commitment(meeting, serial, str(salt)) != confirmation.get("sheet"):
        return "paper_confirmation_invalid"
    return None
