"""Scrutineers' keys (docs/protocol.md §8.2): made at a scrutineer's first sign-in to the count, kept
only encrypted under a passphrase the scrutineer types, used to sign each paper entry they confirm.

The seed is encrypted with AES-256-GCM under ``scrypt(passphrase, salt)``; the passphrase is never
stored, so neither the database nor its backups (nor the installation's secret key) can sign a
confirmation: only someone who is told the passphrase can.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    Forbidden,
    district_now,
    json_value,
    public_key_of,
    record_audit,
    sign,
    transaction,
)
from plugins.voting.protocol.confirmation import (
    HAND_IN_FIELDS,
    confirmation_message,
    confirmation_statement,
    key_fingerprint,
    sheet_commitment,
)
from plugins.voting.services.meetings import get_meeting
from plugins.voting.tables import VotingOfficial, VotingScrutineerKey

#: scrypt's cost (RFC 7914): 32 MiB of memory, about a tenth of a second per sign-in or confirmation
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE = 6


def _kek(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode())


def _label(meeting_id: int, name: str) -> bytes:
    return f"wuye/voting/scrutineer-key/{meeting_id}/{name}".encode()


async def _scrutineer(meeting_id: int, name: str) -> dict[str, Any]:
    row = (
        await VotingOfficial.select()
        .where(
            (VotingOfficial.meeting == meeting_id)
            & (VotingOfficial.role == "scrutineer")
            & (VotingOfficial.name == name)
        )
        .first()
    )
    if row is None:
        raise BadRequest("voting_paper_not_scrutineer", name=name or "（空）")
    return row


async def register_scrutineer_key(
    district: DistrictInfo,
    public_id: str,
    actor: str,
    name: str,
    passphrase: str,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A scrutineer's first sign-in to the count: make their key, keep it under their passphrase,
    audit the public key with their name and role; the key's public part."""
    now = now or await district_now(district)
    name = name.strip()
    meeting = await get_meeting(public_id, district)
    if meeting["status"] == "sealed":
        raise Conflict("voting_paper_sealed")
    if meeting["status"] == "draft":  # the officials are final once the meeting is published
        raise Conflict("voting_scrutineer_key_draft")
    official = await _scrutineer(meeting["id"], name)
    if len(passphrase) < MIN_PASSPHRASE:
        raise BadRequest("voting_scrutineer_passphrase_short", min=MIN_PASSPHRASE)
    existing = await VotingScrutineerKey.exists().where(
        (VotingScrutineerKey.meeting == meeting["id"]) & (VotingScrutineerKey.name == name)
    )
    if existing:
        raise Conflict("voting_scrutineer_key_exists", name=name)
    seed, salt, nonce = os.urandom(32), os.urandom(16), os.urandom(12)
    wrapped = nonce + AESGCM(_kek(passphrase, salt)).encrypt(nonce, seed, _label(meeting["id"], name))
    public = public_key_of(seed).hex()
    async with transaction(VotingScrutineerKey._meta.db):
        await VotingScrutineerKey.insert(
            VotingScrutineerKey(
                meeting=meeting["id"],
                name=name,
                role=official["role"],
                public_key=public,
                kdf_salt=salt.hex(),
                wrapped_secret=wrapped.hex(),
                registered_at=now,
                registered_by=actor,
            )
        )
        await record_audit(
            actor,
            "voting.scrutineer_key",
            district=district.slug,
            target=public_id,
            details={"name": name, "role": official["role"], "public_key": public},
        )
    return {
        "name": name,
        "role": official["role"],
        "public_key": public,
        "fingerprint": key_fingerprint(public),
        "registered_at": now.isoformat(),
    }


async def scrutineer_seed(meeting_id: int, name: str, passphrase: str) -> tuple[bytes, str, datetime]:
    """The seed, public key and registration time of a scrutineer's key, opened with their passphrase."""
    row = (
        await VotingScrutineerKey.select()
        .where((VotingScrutineerKey.meeting == meeting_id) & (VotingScrutineerKey.name == name))
        .first()
    )
    if row is None:
        raise Conflict("voting_scrutineer_key_missing", name=name)
    raw = bytes.fromhex(row["wrapped_secret"])
    try:
        seed = AESGCM(_kek(passphrase, bytes.fromhex(row["kdf_salt"]))).decrypt(
            raw[:12], raw[12:], _label(meeting_id, name)
        )
    except InvalidTag:
        raise Forbidden("voting_scrutineer_passphrase_wrong", name=name) from None
    return seed, row["public_key"], row["registered_at"]


async def scrutineer_keys(meeting_id: int) -> list[dict[str, Any]]:
    """The meeting's scrutineer keys as the console lists them (public parts only)."""
    rows = (
        await VotingScrutineerKey.select(
            VotingScrutineerKey.name,
            VotingScrutineerKey.role,
            VotingScrutineerKey.public_key,
            VotingScrutineerKey.registered_at,
        )
        .where(VotingScrutineerKey.meeting == meeting_id)
        .order_by(VotingScrutineerKey.id)
    )
    return list(rows)


async def confirm_entries(
    meeting: dict[str, Any], records: list[dict[str, Any]], name: str, passphrase: str, actor: str
) -> None:
    """Sign each paper entry about to be stored with the confirming scrutineer's key (in place: the
    ``confirmation_*`` columns). Refused if the key is missing or the passphrase wrong, or if the
    scrutineer is the counter who entered the sheets (a scrutineer watches someone else's entries)."""
    official = await _scrutineer(meeting["id"], name)
    if official["staff"] is not None and actor.startswith(f"staff:{official['staff']}:"):
        raise Forbidden("voting_paper_self_confirm", name=name)
    seed, public, registered_at = await scrutineer_seed(meeting["id"], name, passphrase)
    if any(record["entered_at"] < registered_at for record in records):  # a clock set back
        raise Conflict("voting_scrutineer_key_later", name=name)
    for record in records:
        salt = os.urandom(16).hex()
        # a hand-in time, where the entry has one (the record carries it only then)
        extra = {f: _record_time(record[f]) for f in HAND_IN_FIELDS if record.get(f) is not None}
        statement = confirmation_statement(
            meeting["public_id"],
            sheet_commitment(meeting["public_id"], record["sheet_serial"], salt),
            record["version"],
            json_value(record["choices"]),
            _record_time(record["entered_at"]),
            public,
            extra,
        )
        record["confirmation_key"] = public
        record["confirmation_salt"] = salt
        record["confirmation_signature"] = sign(seed, confirmation_message(statement)).hex()


def _record_time(value: Any) -> Any:
    """A time as the sealed record writes it (``…T…ffffffZ``, UTC)."""
    if not isinstance(value, datetime):
        return value
    at = value.astimezone(UTC) if value.tzinfo else value
    return at.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
