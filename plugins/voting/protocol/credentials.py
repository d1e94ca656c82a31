"""Owners' ballot credentials: a 32-byte Ed25519 seed per voter, made when the sheets are printed.

The seed travels only on paper: in the QR code's URL **fragment** (``…/v/{meeting}#k=<base64url>``,
which browsers never send to the server) and as a typed code for owners without a camera. The server
keeps only the public key. See docs/protocol.md.
"""

from __future__ import annotations

import base64
import io
import os
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SEED_BYTES = 32
_CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32: no 0/1/8/9 to confuse


def new_seed() -> bytes:
    return os.urandom(SEED_BYTES)


def public_key_hex(seed: bytes) -> str:
    """The Ed25519 public key of a seed, lowercase hex (what the server stores)."""
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw().hex()


def seed_to_fragment(seed: bytes) -> str:
    """base64url without padding: 43 characters (keeps the QR code small)."""
    return base64.urlsafe_b64encode(seed).rstrip(b"=").decode()


def fragment_to_seed(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != SEED_BYTES:
        raise ValueError("a credential is 32 bytes")
    return raw


def seed_to_code(seed: bytes) -> str:
    """The typed form: RFC 4648 base32, 52 characters in groups of four (``ABCD-EFGH-…``)."""
    text = base64.b32encode(seed).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def code_to_seed(code: str) -> bytes:
    """Accepts what an owner types: any case, spaces or dashes between groups."""
    text = re.sub(r"[\s\-]", "", code).upper()
    if not text or any(ch not in _CODE_ALPHABET for ch in text):
        raise ValueError("not a ballot code")
    raw = base64.b32decode(text + "=" * (-len(text) % 8))
    if len(raw) != SEED_BYTES:
        raise ValueError("a credential is 32 bytes")
    return raw


def ballot_url(base_url: str, meeting: str, seed: bytes) -> str:
    return f"{base_url.rstrip('/')}/v/{meeting}#k={seed_to_fragment(seed)}"


def qr_png(text: str, scale: int = 5) -> bytes:
    """A QR code as a small black-and-white PNG (error correction M, fixed mask: fast)."""
    import qrcode
    from PIL import Image
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=2)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * scale, size * scale), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_pngs(texts: list[str]) -> list[bytes]:
    """Many QR codes (run in a worker process)."""
    return [qr_png(text) for text in texts]
