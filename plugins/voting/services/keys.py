"""The meeting key: made at publication, wrapped at rest, used to sign receipts and the seal."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import Runtime, installation_secret, public_key_of, register_cache, unwrap_secret, wrap_secret
from plugins.voting.tables import VotingMeetingKey

_cache: dict[int, tuple[bytes, str]] = {}
register_cache(_cache.clear)


def _label(meeting_id: int) -> str:
    return f"wuye/voting/meeting-key/{meeting_id}"


async def create_meeting_key(runtime: Runtime, meeting_id: int) -> str:
    """Make the key (inside the caller's transaction); returns the public key, hex."""
    seed = os.urandom(32)
    kek = installation_secret(runtime.settings.var_dir)
    public = public_key_of(seed).hex()
    await VotingMeetingKey.insert(
        VotingMeetingKey(
            meeting=meeting_id, public_key=public, wrapped_secret=wrap_secret(kek, seed, _label(meeting_id))
        )
    )
    return public


async def meeting_key(runtime: Runtime, meeting_id: int) -> tuple[bytes, str]:
    """(seed, public key hex) of a meeting."""
    if meeting_id not in _cache:
        row = await VotingMeetingKey.select().where(VotingMeetingKey.meeting == meeting_id).first()
        if row is None:
            raise LookupError(f"meeting {meeting_id} has no key")
        kek = installation_secret(runtime.settings.var_dir)
        _cache[meeting_id] = (
            unwrap_secret(kek, row["wrapped_secret"], _label(meeting_id)),
            row["public_key"],
        )
    return _cache[meeting_id]


async def published_key(meeting_id: int) -> str | None:
    """The meeting's public key (hex), read without unwrapping its secret; None before publication."""
    row = (
        await VotingMeetingKey.select(VotingMeetingKey.public_key)
        .where(VotingMeetingKey.meeting == meeting_id)
        .first()
    )
    return str(row["public_key"]) if row else None


_signers: dict[int, tuple[Ed25519PrivateKey, str]] = {}
register_cache(_signers.clear)


async def meeting_signer(runtime: Runtime, meeting_id: int) -> tuple[Ed25519PrivateKey, str]:
    """(private key object, public key hex): what signs receipts, kept per process."""
    found = _signers.get(meeting_id)
    if found is None:
        seed, public = await meeting_key(runtime, meeting_id)
        found = _signers[meeting_id] = (Ed25519PrivateKey.from_private_bytes(seed), public)
    return found
