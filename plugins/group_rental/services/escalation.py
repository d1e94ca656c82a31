"""Group-rental escalation: handing an unrectified case to the district housing department (the
package built, kept byte for byte with its SHA-256, the hand-over audited) and reading it back."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from core import (
    Conflict,
    DistrictInfo,
    NotFound,
    Runtime,
    allocate_doc_number,
    district_today,
    office_prefix,
    record_audit,
    record_read,
    transaction,
)
from plugins.group_rental.documents import build_package
from plugins.group_rental.messages import OFFICES, label
from plugins.group_rental.rules import FieldError
from plugins.group_rental.services.cases import get_case
from plugins.group_rental.services.common import CASE_FIELD, only_fields, profile_of, racing
from plugins.group_rental.tables import GroupRentalCase, GroupRentalEscalation

#: The 发文字号's kind for the escalation letter (core.documents.numbers): one number per case.
NUMBER_KIND = "group_rental.escalation"


async def escalate(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    data: dict[str, Any],
    actor: str,
    *,
    today: date | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """Hand an unrectified case to the district housing department: build the package, keep it (the
    zip itself and its SHA-256), record the hand-over."""
    case = await get_case(district, public_id)
    if case["status"] != "unrectified":
        raise Conflict("group_rental_escalate_not_due", status=label(f"status.{case['status']}"))
    only_fields(data or {}, ("recipient",))
    recipient = (data or {}).get("recipient") or default_recipient(district)
    if not isinstance(recipient, str) or not recipient.strip() or len(recipient.strip()) > 200:
        raise FieldError("recipient", "text", max=200, code=CASE_FIELD)
    recipient = recipient.strip()
    profile = profile_of(runtime, case["jurisdiction_code"])
    day = today or await district_today(district, profile)
    async with racing("group_rental_escalated_twice"), transaction(GroupRentalEscalation._meta.db):
        office = office_prefix(district.name)
        doc_number = await allocate_doc_number(
            district.id, NUMBER_KIND, public_id, office=office, year=day.year, actor=actor
        )
        package, manifest = await build_package(runtime, district, case, recipient, day, doc_number)
        digest = hashlib.sha256(package).hexdigest()
        await GroupRentalEscalation.insert(
            GroupRentalEscalation(
                case=case["id"],
                recipient=recipient,
                package_sha256=digest,
                package=package,
                files=json.dumps(manifest, ensure_ascii=False),
                created_by=actor,
            )
        )
        await GroupRentalCase.update({GroupRentalCase.status: "escalated"}).where(
            GroupRentalCase.id == case["id"]
        )
        await record_audit(
            actor,
            "group_rental.escalate",
            district=district.slug,
            target=public_id,
            details={
                "recipient": recipient,
                "package_sha256": digest,
                "files": len(manifest),
                "doc_number": doc_number,
            },
        )
    return package, {"case": public_id, "recipient": recipient, "sha256": digest, "files": manifest}


def default_recipient(district: DistrictInfo) -> str:
    return (
        OFFICES["recipient"].format(region=district.region) if district.region else OFFICES["recipient_plain"]
    )


async def escalation_package(district: DistrictInfo, public_id: str, actor: str) -> tuple[bytes, str]:
    """The package as handed over (byte for byte) and its SHA-256; audited as a read of personal data."""
    case = await get_case(district, public_id)
    row = (
        await GroupRentalEscalation.select(
            GroupRentalEscalation.package, GroupRentalEscalation.package_sha256
        )
        .where(GroupRentalEscalation.case == case["id"])
        .first()
    )
    if row is None or row["package"] is None:
        raise NotFound("group_rental_no_package")
    package = bytes(row["package"])
    await record_read(
        actor, "group_rental.download_escalation", district, public_id, sha256=row["package_sha256"]
    )
    return package, row["package_sha256"]
