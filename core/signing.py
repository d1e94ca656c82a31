"""Ed25519 signatures over canonical JSON, with domain separation.

Every signed object is ``DOMAIN || 0x00 || CONTEXT || 0x00 || RFC8785(object)``: the domain names the
protocol and the kind of object (``wuye-ballot-v1``, ``wuye-receipt-v1``), the context names what it
belongs to (a meeting), so a signature made for one purpose or meeting can never be replayed as
another. Server keys at rest are wrapped with AES-256-GCM under the installation's secret key
(``WUYE_SECRET_KEY``, or ``var/secret.key`` created on first use with mode 0600).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import msgspec
import rfc8785
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

try:  # libsodium verifies Ed25519 about twice as fast as OpenSSL; cryptography is the fallback
    from nacl.bindings import crypto_sign_open as _sodium_open
    from nacl.exceptions import CryptoError as _SodiumError
except ImportError:  # pragma: no cover - PyNaCl is a dependency, but nothing here needs it
    _sodium_open = None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_SAFE = 2**53 - 1


def _plain(obj: Any) -> bool:
    """True when ``obj`` holds only str (without surrogates), int, bool, None, list and dict with str keys:
    the values whose RFC 8785 form equals sorted-key, compact ``json.dumps`` output. Exact built-in types
    take an explicit loop (this walks every node of a 100,000-ballot record); subclasses take
    :func:`_plain_any`."""
    kind = type(obj)
    if kind is str:
        return obj.isascii() or _SURROGATE.search(obj) is None
    if kind is dict:
        for key, value in obj.items():
            if not (isinstance(key, str) and key.isascii()):
                return False
            kind = type(value)
            if kind is str:
                if not value.isascii() and _SURROGATE.search(value) is not None:
                    return False
            elif kind is int:
                if not -_MAX_SAFE <= value <= _MAX_SAFE:
                    return False
            elif value is None or kind is bool:
                continue
            elif not _plain(value):
                return False
        return True
    if kind is list:
        for item in obj:
            kind = type(item)
            if kind is str:
                if not item.isascii() and _SURROGATE.search(item) is not None:
                    return False
            elif kind is int:
                if not -_MAX_SAFE <= item <= _MAX_SAFE:
                    return False
            elif item is None or kind is bool:
                continue
            elif not _plain(item):
                return False
        return True
    if kind is int:
        return -_MAX_SAFE <= obj <= _MAX_SAFE
    if obj is None or kind is bool:
        return True
    return _plain_any(obj)


is_plain_json = _plain  # the SDK's name: values whose RFC 8785 form is sorted-key json.dumps output


def _plain_any(obj: Any) -> bool:
    """:func:`_plain` for subclasses of the built-in types (str and int enums, dict subclasses)."""
    if isinstance(obj, str):
        return obj.isascii() or _SURROGATE.search(obj) is None
    if obj is None or isinstance(obj, bool | int):
        return not isinstance(obj, int) or isinstance(obj, bool) or abs(obj) <= _MAX_SAFE
    if isinstance(obj, list):
        return all(_plain(item) for item in obj)
    if isinstance(obj, dict):
        return all(isinstance(k, str) and k.isascii() and _plain(v) for k, v in obj.items())
    return False


_encode_sorted = msgspec.json.Encoder(order="sorted").encode


def canonical_json(obj: Any, *, plain: bool = False) -> bytes:
    """RFC 8785 canonical JSON. Objects of strings, integers and booleans (ballots, receipts: ASCII
    keys, so code-point order is UTF-16 order) take msgspec's C encoder with sorted keys, whose output is
    then identical (same escapes, UTF-8 as is, no whitespace: tests compare every code point), and about
    ten times quicker than ``json.dumps``; a value msgspec will not take (a str or dict subclass) goes
    through ``json.dumps``, identical for these values too; anything else (floats, non-ASCII keys) goes
    through the ``rfc8785`` package."""
    if plain or _plain(obj):
        try:
            return _encode_sorted(obj)
        except (TypeError, msgspec.EncodeError):
            return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return rfc8785.dumps(obj)


def signed_message(domain: str, context: str, obj: Any, *, plain: bool = False) -> bytes:
    """The exact bytes that are signed and hashed. ``plain=True`` asserts that ``obj`` was already
    checked to hold only ASCII-keyed objects, lists, strings and small integers (see
    :func:`canonical_json`)."""
    if "\x00" in domain or "\x00" in context:
        raise ValueError("domain and context may not contain NUL")
    return domain.encode() + b"\x00" + context.encode() + b"\x00" + canonical_json(obj, plain=plain)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(seed: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public_key``'s Ed25519 signature of ``message`` (never raises)."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    if _sodium_open is not None:
        try:
            _sodium_open(signature + message, public_key)
        except (_SodiumError, ValueError):
            return False
        return True
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_of(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def installation_secret(var_dir: Path, env_value: str | None = None) -> bytes:
    """The 32-byte key-encryption key of this installation."""
    value = env_value if env_value is not None else os.environ.get("WUYE_SECRET_KEY")
    if value:
        raw = from_b64url(value.strip())
        if len(raw) != 32:
            raise ValueError("WUYE_SECRET_KEY must be 32 bytes, base64url")
        return raw
    path = var_dir / "secret.key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(b64url(os.urandom(32)))
    return from_b64url(path.read_text().strip())


def wrap_secret(kek: bytes, secret: bytes, label: str) -> str:
    """AES-256-GCM with ``label`` as associated data: ``nonce || ciphertext``, base64url."""
    nonce = os.urandom(12)
    return b64url(nonce + AESGCM(kek).encrypt(nonce, secret, label.encode()))


def unwrap_secret(kek: bytes, wrapped: str, label: str) -> bytes:
    raw = from_b64url(wrapped)
    try:
        return AESGCM(kek).decrypt(raw[:12], raw[12:], label.encode())
    except InvalidTag:
        raise ValueError("wrong installation secret key, or a tampered value") from None
