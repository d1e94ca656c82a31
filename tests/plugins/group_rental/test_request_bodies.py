"""The API's request bodies are Structs (schemas.py): a wrong one is refused before any service runs,
in the plugin's own codes, with the field's JSON path and the rules' words; an empty body still
works where it always did, and a field left out stays out (a PATCH keeps what it does not name)."""

from __future__ import annotations

import pytest

from tests.plugins.group_rental.conftest import flat, inspection, room
from tests.plugins.group_rental.test_cases import BASE, SEVERAL, officer, open_and_determine, served_at

JSON = {"content-type": "application/json"}


def rooms(*changes: dict) -> dict:
    """A flat of two rooms, the second changed by ``changes`` (merged into it)."""
    second = room("次卧", "living", "10.00", 1)
    for change in changes:
        second.update(change)
    return flat(room("主卧", "living", "14.00", 2), second)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"let": "也许"}, "flat.rooms[1].let", "应为 true 或 false"),
        ({"occupants": "两"}, "flat.rooms[1].occupants", "应为不小于 0 的整数"),
        ({"occupants": 1000}, "flat.rooms[1].occupants", "应为不小于 0 的整数"),
        ({"usable_area_m2": 12.5}, "flat.rooms[1].usable_area_m2", "最多两位小数"),
        ({"name": "长" * 51}, "flat.rooms[1].name", "最多 50 字"),
        ({"colour": "白"}, "flat.rooms[1].colour", "未知的字段"),
    ],
)
async def test_a_wrong_field_deep_in_the_rooms_is_named_by_its_path(
    db, client, district, staff_factory, change, field, words
):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    response = await client.post(
        f"{BASE}/cases/{case}/inspections", json=inspection(rooms(change)), headers=headers
    )
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["code"] == "group_rental_bad_field"
    assert answer["details"] == {"field": field}
    assert field in answer["message"] and words in answer["message"]
    assessed = await client.post(f"{BASE}/assess", json=rooms(change), headers=headers)
    assert assessed.status_code == 400 and assessed.json()["code"] == "group_rental_bad_field"
    assert assessed.json()["details"] == {"field": field.removeprefix("flat.")}
    assert len((await client.get(f"{BASE}/cases/{case}")).json()["inspections"]) == 1  # nothing written


async def test_unknown_and_missing_fields_in_each_body(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
    wrong = [
        ("post", "/cases", {"address": "示范路1号", "adress": "x"}, "adress", "unknown"),
        (
            "post",
            f"/cases/{case}/inspections",
            {**inspection(SEVERAL), "weather": "晴"},
            "weather",
            "unknown",
        ),
        ("post", f"/cases/{case}/orders/1/supersede", {"addresse": "x"}, "addresse", "unknown"),
        ("patch", f"/cases/{case}/orders/1", {"number": 3}, "number", "unknown"),
        ("post", f"/cases/{case}/escalation", {"to": "x"}, "to", "unknown"),
        ("post", f"/cases/{case}/orders/1/service", {"method": "signed"}, "served_at", "missing"),
        ("post", "/cases", {"party": "某某"}, "address", "missing"),
        ("post", f"/cases/{case}/inspections", {"inspectors": ["王"]}, "inspected_on", "missing"),
    ]
    words = {"unknown": "未知的字段", "missing": "缺少此项"}
    for method, path, body, field, kind in wrong:
        response = await getattr(client, method)(f"{BASE}{path}", json=body, headers=headers)
        assert response.status_code == 400, (path, response.text)
        answer = response.json()
        # the codes the rules use: the inspection record's fields, or the case's and its orders'
        code = "group_rental_bad_field" if "inspections" in path else "group_rental_bad_case_field"
        assert answer["code"] == code, (path, answer)
        assert answer["details"] == {"field": field}
        assert f"{field}（{words[kind]}）" in answer["message"]


async def test_the_rules_words_for_a_wrong_type(db, client, district, staff_factory):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
    wrong = [
        ("/cases", {"address": 5}, "address", "应为文字"),
        ("/cases", {"address": "示范路1号", "source": 1}, "source", "complaint（投诉举报）"),
        ("/cases", {"address": "长" * 301}, "address", "最多 300 字"),
        (f"/cases/{case}/inspections", inspection(SEVERAL, "2026-1-2"), "inspected_on", "YYYY-MM-DD"),
        (f"/cases/{case}/inspections", {**inspection(SEVERAL), "inspectors": []}, "inspectors", "非空列表"),
        (
            f"/cases/{case}/orders/1/service",
            {"method": "signed", "served_at": "昨天"},
            "served_at",
            "ISO 8601",
        ),
        (
            f"/cases/{case}/orders/1/service",
            {"method": "posted", "served_at": served_at(), "photos": "x"},
            "photos",
            "非空列表",
        ),
    ]
    for path, body, field, words in wrong:
        response = await client.post(f"{BASE}{path}", json=body, headers=headers)
        assert response.status_code == 400, (path, response.text)
        assert response.json()["details"] == {"field": field}, (path, response.text)
        assert words in response.json()["message"], (path, response.text)


async def test_malformed_json_and_a_body_that_is_no_object(db, client, district, staff_factory):
    headers = {**await officer(client, staff_factory), **JSON}
    case = await open_and_determine(client, headers)
    assert (await client.post(f"{BASE}/cases/{case}/orders", headers=headers)).status_code == 201
    paths = [
        ("post", "/cases"),
        ("post", "/assess"),
        ("post", f"/cases/{case}/inspections"),
        ("post", f"/cases/{case}/orders"),
        ("patch", f"/cases/{case}/orders/1"),
        ("post", f"/cases/{case}/orders/1/supersede"),
        ("post", f"/cases/{case}/orders/1/service"),
        ("post", f"/cases/{case}/escalation"),
    ]
    for method, path in paths:
        for raw, words in (
            (b'{"address": ', "无法解析"),
            (b"\xff\xfe", "无法解析"),
            (b"[1]", "应为 JSON 对象"),
        ):
            response = await getattr(client, method)(f"{BASE}{path}", content=raw, headers=headers)
            assert response.status_code == 400, (path, raw, response.text)
            answer = response.json()
            assert answer["code"] == "group_rental_bad_json", (path, raw, answer)
            assert answer["details"] == {"field": "$"} and words in answer["message"]
    for path in ("/cases", "/assess", f"/cases/{case}/inspections", f"/cases/{case}/orders/1/service"):
        empty = await client.post(f"{BASE}{path}", content=b"", headers=headers)
        assert empty.status_code == 400 and empty.json()["code"] == "group_rental_bad_json", path
        assert "缺少请求内容" in empty.json()["message"]


async def test_an_empty_body_where_one_is_allowed(db, client, district, staff_factory):
    """Issuing, correcting and superseding an order and handing the case over take no body at all
    (nor ``null``): the case's party, the district's office and housing department."""
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    issued = await client.post(f"{BASE}/cases/{case}/orders", headers=headers)
    assert issued.status_code == 201, issued.text
    assert issued.json()["addressee"] == "某某房产经纪有限公司" and issued.json()["issuing_office"]
    edited = await client.patch(f"{BASE}/cases/{case}/orders/1", content=b"", headers={**headers, **JSON})
    assert edited.status_code == 200, edited.text
    edited = await client.patch(f"{BASE}/cases/{case}/orders/1", content=b"null", headers={**headers, **JSON})
    assert edited.status_code == 200, edited.text
    superseding = await client.post(f"{BASE}/cases/{case}/orders/1/supersede", headers=headers)
    assert superseding.status_code == 201 and superseding.json()["number"] == 2, superseding.text
    served = await client.post(
        f"{BASE}/cases/{case}/orders/2/service",
        json={"method": "signed", "served_at": served_at(), "received_by": "张某"},
        headers=headers,
    )
    assert served.status_code == 201, served.text
    again = await client.post(f"{BASE}/cases/{case}/inspections", json=inspection(SEVERAL), headers=headers)
    assert again.status_code == 201 and again.json()["status"] == "unrectified", again.text
    package = await client.post(f"{BASE}/cases/{case}/escalation", headers=headers)
    assert package.status_code == 201, package.text
    assert (await client.get(f"{BASE}/cases/{case}")).json()["escalation"]["recipient"]


async def test_a_patch_keeps_what_it_does_not_name(db, client, district, staff_factory):
    """A field left out of the body is left out for the rules too: the addressee stays; ``null``
    clears it (back to the case's party)."""
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    issued = await client.post(f"{BASE}/cases/{case}/orders", json={"addressee": "张某"}, headers=headers)
    assert issued.json()["addressee"] == "张某"
    numbered = await client.patch(
        f"{BASE}/cases/{case}/orders/1", json={"doc_number": "1号"}, headers=headers
    )
    assert numbered.status_code == 200, numbered.text
    assert numbered.json()["addressee"] == "张某" and numbered.json()["doc_number"] == "1号"
    cleared = await client.patch(f"{BASE}/cases/{case}/orders/1", json={"addressee": None}, headers=headers)
    assert cleared.json()["addressee"] == "某某房产经纪有限公司"
