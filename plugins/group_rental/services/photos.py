"""Group-rental photographs: evidence of an inspection or of an order posted on the door, kept byte
for byte under their SHA-256, all of a submission or none; reading one back is audited."""

from __future__ import annotations

import hashlib
from typing import Any

from core import BadRequest, Conflict, DistrictInfo, NotFound, Upload, record_audit, record_read, transaction
from plugins.group_rental.rules import FieldError
from plugins.group_rental.services.cases import get_case
from plugins.group_rental.services.common import CASE_FIELD, CLOSED, MAX_PHOTO_BYTES, racing
from plugins.group_rental.tables import GroupRentalPhoto


def photo_type(content: bytes, filename: str) -> str:
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    raise BadRequest("group_rental_photo_type", name=filename)


def check_photos(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    """Each upload with its content type and SHA-256, or the first problem (before anything is written)."""
    checked = []
    for upload in uploads:
        if not upload.content:
            raise BadRequest("group_rental_photo_empty")
        if len(upload.content) > MAX_PHOTO_BYTES:
            raise BadRequest("group_rental_photo_too_large", max_mb=MAX_PHOTO_BYTES // (1024 * 1024))
        content_type = photo_type(upload.content, upload.filename)
        checked.append((upload, content_type, hashlib.sha256(upload.content).hexdigest()))
    return checked


async def keep_photos(
    district: DistrictInfo,
    case: dict[str, Any],
    checked: list[tuple[Upload, str, str]],
    actor: str,
    purpose: str,
    caption: str,
) -> list[dict[str, Any]]:
    """Store checked photos inside the caller's transaction (one audit entry each; a file already on
    the case is kept once)."""
    kept = []
    for upload, content_type, digest in checked:
        exists = await GroupRentalPhoto.exists().where(
            (GroupRentalPhoto.case == case["id"]) & (GroupRentalPhoto.sha256 == digest)
        )
        if not exists:
            await GroupRentalPhoto.insert(
                GroupRentalPhoto(
                    case=case["id"],
                    purpose=purpose,
                    filename=(upload.filename or "photo")[:255],
                    content_type=content_type,
                    sha256=digest,
                    size=len(upload.content),
                    content=upload.content,
                    caption=caption.strip()[:200],
                    uploaded_by=actor,
                )
            )
            await record_audit(
                actor,
                "group_rental.photo",
                district=district.slug,
                target=case["public_id"],
                details={"sha256": digest, "purpose": purpose, "size": len(upload.content)},
            )
        kept.append({"sha256": digest, "purpose": purpose, "size": len(upload.content), "duplicate": exists})
    return kept


async def add_photos(
    district: DistrictInfo,
    public_id: str,
    uploads: list[Upload],
    actor: str,
    *,
    purpose: str = "inspection",
    caption: str = "",
) -> list[dict[str, Any]]:
    """Keep photographs as evidence, all or none; a SHA-256 identifies each (the same file twice is
    kept once)."""
    case = await get_case(district, public_id)
    if case["status"] in CLOSED:
        raise Conflict("group_rental_case_closed", status=case["status"])
    if purpose not in ("inspection", "posting"):
        raise FieldError("purpose", "purpose", code=CASE_FIELD)
    if not uploads:
        raise BadRequest("group_rental_photo_empty")
    checked = check_photos(uploads)
    async with racing("group_rental_photo_race"), transaction(GroupRentalPhoto._meta.db):
        return await keep_photos(district, case, checked, actor, purpose, caption)


async def photo_content(district: DistrictInfo, public_id: str, sha256: str, actor: str) -> tuple[bytes, str]:
    """A photograph's bytes and type; audited as a read of personal data."""
    case = await get_case(district, public_id)
    photo = (
        await GroupRentalPhoto.select(GroupRentalPhoto.content, GroupRentalPhoto.content_type)
        .where((GroupRentalPhoto.case == case["id"]) & (GroupRentalPhoto.sha256 == sha256))
        .first()
    )
    if photo is None:
        raise NotFound("group_rental_photo_unknown", sha256=sha256[:64])
    await record_read(actor, "group_rental.download_photo", district, public_id, sha256=sha256)
    return bytes(photo["content"]), photo["content_type"]
