"""The console's forms over HTTP on both databases: each one posts, answers 303 to the case page and
writes what the API would; a refusal re-renders the page with the error in Chinese and writes nothing;
CSRF is required; no junk body produces a 500."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.data.tables import AuditEntry
from core.testing import earlier_today, login
from plugins.group_rental.tables import GroupRentalPhoto, GroupRentalService
from tests.plugins.group_rental.conftest import image

BASE = "/d/alpha/group_rental"
HTML = {"accept": "text/html"}


def rooms(*rows: dict) -> dict[str, str]:
    """Room rows as the page names them (deliberately not 0, 1, 2: rows are added and removed)."""
    form: dict[str, str] = {}
    for n, row in zip((0, 3, 7, 8), rows, strict=False):
        for key, value in row.items():
            if value is True:
                form[f"room-{n}-{key}"] = "1"
            elif value is not False:
                form[f"room-{n}-{key}"] = str(value)
    return form


OVERCROWDED = rooms(
    {"name": "主卧", "designed_use": "living", "usable_area_m2": "9.99", "let": True, "occupants": "2"},
    {"name": "厨房", "designed_use": "kitchen", "usable_area_m2": "5", "let": True, "occupants": "1"},
)


async def officer(client, staff_factory) -> str:
    await staff_factory("officer", "district_officer", "alpha")
    return await login(client, "officer")


def error_on(page: str) -> str:
    found = re.search(r'id="error-text">([^<]*)<', page)
    assert found, page[:2000]
    return found.group(1)


async def open_case(client, csrf: str) -> str:
    response = await client.post(
        f"{BASE}/console/cases",
        data={"csrf_token": csrf, "address": "示范路3号502室", "party": "钱某", "source": "complaint"},
        headers=HTML,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("/console?done=opened")
    return response.headers["location"].split("/cases/")[1].split("/")[0]


def inspection_form(csrf: str, room_fields: dict[str, str], **extra: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "inspected_on": datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat(),
        "inspectors": "王检查，李核查",
        "police_present": "1",
        "committee_present": "1",
        **room_fields,
        **extra,
    }


async def test_open_inspect_order_and_serve_through_forms(db, client, district, staff_factory):
    csrf = await officer(client, staff_factory)
    refused = await client.post(
        f"{BASE}/console/cases",
        data={"csrf_token": csrf, "address": " ", "source": "complaint"},
        headers=HTML,
    )
    assert refused.status_code == 400 and "房屋地址：应为非空文字" in error_on(refused.text)
    assert (await client.get(f"{BASE}/cases")).json() == []
    case = await open_case(client, csrf)

    bad = inspection_form(csrf, {**OVERCROWDED, "room-3-occupants": "两"})
    page = await client.post(f"{BASE}/cases/{case}/console/inspections", data=bad, headers=HTML)
    assert page.status_code == 400
    assert error_on(page.text) == "第 2 个房间（厨房）的居住人数：应为不小于 0 的整数"
    assert 'value="两"' in page.text and "王检查，李核查" in page.text  # the form keeps what was typed
    nobody = await client.post(
        f"{BASE}/cases/{case}/console/inspections",
        data={**inspection_form(csrf, OVERCROWDED), "inspectors": " 、 "},
        headers=HTML,
    )
    assert error_on(nobody.text) == "检查人员：请至少填写一名检查人员（每人不超过 50 字）"
    assert (await client.get(f"{BASE}/cases/{case}")).json()["inspections"] == []

    done = await client.post(
        f"{BASE}/cases/{case}/console/inspections", data=inspection_form(csrf, OVERCROWDED), headers=HTML
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=determined")
    summary = (await client.get(f"{BASE}/cases/{case}")).json()
    inspection = summary["inspections"][0]
    assert inspection["inspectors"] == ["王检查", "李核查"] and inspection["police_present"] is True
    assert inspection["property_present"] is False
    assert [r["name"] for r in inspection["flat"]["rooms"]] == ["主卧", "厨房"]
    assert [f["criterion"] for f in inspection["determination"]["findings"]] == [3, 4]
    page = await client.get(done.headers["location"], headers=HTML)
    assert "人均居住面积（平方米）：4.99" in page.text and "认定为“群租”" in page.text
    assert "整改期限 15 日" in page.text and 'id="period-note"' in page.text  # an office setting, said so

    ordered = await client.post(
        f"{BASE}/cases/{case}/console/orders",
        data={"csrf_token": csrf, "addressee": "", "issuing_office": "", "doc_number": "甲房责改〔2026〕3号"},
        headers=HTML,
    )
    assert ordered.status_code == 303
    order = (await client.get(f"{BASE}/cases/{case}")).json()["orders"][0]
    assert order["addressee"] == "钱某" and order["issuing_office"] == "甲街道房屋管理事务所"
    edited = await client.post(
        f"{BASE}/cases/{case}/console/orders/1",
        data={"csrf_token": csrf, "addressee": "钱某某", "issuing_office": "", "doc_number": ""},
        headers=HTML,
    )
    assert edited.status_code == 303
    assert (await client.get(f"{BASE}/cases/{case}")).json()["orders"][0]["addressee"] == "钱某某"

    local = earlier_today(timedelta(minutes=5))
    good, gif = image("JPEG", "green"), b"GIF89a-not-a-photo"
    half = await client.post(
        f"{BASE}/cases/{case}/console/orders/1/service",
        data={"csrf_token": csrf, "method": "posted", "served_at": local.strftime("%Y-%m-%dT%H:%M")},
        files=[("photos", ("door.jpg", good, "image/jpeg")), ("photos", ("door.gif", gif, "image/gif"))],
        headers=HTML,
    )
    assert half.status_code == 400 and "不支持的照片格式：door.gif" in error_on(half.text)
    assert await GroupRentalPhoto.count() == 0 and await GroupRentalService.count() == 0  # nothing half-saved
    future = await client.post(
        f"{BASE}/cases/{case}/console/orders/1/service",
        data={
            "csrf_token": csrf,
            "method": "signed",
            "received_by": "钱某某",
            "served_at": (local + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
        headers=HTML,
    )
    assert future.status_code == 400 and "送达时间不能晚于当前时间" in error_on(future.text)
    served = await client.post(
        f"{BASE}/cases/{case}/console/orders/1/service",
        data={"csrf_token": csrf, "method": "posted", "served_at": local.strftime("%Y-%m-%dT%H:%M")},
        files=[
            ("photos", ("door.jpg", good, "image/jpeg")),
            ("photos", ("", b"", "application/octet-stream")),
        ],
        headers=HTML,
    )
    assert served.status_code == 303 and served.headers["location"].endswith("?done=served")
    summary = (await client.get(f"{BASE}/cases/{case}")).json()
    service = summary["orders"][0]["service"]
    assert summary["status"] == "served" and service["method"] == "posted" and len(service["photos"]) == 1
    assert datetime.fromisoformat(service["served_at"]) == local.replace(second=0, microsecond=0)
    assert [p["purpose"] for p in summary["photos"]] == ["posting"]
    shown = (await client.get(f"{BASE}/cases/{case}/console", headers=HTML)).text  # the local time, in words
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" in shown
    frozen = await client.post(
        f"{BASE}/cases/{case}/console/orders/1",
        data={"csrf_token": csrf, "addressee": "别人"},
        headers=HTML,
    )
    assert frozen.status_code == 409 and "不能再修改" in error_on(frozen.text)


async def test_photos_form_keeps_all_or_none(db, client, district, staff_factory):
    csrf = await officer(client, staff_factory)
    case = await open_case(client, csrf)
    one, two = image("PNG", "red"), image("JPEG", "blue")
    too_big = b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024)
    refused = await client.post(
        f"{BASE}/cases/{case}/console/photos",
        data={"csrf_token": csrf, "caption": "现场"},
        files=[("photos", ("a.png", one, "image/png")), ("photos", ("b.jpg", too_big, "image/jpeg"))],
        headers=HTML,
    )
    # over the limit: the case page again (413) with the menu, the caption kept, the error at the field
    assert refused.status_code == 413 and "不能超过 10 MB" in error_on(refused.text)
    assert 'id="photo-files-error"' in refused.text and 'nav class="menu"' in refused.text
    assert 'value="现场"' in refused.text and "每个文件不超过 10 MB" in refused.text
    assert await GroupRentalPhoto.count() == 0
    huge = await client.post(
        f"{BASE}/cases/{case}/console/photos",
        data={"csrf_token": csrf, "caption": "很大"},
        files=[("photos", ("c.jpg", too_big * 6, "image/jpeg"))],
        headers=HTML,
    )
    assert huge.status_code == 413 and 'value="很大"' in huge.text
    none = await client.post(f"{BASE}/cases/{case}/console/photos", data={"csrf_token": csrf}, headers=HTML)
    assert none.status_code == 400 and "照片文件为空" in error_on(none.text)
    kept = await client.post(
        f"{BASE}/cases/{case}/console/photos",
        data={"csrf_token": csrf, "caption": "现场"},
        files=[("photos", ("a.png", one, "image/png")), ("photos", ("b.jpg", two, "image/jpeg"))],
        headers=HTML,
    )
    assert kept.status_code == 303
    photos = (await client.get(f"{BASE}/cases/{case}")).json()["photos"]
    assert [(p["filename"], p["caption"]) for p in photos] == [("a.png", "现场"), ("b.jpg", "现场")]
    # the API takes a phone-sized photograph too (above the app's 2 MB default body limit)
    large = b"\xff\xd8\xff" + b"1" * (6 * 1024 * 1024)
    api = await client.post(
        f"{BASE}/cases/{case}/photos",
        files={"data": ("large.jpg", large, "image/jpeg")},
        headers={"x-csrf-token": csrf},
    )
    assert api.status_code == 201 and api.json()["size"] == len(large)


async def test_forms_need_the_csrf_token_and_an_officer(db, client, district, staff_factory):
    from core.district_services import add_estate

    csrf = await officer(client, staff_factory)
    case = await open_case(client, csrf)
    forged = await client.post(
        f"{BASE}/console/cases", data={"address": "x", "source": "complaint"}, headers=HTML
    )
    assert forged.status_code == 403
    forged_upload = await client.post(
        f"{BASE}/cases/{case}/console/photos",
        data={"csrf_token": "0" * 40},
        files=[("photos", ("a.png", image("PNG"), "image/png"))],
        headers=HTML,
    )
    assert forged_upload.status_code == 403 and await GroupRentalPhoto.count() == 0
    await client.post("/logout", data={"csrf_token": csrf})
    await add_estate(db, "test", district, "E1", "示范花园")
    await staff_factory("member", "committee_member", "alpha", "E1")
    member = await login(client, "member")
    refused = await client.post(
        f"{BASE}/console/cases", data={"csrf_token": member, "address": "y", "source": "complaint"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    # group-rental cases are the office's: an estate's committee member does not even read them
    page = await client.get(f"{BASE}/cases/{case}/console", headers=HTML)
    assert page.status_code == 403 and "inspection-form" not in page.text


async def test_form_routes_never_answer_500(db, client, district, staff_factory):
    csrf = await officer(client, staff_factory)
    case = await open_case(client, csrf)
    headers = {"x-csrf-token": csrf}
    paths = [
        f"{BASE}/console/cases",
        f"{BASE}/cases/{case}/console/inspections",
        f"{BASE}/cases/{case}/console/photos",
        f"{BASE}/cases/{case}/console/orders",
        f"{BASE}/cases/{case}/console/orders/1",
        f"{BASE}/cases/{case}/console/orders/x/supersede",
        f"{BASE}/cases/{case}/console/orders/1/service",
        f"{BASE}/cases/{case}/console/escalation",
        f"{BASE}/cases/NOPE/console/inspections",
    ]
    bodies = [
        {"content": b"{not json", "headers": {**headers, "content-type": "application/json"}},
        {"content": b"\xff\xfe", "headers": {**headers, "content-type": "application/x-www-form-urlencoded"}},
        {"data": {"room-1-name": "x", "room-1-occupants": "9" * 40, "served_at": "2026-13-45T99:99"}},
        {"data": {"estate": "NOWHERE", "address": "z" * 400, "method": "fax", "inspected_on": "2999-01-01"}},
    ]
    for path in paths:
        for body in bodies:
            kwargs = {**body, "headers": {**headers, **body.get("headers", {}), **HTML}}
            response = await client.post(path, **kwargs)
            assert 400 <= response.status_code < 500 or response.status_code == 303, (
                path,
                body,
                response.status_code,
                response.text[-500:],
            )
    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action)}
    assert "group_rental.initial" not in actions  # none of that junk was recorded


async def test_a_second_case_for_an_address_with_an_open_case_warns(db, client, district, staff_factory):
    csrf = await officer(client, staff_factory)
    first = await open_case(client, csrf)
    again = {"csrf_token": csrf, "address": "示范路３号 502室", "party": "孙某", "source": "inspection"}
    warned = await client.post(f"{BASE}/console/cases", data=again, headers=HTML)
    assert warned.status_code == 409 and 'data-code="group_rental_open_case_exists"' in warned.text
    assert first in warned.text and "仍然创建" in warned.text
    assert 'name="party" value="孙某"' in warned.text  # the form's fields travel with the panel
    assert len((await client.get(f"{BASE}/cases")).json()) == 1
    created = await client.post(f"{BASE}/console/cases", data={**again, "confirmed": "1"}, headers=HTML)
    assert created.status_code == 303 and len((await client.get(f"{BASE}/cases")).json()) == 2
    other = await client.post(
        f"{BASE}/console/cases",
        data={"csrf_token": csrf, "address": "示范路5号101室", "source": "complaint"},
        headers=HTML,
    )
    assert other.status_code == 303  # another flat: no warning


async def test_superseding_an_order_asks_first(db, client, district, staff_factory):
    csrf = await officer(client, staff_factory)
    case = await open_case(client, csrf)
    await client.post(
        f"{BASE}/cases/{case}/console/inspections", data=inspection_form(csrf, OVERCROWDED), headers=HTML
    )
    ordered = await client.post(
        f"{BASE}/cases/{case}/console/orders",
        data={"csrf_token": csrf, "addressee": "", "issuing_office": "", "doc_number": ""},
        headers=HTML,
    )
    assert ordered.status_code == 303
    url = f"{BASE}/cases/{case}/console/orders/1/supersede"
    number = "甲房责改〔2026〕9号"
    asked = await client.post(url, data={"csrf_token": csrf, "doc_number": number}, headers=HTML)
    assert asked.status_code == 200 and 'data-code="group_rental_supersede"' in asked.text
    assert "第 1 号责令改正通知书" in asked.text
    assert len((await client.get(f"{BASE}/cases/{case}")).json()["orders"]) == 1
    state = re.search(r'name="confirm_state" value="([^"]+)"', asked.text)
    assert state and 'name="doc_number" value="甲房责改〔2026〕9号"' in asked.text
    done = await client.post(
        url,
        data={"csrf_token": csrf, "doc_number": number, "confirmed": "1", "confirm_state": state.group(1)},
        headers=HTML,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=superseded")
    listed = (await client.get(f"{BASE}/cases/{case}")).json()["orders"]
    assert [o["status"] for o in listed] == ["superseded", "draft"]
