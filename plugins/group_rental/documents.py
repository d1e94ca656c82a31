"""Group-rental documents: the rectification order (责令改正通知书), the inspection record (检查认定记录),
the proof of service (送达回证), and the escalation package for the district housing department
(one zip: a cover letter, the served orders, proof of service, inspection records, photos, manifest).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from core import DistrictInfo, Runtime, chinese_date, display_name_of, render_document
from plugins.group_rental.messages import AREA_BASIS, CRITERIA, DOCUMENT, USES, label
from plugins.group_rental.services.cases import rules_for_case
from plugins.group_rental.services.common import default_office, profile_of, stored_json
from plugins.group_rental.tables import (
    GroupRentalInspection,
    GroupRentalOrder,
    GroupRentalPhoto,
    GroupRentalService,
)

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


async def _render(
    runtime: Runtime, name: str, context: dict[str, Any], district: DistrictInfo, case: dict[str, Any]
) -> bytes:
    return await render_document(
        f"group_rental/{name}",
        context,
        pm=runtime.pm,
        district=district,
        jurisdiction=profile_of(runtime, case["jurisdiction_code"]),
    )


async def order_document(
    runtime: Runtime, district: DistrictInfo, case: dict[str, Any], order: dict[str, Any]
) -> bytes:
    """The order as served if it was served (frozen bytes), else rendered from the draft."""
    if order["status"] != "draft" and order.get("docx"):
        return bytes(order["docx"])
    rules = rules_for_case(runtime, case)
    findings = stored_json(order["findings"])
    context = {
        "issuer": order["issuing_office"],
        "doc_number": order["doc_number"],
        "title": DOCUMENT["order_title"],
        "addressee": order["addressee"],
        "address": case["address"],
        "findings": [
            {
                "no": index,
                "criterion": CRITERIA.get(f["criterion"], ""),
                "room": f["room"] or DOCUMENT["whole_flat"],
                "detail": f["detail"],
            }
            for index, f in enumerate(findings, start=1)
        ],
        "legal_basis": "；".join(stored_json(order["legal_basis"])),
        "deadline_cn": chinese_date(order["deadline"]),
        "rectification_days": rules.rectification_days,
        "rectification_unit": DOCUMENT[f"unit_{rules.rectification_unit}"],
        "provisional": order["deadline_provisional"],
        "date_cn": chinese_date(order["issued_on"]),
        "case": case["public_id"],
        "number": order["number"],
    }
    return await _render(runtime, "order.docx", context, district, case)


async def inspection_document(
    runtime: Runtime, district: DistrictInfo, case: dict[str, Any], row: dict[str, Any]
) -> bytes:
    rules = rules_for_case(runtime, case)
    flat = stored_json(row["flat"])
    determination = stored_json(row["determination"])
    present = [
        DOCUMENT[flag] for flag in ("police_present", "committee_present", "property_present") if row[flag]
    ]
    rows = [
        (DOCUMENT["row_case"], case["public_id"]),
        (DOCUMENT["row_address"], case["address"]),
        (DOCUMENT["row_kind"], DOCUMENT[f"kind_{row['kind']}"]),
        (DOCUMENT["row_date"], chinese_date(row["inspected_on"])),
        (DOCUMENT["row_inspectors"], "、".join(stored_json(row["inspectors"]))),
        (DOCUMENT["row_present"], "、".join(present) or DOCUMENT["none"]),
        (DOCUMENT["row_dormitory"], label("yes" if flat["collective_dormitory"] else "no")),
        (DOCUMENT["row_agency"], label("yes" if flat["agency_managed"] else "no")),
        (DOCUMENT["row_basis"], AREA_BASIS.get(rules.area_basis, rules.area_basis)),
    ]
    paragraphs = [DOCUMENT["rooms"]]
    for room in flat["rooms"]:
        flags = [
            DOCUMENT[f"flag_{key}"]
            for key in ("partitioned", "let_by_bed", "occupants_family", "daylight", "ventilation")
            if room.get(key)
        ]
        paragraphs.append(
            DOCUMENT["room"].format(
                name=room["name"],
                use=USES.get(room["designed_use"], room["designed_use"]),
                area=room["usable_area_m2"],
                let=DOCUMENT["let" if room["let"] else "not_let"],
                occupants=room["occupants"],
                flags=f"，{'、'.join(flags)}" if flags else "",
            )
        )
    if determination["findings"]:
        paragraphs.append(DOCUMENT["found"])
        for f in determination["findings"]:
            paragraphs.append(
                DOCUMENT["finding"].format(**{**f, "room": f["room"] or DOCUMENT["whole_flat"]})
            )
    else:
        paragraphs.append(DOCUMENT["not_found" if row["kind"] == "initial" else "rectified"])
    for e in determination["exceptions"]:
        paragraphs.append(DOCUMENT["exception"].format(**e))
    if row["notes"]:
        paragraphs.append(DOCUMENT["notes"].format(notes=row["notes"]))
    context = {
        "issuer": default_office(district),
        "title": DOCUMENT[f"title_{row['kind']}"],
        "rows": [{"k": k, "v": v} for k, v in rows],
        "paragraphs": paragraphs,
        "date_cn": chinese_date(row["inspected_on"]),
    }
    return await _render(runtime, "record.docx", context, district, case)


async def service_document(
    runtime: Runtime,
    district: DistrictInfo,
    case: dict[str, Any],
    order: dict[str, Any],
    service: dict[str, Any],
) -> bytes:
    profile = profile_of(runtime, case["jurisdiction_code"])
    served_at = service["served_at"].astimezone(ZoneInfo(profile.timezone))
    photos = stored_json(service["photos"])
    when = DOCUMENT["served_at"].format(
        date=chinese_date(served_at.date()), hour=served_at.hour, minute=served_at.minute
    )
    rows = [
        (DOCUMENT["row_case"], case["public_id"]),
        (DOCUMENT["row_document"], DOCUMENT["document"].format(**order)),
        (DOCUMENT["row_addressee"], order["addressee"]),
        (DOCUMENT["row_place"], case["address"]),
        (DOCUMENT["row_method"], label(f"service.{service['method']}")),
        (DOCUMENT["row_served_at"], when),
        (DOCUMENT["row_received_by"], service["received_by"] or "—"),
        (DOCUMENT["row_served_by"], service["served_by"] or await display_name_of(service["recorded_by"])),
    ]
    paragraphs = []
    if photos:
        paragraphs.append(DOCUMENT["posting_photos"].format(n=len(photos)))
    if service["note"]:
        paragraphs.append(DOCUMENT["notes"].format(notes=service["note"]))
    context = {
        "issuer": order["issuing_office"],
        "title": DOCUMENT["service_title"],
        "rows": [{"k": k, "v": v} for k, v in rows],
        "paragraphs": paragraphs,
        "date_cn": chinese_date(served_at.date()),
    }
    return await _render(runtime, "record.docx", context, district, case)


def _zip_add(
    archive: zipfile.ZipFile, name: str, content: bytes, manifest: list[dict[str, Any]], what: str
) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)
    manifest.append(
        {"file": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content), "what": what}
    )


async def build_package(
    runtime: Runtime,
    district: DistrictInfo,
    case: dict[str, Any],
    recipient: str,
    today: date,
    doc_number: str = "",
) -> tuple[bytes, list[dict[str, Any]]]:
    """The escalation zip and its manifest entries."""
    inspections = (
        await GroupRentalInspection.select()
        .where(GroupRentalInspection.case == case["id"])
        .order_by(GroupRentalInspection.id)
    )
    orders = (
        await GroupRentalOrder.select()
        .where((GroupRentalOrder.case == case["id"]) & (GroupRentalOrder.status != "draft"))
        .order_by(GroupRentalOrder.number)
    )
    photos = (
        await GroupRentalPhoto.select()
        .where(GroupRentalPhoto.case == case["id"])
        .order_by(GroupRentalPhoto.id)
    )
    manifest: list[dict[str, Any]] = []
    buffer = io.BytesIO()
    attachments: list[str] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        body: list[tuple[str, bytes, str]] = []
        titles: dict[str, str] = {}  # file name -> how the cover letter lists it
        for order in orders:
            service = await GroupRentalService.select().where(GroupRentalService.order == order["id"]).first()
            if service is None:  # superseded before service: not part of the evidence
                continue
            state = DOCUMENT["superseded"] if order["status"] == "superseded" else ""
            number = order["number"]
            body.append(
                (DOCUMENT["file_order"].format(number=number, state=state), bytes(order["docx"]), "order")
            )
            titles[body[-1][0]] = DOCUMENT["attach_order"].format(number=number, state=state)
            body.append(
                (
                    DOCUMENT["file_service"].format(number=number, state=state),
                    await service_document(runtime, district, case, order, service),
                    "service",
                )
            )
            titles[body[-1][0]] = DOCUMENT["attach_service"].format(number=number, state=state)
        for index, row in enumerate(inspections, start=1):
            kind = DOCUMENT[f"kind_{row['kind']}"]
            body.append(
                (
                    DOCUMENT["file_record"].format(index=index, kind=kind),
                    await inspection_document(runtime, district, case, row),
                    "inspection",
                )
            )
            titles[body[-1][0]] = DOCUMENT["attach_record"].format(
                kind=kind, date=chinese_date(row["inspected_on"])
            )
        for photo in photos:
            ext = "png" if photo["content_type"] == "image/png" else "jpg"
            folder = DOCUMENT[f"folder_{photo['purpose']}"]
            name = DOCUMENT["file_photo"].format(folder=folder, name=photo["sha256"][:16], ext=ext)
            body.append((name, bytes(photo["content"]), "photo"))
        attachments = [titles[name] for name, _, what in body if what != "photo"]
        if photos:
            attachments.append(DOCUMENT["cover_photos"].format(n=len(photos)))
        cover = await _render(
            runtime,
            "cover.docx",
            {
                "issuer": default_office(district),
                "doc_number": doc_number,
                "title": DOCUMENT["cover_title"],
                "addressee": recipient,
                "paragraphs": _cover_paragraphs(case, orders, inspections),
                "attachments": attachments,
                "date_cn": chinese_date(today),
            },
            district,
            case,
        )
        _zip_add(archive, DOCUMENT["file_cover"], cover, manifest, "cover")
        for name, content, what in body:
            _zip_add(archive, name, content, manifest, what)
        summary = {
            "case": case["public_id"],
            "address": case["address"],
            "district": district.slug,
            "jurisdiction": case["jurisdiction_code"],
            "recipient": recipient,
            "date": today.isoformat(),
            "inspections": [
                {
                    "kind": r["kind"],
                    "inspected_on": r["inspected_on"].isoformat(),
                    "flat": stored_json(r["flat"]),
                    "determination": stored_json(r["determination"]),
                }
                for r in inspections
            ],
            "files": list(manifest),
        }
        text = json.dumps(summary, ensure_ascii=False, indent=2).encode()
        info = zipfile.ZipInfo("manifest.json", date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, text)
    return buffer.getvalue(), manifest


def _cover_paragraphs(
    case: dict[str, Any], orders: list[dict[str, Any]], inspections: list[dict[str, Any]]
) -> list[str]:
    served = [o for o in orders if o["status"] == "served"]
    order = served[-1] if served else None
    initial = [i for i in inspections if i["kind"] == "initial"]
    later = [i for i in inspections if i["kind"] == "reinspection"]
    found_on = (
        DOCUMENT["cover_found_date"].format(date=chinese_date(initial[-1]["inspected_on"])) if initial else ""
    )
    paragraphs = [DOCUMENT["cover_found"].format(address=case["address"], date=found_on)]
    if order is not None:
        paragraphs.append(
            DOCUMENT["cover_served"].format(
                addressee=order["addressee"], number=order["number"], deadline=chinese_date(order["deadline"])
            )
        )
    if later:
        paragraphs.append(DOCUMENT["cover_unrectified"].format(date=chinese_date(later[-1]["inspected_on"])))
    paragraphs.append(DOCUMENT["cover_request"])
    paragraphs.append(DOCUMENT["cover_manifest"].format(case=case["public_id"]))
    return paragraphs
