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

from core import audit
from core.db import transaction
from core.districts import DistrictInfo
from core.documents import chinese_date, render_document
from core.errors import Conflict, NotFound
from core.runtime import current
from plugins.group_rental.messages import AREA_BASIS, CRITERIA, OFFICES, USES, label
from plugins.group_rental.rules import FieldError
from plugins.group_rental.services import (
    CASE_FIELD,
    _json,
    default_office,
    get_case,
    get_order,
    only_fields,
    profile_of,
    racing,
    read_audit,
    rules_for_case,
    today_in,
)
from plugins.group_rental.tables import (
    GroupRentalCase,
    GroupRentalEscalation,
    GroupRentalInspection,
    GroupRentalOrder,
    GroupRentalPhoto,
    GroupRentalService,
)

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


async def _render(name: str, context: dict[str, Any], district: DistrictInfo, case: dict[str, Any]) -> bytes:
    runtime = current()
    return await render_document(
        f"group_rental/{name}",
        context,
        pm=runtime.pm,
        district=district,
        jurisdiction=profile_of(case["jurisdiction_code"]),
    )


async def order_document(district: DistrictInfo, case: dict[str, Any], order: dict[str, Any]) -> bytes:
    """The order as served if it was served (frozen bytes), else rendered from the draft."""
    if order["status"] != "draft" and order.get("docx"):
        return bytes(order["docx"])
    rules = rules_for_case(case)
    findings = _json(order["findings"])
    context = {
        "issuer": order["issuing_office"],
        "doc_number": order["doc_number"],
        "title": "责令改正通知书",
        "addressee": order["addressee"],
        "address": case["address"],
        "findings": [
            {
                "no": index,
                "criterion": CRITERIA.get(f["criterion"], ""),
                "room": f["room"] or "整套住房",
                "detail": f["detail"],
            }
            for index, f in enumerate(findings, start=1)
        ],
        "legal_basis": "；".join(_json(order["legal_basis"])),
        "deadline_cn": chinese_date(order["deadline"]),
        "rectification_days": rules.rectification_days,
        "rectification_unit": "个工作日" if rules.rectification_unit == "working" else "日",
        "provisional": order["deadline_provisional"],
        "date_cn": chinese_date(order["issued_on"]),
        "case": case["public_id"],
        "number": order["number"],
    }
    return await _render("order.docx", context, district, case)


async def inspection_document(district: DistrictInfo, case: dict[str, Any], row: dict[str, Any]) -> bytes:
    rules = rules_for_case(case)
    flat = _json(row["flat"])
    determination = _json(row["determination"])
    present = [
        name
        for name, flag in (
            ("公安", row["police_present"]),
            ("居委会", row["committee_present"]),
            ("物业", row["property_present"]),
        )
        if flag
    ]
    rows = [
        ("案件编号", case["public_id"]),
        ("房屋地址", case["address"]),
        ("检查类别", "认定检查" if row["kind"] == "initial" else "复查"),
        ("检查日期", chinese_date(row["inspected_on"])),
        ("检查人员", "、".join(_json(row["inspectors"]))),
        ("会同部门", "、".join(present) or "无"),
        ("单位集体宿舍", label("yes" if flat["collective_dormitory"] else "no")),
        ("代理经租", label("yes" if flat["agency_managed"] else "no")),
        ("面积口径", AREA_BASIS.get(rules.area_basis, rules.area_basis)),
    ]
    paragraphs = ["各房间情况："]
    for room in flat["rooms"]:
        flags = [
            text
            for key, text in (
                ("partitioned", "分割搭建"),
                ("let_by_bed", "按床位出租"),
                ("occupants_family", "居住人相互有法定扶养义务"),
                ("daylight", "直接采光"),
                ("ventilation", "自然通风"),
            )
            if room.get(key)
        ]
        paragraphs.append(
            f"{room['name']}：原设计用途{USES.get(room['designed_use'], room['designed_use'])}，"
            f"使用面积 {room['usable_area_m2']} 平方米，{'出租' if room['let'] else '未出租'}，"
            f"居住 {room['occupants']} 人" + (f"，{'、'.join(flags)}" if flags else "") + "。"
        )
    if determination["findings"]:
        paragraphs.append("认定结论：属于“群租”。符合以下情形：")
        for f in determination["findings"]:
            room = f["room"] or "整套住房"
            paragraphs.append(f"第{f['criterion']}项（{room}）：{f['detail']}。依据：{f['article']}。")
    else:
        paragraphs.append("认定结论：不属于“群租”。" if row["kind"] == "initial" else "复查结论：已改正。")
    for e in determination["exceptions"]:
        paragraphs.append(f"适用例外（{e['room']}）：{e['detail']}。依据：{e['article']}。")
    if row["notes"]:
        paragraphs.append(f"备注：{row['notes']}")
    context = {
        "issuer": default_office(district),
        "title": "群租检查认定记录" if row["kind"] == "initial" else "群租整改复查记录",
        "rows": [{"k": k, "v": v} for k, v in rows],
        "paragraphs": paragraphs,
        "date_cn": chinese_date(row["inspected_on"]),
    }
    return await _render("record.docx", context, district, case)


async def service_document(
    district: DistrictInfo, case: dict[str, Any], order: dict[str, Any], service: dict[str, Any]
) -> bytes:
    profile = profile_of(case["jurisdiction_code"])
    served_at = service["served_at"].astimezone(ZoneInfo(profile.timezone))
    photos = _json(service["photos"])
    rows = [
        ("案件编号", case["public_id"]),
        ("送达文书", f"责令改正通知书（第{order['number']}号）{order['doc_number']}"),
        ("文书摘要（SHA-256）", order["docx_sha256"]),
        ("受送达人", order["addressee"]),
        ("送达地点", case["address"]),
        ("送达方式", label(f"service.{service['method']}")),
        ("送达时间", f"{chinese_date(served_at.date())}{served_at.hour}时{served_at.minute:02d}分"),
        ("签收人", service["received_by"] or "—"),
        ("送达人", service["served_by"] or service["recorded_by"]),
    ]
    paragraphs = []
    if photos:
        paragraphs.append("张贴现场照片（SHA-256）：")
        paragraphs.extend(photos)
    if service["note"]:
        paragraphs.append(f"备注：{service['note']}")
    context = {
        "issuer": order["issuing_office"],
        "title": "送达回证",
        "rows": [{"k": k, "v": v} for k, v in rows],
        "paragraphs": paragraphs,
        "date_cn": chinese_date(served_at.date()),
    }
    return await _render("record.docx", context, district, case)


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
    district: DistrictInfo, case: dict[str, Any], recipient: str, today: date
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
        for order in orders:
            service = await GroupRentalService.select().where(GroupRentalService.order == order["id"]).first()
            if service is None:  # superseded before service: not part of the evidence
                continue
            state = "（已作废）" if order["status"] == "superseded" else ""
            body.append(
                (f"01-责令改正通知书-第{order['number']}号{state}.docx", bytes(order["docx"]), "order")
            )
            body.append(
                (
                    f"02-送达回证-第{order['number']}号{state}.docx",
                    await service_document(district, case, order, service),
                    "service",
                )
            )
        for index, row in enumerate(inspections, start=1):
            kind = "认定检查" if row["kind"] == "initial" else "复查"
            body.append(
                (
                    f"03-检查记录-{index}-{kind}.docx",
                    await inspection_document(district, case, row),
                    "inspection",
                )
            )
        for photo in photos:
            ext = "png" if photo["content_type"] == "image/png" else "jpg"
            folder = "张贴照片" if photo["purpose"] == "posting" else "检查照片"
            body.append((f"04-照片/{folder}/{photo['sha256'][:16]}.{ext}", bytes(photo["content"]), "photo"))
        attachments = [name for name, _, what in body if what != "photo"]
        if photos:
            attachments.append(f"现场照片 {len(photos)} 张（04-照片）")
        cover = await _render(
            "cover.docx",
            {
                "issuer": default_office(district),
                "doc_number": "",
                "title": "关于移送群租违法行为案件材料的函",
                "addressee": recipient,
                "paragraphs": _cover_paragraphs(case, orders, inspections),
                "attachments": attachments,
                "date_cn": chinese_date(today),
            },
            district,
            case,
        )
        _zip_add(archive, "00-移送函.docx", cover, manifest, "cover")
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
                    "flat": _json(r["flat"]),
                    "determination": _json(r["determination"]),
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
    paragraphs = [
        f"经会同公安、居委会、物业等部门检查，位于{case['address']}的房屋存在“群租”情形"
        + (f"（检查日期：{chinese_date(initial[-1]['inspected_on'])}）" if initial else "")
        + "。",
    ]
    if order is not None:
        paragraphs.append(
            f"我所已向{order['addressee']}送达《责令改正通知书》（第{order['number']}号），"
            f"责令其于{chinese_date(order['deadline'])}前改正。"
        )
    if later:
        paragraphs.append(f"经{chinese_date(later[-1]['inspected_on'])}复查，当事人逾期未改正。")
    paragraphs.append(
        "现将认定及送达材料移送你局，请依法处理。我所将配合提供当事人联系方式等情况，协助调查取证。"
    )
    paragraphs.append(f"案件编号：{case['public_id']}。材料清单及各文件摘要（SHA-256）见附件 manifest.json。")
    return paragraphs


async def escalate(
    district: DistrictInfo, public_id: str, data: dict[str, Any], actor: str, *, today: date | None = None
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
    profile = profile_of(case["jurisdiction_code"])
    day = today or today_in(profile)
    package, manifest = await build_package(district, case, recipient, day)
    digest = hashlib.sha256(package).hexdigest()
    async with racing("group_rental_escalated_twice"), transaction(GroupRentalEscalation._meta.db):
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
        await audit.record(
            actor,
            "group_rental.escalate",
            district=district.slug,
            target=public_id,
            details={"recipient": recipient, "package_sha256": digest, "files": len(manifest)},
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
    await read_audit(
        actor, district, "group_rental.download_escalation", public_id, sha256=row["package_sha256"]
    )
    return package, row["package_sha256"]


async def order_docx(district: DistrictInfo, public_id: str, number: int, actor: str) -> bytes:
    """The order (as served, once served); audited as a read of personal data."""
    case = await get_case(district, public_id)
    order = await get_order(case, number)
    content = await order_document(district, case, order)
    await read_audit(
        actor,
        district,
        "group_rental.download_order",
        f"{public_id}#{number}",
        status=order["status"],
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return content
