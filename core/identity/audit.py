"""The append-only, hash-chained audit log.

Every staff write (and every read of personal data) calls :func:`record` inside the transaction of the
action itself, so the action and its audit entry commit together or not at all. Each entry's hash
covers the previous entry's hash::

    entry_hash = SHA-256( RFC 8785 JSON {seq, at, actor, district, action, target, details, prev} )

so editing, deleting or reordering any entry breaks every later link. The database refuses UPDATE,
DELETE and TRUNCATE on the table (triggers, see the core migrations). Deleting the *newest* entries
leaves a shorter valid chain: compare with a head recorded elsewhere (``wuye audit head``; the
``--anchor`` option of ``wuye audit verify``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785
from piccolo.engine.postgres import PostgresEngine

from core.data.db import transaction
from core.data.tables import AuditEntry

GENESIS = "0" * 64
_CHAIN_LOCK_KEY = 7_262_001  # pg_advisory_xact_lock key serialising appends across workers


def canonical_details(details: dict[str, Any] | None) -> str:
    return rfc8785.dumps(_jsonable(details or {})).decode()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def compute_hash(
    *, seq: int, at: datetime, actor: str, district: str, action: str, target: str, details: str, prev: str
) -> str:
    payload = {
        "seq": seq,
        "at": _iso(at),
        "actor": actor,
        "district": district,
        "action": action,
        "target": target,
        "details": details,
        "prev": prev,
    }
    return hashlib.sha256(rfc8785.dumps(payload)).hexdigest()


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def record(
    actor: str,
    action: str,
    *,
    district: str = "",
    target: str = "",
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append one entry. Joins the caller's transaction if there is one, else opens its own."""
    async with transaction(AuditEntry._meta.db):
        engine = AuditEntry._meta.db
        if isinstance(engine, PostgresEngine):
            await AuditEntry.raw(f"SELECT pg_advisory_xact_lock({_CHAIN_LOCK_KEY})")
        last = (
            await AuditEntry.select(AuditEntry.seq, AuditEntry.entry_hash)
            .order_by(AuditEntry.seq, ascending=False)
            .first()
        )
        seq = (last["seq"] + 1) if last else 1
        prev = last["entry_hash"] if last else GENESIS
        at = datetime.now(UTC)
        text = canonical_details(details)
        entry = {
            "seq": seq,
            "at": at,
            "actor": actor,
            "district": district,
            "action": action,
            "target": target,
            "details": text,
            "prev_hash": prev,
        }
        entry["entry_hash"] = compute_hash(
            seq=seq,
            at=at,
            actor=actor,
            district=district,
            action=action,
            target=target,
            details=text,
            prev=prev,
        )
        await AuditEntry.insert(AuditEntry(**entry))
        return entry


async def record_read(actor: str, action: str, district: Any, target: str, **details: Any) -> dict[str, Any]:
    """A staff member's read of personal data (a household's ID numbers, a flat's occupants, a photo, a
    document with names in it): its own audit entry, so an owner can ask who looked. ``district`` is
    anything with a ``slug`` (a :class:`core.districts.DistrictInfo`)."""
    return await record(actor, action, district=district.slug, target=target, details=details or None)


@dataclass(frozen=True)
class Discrepancy:
    seq: int
    problem: str  #: ``edited`` | ``missing`` | ``broken_link`` | ``anchor_mismatch`` | ``truncated``
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "problem": self.problem, "detail": self.detail}


async def verify(anchor: tuple[int, str] | None = None) -> tuple[int, list[Discrepancy]]:
    """Recompute the chain. Returns (entries checked, discrepancies)."""
    rows = await AuditEntry.select().order_by(AuditEntry.seq)
    problems: list[Discrepancy] = []
    expected_seq = 1
    prev = GENESIS
    by_seq: dict[int, str] = {}
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
            problems.append(Discrepancy(expected_seq, "missing", f"entries {gap} are missing (deleted)"))
        if row["prev_hash"] != prev:
            problems.append(Discrepancy(seq, "broken_link", "prev_hash does not match the previous entry"))
        recomputed = compute_hash(
            seq=seq,
            at=row["at"],
            actor=row["actor"],
            district=row["district"],
            action=row["action"],
            target=row["target"],
            details=row["details"],
            prev=row["prev_hash"],
        )
        if recomputed != row["entry_hash"]:
            problems.append(Discrepancy(seq, "edited", "content does not match its hash (edited)"))
        by_seq[seq] = row["entry_hash"]
        prev = row["entry_hash"]
        expected_seq = seq + 1
    if anchor is not None:
        anchor_seq, anchor_hash = anchor
        if anchor_seq not in by_seq:
            problems.append(
                Discrepancy(anchor_seq, "truncated", "the anchored entry is gone (log truncated)")
            )
        elif by_seq[anchor_seq] != anchor_hash:
            problems.append(
                Discrepancy(anchor_seq, "anchor_mismatch", "hash differs from the recorded anchor")
            )
    return len(rows), problems


async def head() -> tuple[int, str]:
    last = (
        await AuditEntry.select(AuditEntry.seq, AuditEntry.entry_hash)
        .order_by(AuditEntry.seq, ascending=False)
        .first()
    )
    return (last["seq"], last["entry_hash"]) if last else (0, GENESIS)
