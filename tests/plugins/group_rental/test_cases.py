"""The group_rental workflow over HTTP on both databases: determination, order, both service methods,
re-inspection, overdue list, escalation package; enablement, district scoping and bad input."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

from core.data.tables import AuditEntry
from core.district_services import add_district, switch_plugin
from core.testing import earlier_today, login, office_today
from plugins.group_rental.services.cases import overdue_cases
from tests.plugins.group_rental.conftest import JPEG, PNG, flat, inspection, room, text_of

BASE = "/d/alpha/group_rental"
SEVERAL = flat(
    room("主卧", "living", "14.00", 3),
    room("厨房", "kitchen", "6.00", 1),
    room("客厅", "living_room", "12.00", 2, partitioned=True, daylight=True, ventilation=True),
    agency=True,
)
LAWFUL = flat(room("主卧", "living", "14.00", 2), room("客厅", "living_room", "20.00", 0, let=False))


def served_at(hours_ago: int = 1) -> str:
    return earlier_today(timedelta(hours=hours_ago)).isoformat()


async def officer(client, staff_factory) -> dict[str, str]:
    await staff_factory("officer", "district_officer", "alpha")
    return {"x-csrf-token": await login(client, "officer")}


async def open_and_determine(client, headers, data=SEVERAL) -> str:
    created = await client.post(
        f"{BASE}/cases",
        json={"address": "徐汇区示范路1弄2号301室", "party": "某某房产经纪有限公司", "source": "complaint"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    case = created.json()["case"]
    determined = await client.post(f"{BASE}/cases/{case}/inspections", json=inspection(data), headers=headers)
    assert determined.status_code == 201, determined.text
    return case


async def test_signed_service_reinspection_and_escalation_package(
    db, client, district, staff_factory, tmp_path
):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    summary = (await client.get(f"{BASE}/cases/{case}")).json()
    determination = summary["inspections"][0]["determination"]
    assert summary["status"] == "determined" and determination["group_rental"] is True
    assert [(f["criterion"], f["room"]) for f in determination["findings"]] == [
        (3, "厨房"),
        (4, "主卧"),
        (5, "主卧"),
    ]
    assert [e["room"] for e in determination["exceptions"]] == ["客厅"]

    photo = await client.post(
        f"{BASE}/cases/{case}/photos", files={"data": ("room.png", PNG, "image/png")}, headers=headers
    )
    assert photo.status_code == 201 and len(photo.json()["sha256"]) == 64

    issued = await client.post(
        f"{BASE}/cases/{case}/orders", json={"doc_number": "徐房责改〔2026〕1号"}, headers=headers
    )
    assert issued.status_code == 201, issued.text
    order = issued.json()
    assert order["addressee"] == "某某房产经纪有限公司" and order["status"] == "draft"
    assert date.fromisoformat(order["deadline"]) - date.fromisoformat(order["issued_on"]) == timedelta(
        days=15
    )
    again = await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)
    assert again.status_code == 409

    edited = await client.patch(
        f"{BASE}/cases/{case}/orders/1", json={"addressee": "张某某"}, headers=headers
    )
    assert edited.status_code == 200 and edited.json()["addressee"] == "张某某"
    docx = await client.get(f"{BASE}/cases/{case}/orders/1/order.docx")
    body = text_of(docx.content)
    assert "责令改正通知书" in body and "张某某" in body and "徐汇区示范路1弄2号301室" in body
    assert "人均居住面积 4.66 平方米" in body and "《上海市居住房屋租赁管理办法》第十条" in body
    assert "送 达 回 执" in body

    unsigned = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "signed", "served_at": served_at()},
        headers=headers,
    )
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "group_rental_service_signed_needs_name"
    served = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "signed", "served_at": served_at(), "received_by": "张某某", "served_by": "王检查"},
        headers=headers,
    )
    assert served.status_code == 201, served.text
    assert served.json()["status"] == "served" and served.json()["service"]["received_by"] == "张某某"

    # served: frozen
    frozen = await client.patch(f"{BASE}/cases/{case}/orders/1", json={"addressee": "李某"}, headers=headers)
    assert frozen.status_code == 409 and frozen.json()["code"] == "group_rental_order_served"
    # it says when it was served (the service on file), not a vague "earlier"
    served_on = served.json()["service"]["served_at"]
    assert served_on in frozen.json()["message"] and "此前" not in frozen.json()["message"]
    twice = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "signed", "served_at": served_at(), "received_by": "张某某"},
        headers=headers,
    )
    assert twice.status_code == 409

    not_due = await client.post(f"{BASE}/cases/{case}/escalation", json={}, headers=headers)
    assert not_due.status_code == 409

    still = await client.post(
        f"{BASE}/cases/{case}/inspections",
        json=inspection(SEVERAL, office_today().isoformat()),
        headers=headers,
    )
    assert still.status_code == 201 and still.json()["kind"] == "reinspection"
    assert still.json()["status"] == "unrectified"

    package = await client.post(
        f"{BASE}/cases/{case}/escalation", json={"recipient": "徐汇区房屋管理局"}, headers=headers
    )
    assert package.status_code == 201, package.text
    archive = zipfile.ZipFile(io.BytesIO(package.content))
    names = archive.namelist()
    assert names[0] == "00-移送函.docx" and "manifest.json" in names
    assert "01-责令改正通知书-第1号.docx" in names and "02-送达回证-第1号.docx" in names
    assert "03-检查记录-1-认定检查.docx" in names and "03-检查记录-2-复查.docx" in names
    photos = [n for n in names if n.startswith("04-照片/")]
    assert len(photos) == 1 and archive.read(photos[0]) == PNG
    manifest = json.loads(archive.read("manifest.json"))
    import hashlib

    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
    cover = text_of(archive.read("00-移送函.docx"))
    assert "徐汇区房屋管理局" in cover and "逾期未改正" in cover and case in cover
    assert (
        archive.read("01-责令改正通知书-第1号.docx")
        == (await client.get(f"{BASE}/cases/{case}/orders/1/order.docx")).content
    )
    service = text_of(archive.read("02-送达回证-第1号.docx"))
    assert "直接签收送达" in service and "张某某" in service
    record = text_of(archive.read("03-检查记录-1-认定检查.docx"))
    assert "公安" in record and "第4项" in record and "适用例外（客厅）" in record
    assert (await client.get(f"{BASE}/cases/{case}")).json()["status"] == "escalated"

    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.seq)]
    for action in (
        "group_rental.case_open",
        "group_rental.initial",
        "group_rental.order",
        "group_rental.service",
        "group_rental.reinspection",
        "group_rental.escalate",
        "group_rental.photo",
    ):
        assert action in actions


async def test_posting_on_the_door_needs_photographs_and_supersede(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
    bare = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "posted", "served_at": served_at()},
        headers=headers,
    )
    assert bare.status_code == 400 and bare.json()["code"] == "group_rental_service_posting_needs_photos"
    unknown = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "posted", "served_at": served_at(), "photos": ["0" * 64]},
        headers=headers,
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "group_rental_photo_unknown"
    photo = await client.post(
        f"{BASE}/cases/{case}/photos",
        files={"data": ("door.jpg", JPEG, "image/jpeg")},
        data={"purpose": "posting", "caption": "房门张贴"},
        headers=headers,
    )
    sha = photo.json()["sha256"]
    posted = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "posted", "served_at": served_at(), "photos": [sha], "served_by": "王检查、李核查"},
        headers=headers,
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["service"]["photos"] == [sha] and posted.json()["service"]["received_by"] == ""
    assert (await client.get(f"{BASE}/cases/{case}/photos/{sha}")).content == JPEG

    replaced = await client.post(
        f"{BASE}/cases/{case}/orders/1/supersede", json={"addressee": "某某公司（更正）"}, headers=headers
    )
    assert replaced.status_code == 201 and replaced.json()["number"] == 2
    orders = (await client.get(f"{BASE}/cases/{case}")).json()["orders"]
    assert [(o["number"], o["status"], o["superseded_by"]) for o in orders] == [
        (1, "superseded", 2),
        (2, "draft", None),
    ]
    assert orders[0]["service"]["method"] == "posted"  # the old service stays on file
    dead = await client.patch(f"{BASE}/cases/{case}/orders/1", json={"addressee": "x"}, headers=headers)
    assert dead.status_code == 409 and dead.json()["code"] == "group_rental_order_superseded"
    page = await client.get(f"{BASE}/cases/{case}/console")
    assert page.status_code == 200 and "上门张贴送达" in page.text and "已作废" in page.text


async def test_rectified_on_reinspection_closes_the_case_and_overdue_list(
    db, client, district, staff_factory
):
    headers = await officer(client, staff_factory)
    lawful = await open_and_determine(client, headers, LAWFUL)
    assert (await client.get(f"{BASE}/cases/{lawful}")).json()["status"] == "no_violation"
    refused = await client.post(f"{BASE}/cases/{lawful}/orders", json={}, headers=headers)
    assert refused.status_code == 409

    late = await open_and_determine(client, headers)
    fixed = await open_and_determine(client, headers)
    for case in (late, fixed):
        assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
        early = await client.post(
            f"{BASE}/cases/{case}/inspections", json=inspection(LAWFUL), headers=headers
        )
        assert early.status_code == 409 and early.json()["code"] == "group_rental_reinspect_not_served"
        served = await client.post(
            f"{BASE}/cases/{case}/orders/1/service",
            json={"method": "signed", "served_at": served_at(), "received_by": "张某某"},
            headers=headers,
        )
        assert served.status_code == 201
    done = await client.post(
        f"{BASE}/cases/{fixed}/inspections",
        json=inspection(LAWFUL, office_today().isoformat()),
        headers=headers,
    )
    assert done.json()["status"] == "rectified" and done.json()["determination"]["group_rental"] is False
    closed = await client.post(f"{BASE}/cases/{fixed}/inspections", json=inspection(LAWFUL), headers=headers)
    assert closed.status_code == 409 and closed.json()["code"] == "group_rental_case_closed"

    assert await overdue_cases(db, district) == []
    later = office_today() + timedelta(days=17)
    listed = await overdue_cases(db, district, today=later)
    assert [c["case"] for c in listed] == [late] and listed[0]["days_overdue"] >= 1
    page = await client.get(f"{BASE}/")
    assert page.status_code == 200 and late in page.text and "逾期未复查" in page.text


async def test_enablement_and_district_scoping(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    beta = await add_district(db, "test", "beta", "乙街道", "", "beijing")
    await staff_factory("officer_b", "district_officer", "beta")
    # switched off in beta: the duty does not exist there
    await client.post("/logout", data={"csrf_token": headers["x-csrf-token"]})
    headers_b = {"x-csrf-token": await login(client, "officer_b")}
    assert (await client.get("/d/beta/group_rental/")).status_code == 404
    await switch_plugin(db, "test", beta, "group_rental", True)
    assert (await client.get("/d/beta/group_rental/")).status_code == 200
    # beta's officer cannot see alpha's cases at all
    assert (await client.get(f"{BASE}/cases/{case}")).status_code == 403
    assert (await client.get(f"/d/beta/group_rental/cases/{case}")).status_code == 404
    listed = await client.get("/d/beta/group_rental/cases")
    assert listed.json() == []
    # beta uses Beijing rules: no living-room exception
    result = await client.post(
        "/d/beta/group_rental/assess",
        json=flat(
            room("客厅", "living_room", "20.00", 1, partitioned=True, daylight=True, ventilation=True),
            agency=True,
        ),
        headers=headers_b,
    )
    assert result.status_code == 200 and result.json()["profile"] == "beijing"
    assert [f["criterion"] for f in result.json()["findings"]] == [2]
    await switch_plugin(db, "test", district, "group_rental", False)
    await client.post("/logout", data={"csrf_token": headers_b["x-csrf-token"]})
    await login(client, "officer")
    assert (await client.get(f"{BASE}/cases/{case}")).status_code == 404


async def test_bad_input_over_the_api(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    bad_json = await client.post(f"{BASE}/cases", content=b"{not json", headers=headers)
    assert bad_json.status_code == 400 and bad_json.json()["code"] == "group_rental_bad_json"
    no_address = await client.post(f"{BASE}/cases", json={"party": "x"}, headers=headers)
    assert no_address.status_code == 400 and "address" in no_address.json()["message"]
    cases_before = len((await client.get(f"{BASE}/cases")).json())
    bad_room = inspection(flat(room(area="abc")))
    response = await client.post(f"{BASE}/cases/{case}/inspections", json=bad_room, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "group_rental_bad_field"
    assert response.json()["details"] == {"field": "flat.rooms[0].usable_area_m2"}
    future = inspection(SEVERAL, (office_today() + timedelta(days=3)).isoformat())
    assert (
        await client.post(f"{BASE}/cases/{case}/inspections", json=future, headers=headers)
    ).status_code == 400
    assert len((await client.get(f"{BASE}/cases/{case}")).json()["inspections"]) == 1  # nothing half-written
    assert len((await client.get(f"{BASE}/cases")).json()) == cases_before
    bad_photo = await client.post(
        f"{BASE}/cases/{case}/photos", files={"data": ("x.gif", b"GIF89a...", "image/gif")}, headers=headers
    )
    assert bad_photo.status_code == 400 and bad_photo.json()["code"] == "group_rental_photo_type"
    assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
    for payload in (
        {"method": "fax", "served_at": served_at()},
        {"method": "signed", "served_at": "yesterday", "received_by": "张"},
        {
            "method": "signed",
            "served_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "received_by": "张",
        },
    ):
        bad = await client.post(f"{BASE}/cases/{case}/orders/1/service", json=payload, headers=headers)
        assert bad.status_code == 400, (payload, bad.text)
        assert set(bad.json()) >= {"code", "message"}
    nope = await client.get(f"{BASE}/cases/QZ0000-NOPE")
    assert nope.status_code == 404
    assert nope.json()["code"] == "group_rental_case_not_found" and "QZ0000-NOPE" in nope.json()["message"]
    assert (await client.get(f"{BASE}/cases/{case}/orders/9/order.docx")).status_code == 404
    assessed = await client.post(f"{BASE}/assess", json={"rooms": "x"}, headers=headers)
    # decoded in the order sent: the first wrong field is the one named (the rules named the first missing)
    assert assessed.status_code == 400 and assessed.json()["details"]["field"] == "rooms"


async def test_committee_members_neither_read_nor_write_cases(db, client, district, staff_factory):
    from core.district_services import add_estate

    await add_estate(db, "test", district, "E1", "示范花园")
    await staff_factory("member", "committee_member", "alpha", "E1")
    csrf = await login(client, "member")
    response = await client.post(f"{BASE}/cases", json={"address": "x"}, headers={"x-csrf-token": csrf})
    assert response.status_code == 403
    assert (await client.get(f"{BASE}/cases")).status_code == 403


async def test_no_body_shape_produces_a_500(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    assert (await client.post(f"{BASE}/cases/{case}/orders", headers=headers)).status_code == 201
    paths = [
        ("post", f"{BASE}/cases"),
        ("post", f"{BASE}/assess"),
        ("post", f"{BASE}/cases/{case}/inspections"),
        ("post", f"{BASE}/cases/{case}/orders"),
        ("patch", f"{BASE}/cases/{case}/orders/1"),
        ("post", f"{BASE}/cases/{case}/orders/1/supersede"),
        ("post", f"{BASE}/cases/{case}/orders/1/service"),
        ("post", f"{BASE}/cases/{case}/escalation"),
    ]
    bodies = [b"[]", b"3", b'"x"', b"{", b'{"address": 5, "flat": [], "method": null, "recipient": 7}']
    for method, path in paths:
        for body in bodies:
            response = await getattr(client, method)(path, content=body, headers=headers)
            assert 400 <= response.status_code < 500, (path, body, response.status_code, response.text)
            assert set(response.json()) >= {"code", "message"}


async def test_two_officers_serving_the_same_order_at_once(db, district):
    import asyncio

    from core.errors import Conflict
    from plugins.group_rental.services.cases import open_case
    from plugins.group_rental.services.inspections import record_inspection
    from plugins.group_rental.services.orders import issue_order, record_service

    case = (await open_case(db, district, {"address": "示范路2号", "party": "张某"}, "a"))["case"]
    await record_inspection(db, district, case, inspection(SEVERAL), "a")
    await issue_order(db, district, case, {}, "a")
    payload = {"method": "signed", "served_at": served_at(), "received_by": "张某"}
    results = await asyncio.gather(
        record_service(db, district, case, 1, payload, "a"),
        record_service(db, district, case, 1, payload, "b"),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "dict"]
    assert any(isinstance(r, Conflict) for r in results)


async def test_a_served_order_gets_the_offices_next_document_number_unless_one_was_typed(db, district):
    from plugins.group_rental.services.cases import open_case
    from plugins.group_rental.services.inspections import record_inspection
    from plugins.group_rental.services.orders import issue_order, order_docx, record_service

    year = office_today().year
    numbers = []
    for address, typed in (("示范路3号", ""), ("示范路4号", "徐房责改〔2026〕7号"), ("示范路5号", "")):
        case = (await open_case(db, district, {"address": address, "party": "张某"}, "a"))["case"]
        await record_inspection(db, district, case, inspection(SEVERAL), "a")
        await issue_order(db, district, case, {"doc_number": typed} if typed else {}, "a")
        draft = text_of(await order_docx(db, district, case, 1, "a"))
        assert "甲街房字" not in draft  # a draft is not issued: no number yet
        payload = {"method": "signed", "served_at": served_at(), "received_by": "张某"}
        served = await record_service(db, district, case, 1, payload, "a")
        numbers.append(served["doc_number"])
        document = text_of(await order_docx(db, district, case, 1, "a"))
        assert served["doc_number"] in document  # under the letterhead of the order as served
    assert numbers == [f"甲街房字〔{year}〕1号", "徐房责改〔2026〕7号", f"甲街房字〔{year}〕2号"]


async def test_the_deadline_runs_from_the_day_the_order_is_served(db, district):
    """The order says "within N days of receiving this notice": served later than drafted, it falls
    due later, and the served document (kept as served) names that date."""
    from zoneinfo import ZoneInfo

    from docx import Document

    from core.calendar.store import work_calendar
    from core.documents.render import chinese_date
    from core.jurisdiction import Deadline, Source
    from plugins.group_rental.services.cases import get_case, open_case, rules_for_case
    from plugins.group_rental.services.common import profile_of
    from plugins.group_rental.services.inspections import record_inspection
    from plugins.group_rental.services.orders import issue_order, order_docx, record_service

    case = (await open_case(db, district, {"address": "示范路3号", "party": "张某"}, "a"))["case"]
    await record_inspection(db, district, case, inspection(SEVERAL), "a")
    draft = await issue_order(db, district, case, {}, "a", today=office_today() - timedelta(days=10))
    at = served_at()
    served = await record_service(
        db, district, case, 1, {"method": "signed", "served_at": at, "received_by": "张某"}, "a"
    )

    row = await get_case(district, case)
    profile, rules = profile_of(db, row["jurisdiction_code"]), rules_for_case(db, row)
    served_on = datetime.fromisoformat(at).astimezone(ZoneInfo(profile.timezone)).date()
    unit = "working" if rules.rectification_unit == "working" else "calendar"
    expected = (await work_calendar(profile.calendar)).due(
        served_on, Deadline(rules.rectification_days, unit, Source("test"))
    )
    assert served["deadline"] == expected.due.isoformat()
    assert date.fromisoformat(served["deadline"]) > date.fromisoformat(draft["deadline"])
    content = await order_docx(db, district, case, 1, "a")
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert chinese_date(expected.due) in text
