"""Reads of personal data are audited; the escalation package is kept and downloads identically; a
case keeps the rules it was opened under when the profile or the district's choice of it changes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, timedelta

from core.data.tables import AuditEntry
from core.district_services import choose_jurisdiction
from core.jurisdiction import Rule, Source
from core.testing import earlier_today, login, office_today
from plugins.group_rental.services.cases import open_case
from plugins.group_rental.services.inspections import record_inspection
from plugins.group_rental.services.orders import issue_order
from tests.plugins.group_rental.conftest import flat, image, inspection, room

BASE = "/d/alpha/group_rental"
# Shanghai: 主卧 breaches criteria 4 and 5; the living room is excused (agency-managed, 12 m², light, air)
FLAT = flat(
    room("主卧", "living", "14.00", 3),
    room("客厅", "living_room", "12.00", 1, partitioned=True, daylight=True, ventilation=True),
    agency=True,
)


async def reads(target_prefix: str) -> list[tuple[str, str, str]]:
    rows = await AuditEntry.select(AuditEntry.actor, AuditEntry.action, AuditEntry.target).order_by(
        AuditEntry.seq
    )
    return [
        (r["actor"], r["action"], r["target"])
        for r in rows
        if ".view_" in r["action"] or ".download_" in r["action"]
        if r["target"].startswith(target_prefix)
    ]


async def escalated_case(client, headers) -> str:
    case = (
        await client.post(f"{BASE}/cases", json={"address": "示范路9号", "party": "孙某"}, headers=headers)
    ).json()["case"]
    assert (
        await client.post(f"{BASE}/cases/{case}/inspections", json=inspection(FLAT), headers=headers)
    ).status_code == 201
    photo = await client.post(
        f"{BASE}/cases/{case}/photos", files={"data": ("r.png", image("PNG"), "image/png")}, headers=headers
    )
    assert photo.status_code == 201
    assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
    served_at = earlier_today(timedelta(minutes=3)).isoformat()
    served = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "signed", "served_at": served_at, "received_by": "孙某"},
        headers=headers,
    )
    assert served.status_code == 201, served.text
    again = inspection(FLAT, office_today().isoformat())
    assert (await client.post(f"{BASE}/cases/{case}/inspections", json=again, headers=headers)).json()[
        "status"
    ] == "unrectified"
    return case


async def test_reads_of_personal_data_are_audited(db, client, district, staff_factory):
    await staff_factory("officer", "district_officer", "alpha")
    headers = {"x-csrf-token": await login(client, "officer")}
    case = await escalated_case(client, headers)
    summary = (await client.get(f"{BASE}/cases/{case}")).json()
    sha = summary["photos"][0]["sha256"]
    assert (
        await client.get(f"{BASE}/cases/{case}/console", headers={"accept": "text/html"})
    ).status_code == 200
    assert (await client.get(f"{BASE}/cases/{case}/photos/{sha}")).status_code == 200
    docx = await client.get(f"{BASE}/cases/{case}/orders/1/order.docx")
    assert (await client.post(f"{BASE}/cases/{case}/escalation", json={}, headers=headers)).status_code == 201
    assert (await client.get(f"{BASE}/cases/{case}/escalation.zip")).status_code == 200
    entries = await reads(case)
    assert all(actor.endswith(":officer") for actor, _, _ in entries)
    assert [(action, target) for _, action, target in entries] == [
        ("group_rental.view_case", case),  # the JSON
        ("group_rental.view_case", case),  # the console page
        ("group_rental.download_photo", case),
        ("group_rental.download_order", f"{case}#1"),
        ("group_rental.download_escalation", case),
    ]
    details = json.loads(
        (
            await AuditEntry.select(AuditEntry.details)
            .where(AuditEntry.action == "group_rental.download_order")
            .first()
        )["details"]
    )
    assert details == {"sha256": hashlib.sha256(docx.content).hexdigest(), "status": "served"}
    # a refused read (another district's case, an unknown photo) leaves no entry
    assert (await client.get(f"{BASE}/cases/{case}/photos/{'0' * 64}")).status_code == 404
    assert len(await reads(case)) == 5


async def test_the_escalation_package_is_kept_and_downloads_identically(db, client, district, staff_factory):
    await staff_factory("officer", "district_officer", "alpha")
    headers = {"x-csrf-token": await login(client, "officer")}
    case = await escalated_case(client, headers)
    missing = await client.get(f"{BASE}/cases/{case}/escalation.zip")
    assert missing.status_code == 404 and missing.json()["code"] == "group_rental_no_package"
    built = await client.post(
        f"{BASE}/cases/{case}/escalation", json={"recipient": "徐汇区房屋管理局"}, headers=headers
    )
    assert built.status_code == 201
    digest = hashlib.sha256(built.content).hexdigest()
    assert built.headers["x-package-sha256"] == digest
    escalation = (await client.get(f"{BASE}/cases/{case}")).json()["escalation"]
    assert escalation["sha256"] == digest and escalation["recipient"] == "徐汇区房屋管理局"
    for _ in range(2):
        again = await client.get(f"{BASE}/cases/{case}/escalation.zip")
        assert again.status_code == 200 and again.content == built.content
        assert again.headers["x-package-sha256"] == digest
        assert again.headers["content-type"] == "application/zip"
    twice = await client.post(f"{BASE}/cases/{case}/escalation", json={}, headers=headers)
    assert twice.status_code == 409
    page = await client.get(f"{BASE}/cases/{case}/console", headers={"accept": "text/html"})
    assert digest in page.text and "escalation.zip" in page.text


async def test_a_case_keeps_the_rules_it_was_opened_under(db, district, monkeypatch):
    old = (await open_case(db, district, {"address": "示范路1号", "party": "周某"}, "officer"))["case"]
    # the profile is revised (stricter per person, looser per room, no living-room exception, 30 days) …
    profile = db.jurisdictions.get("shanghai-2020")
    revised = dict(profile.rules["group_rental"])
    changed = Source("修订后的规则（测试）", grade="UNCONFIRMED")
    revised.update(
        min_area_per_person_centi=Rule(800, changed),
        max_persons_per_room=Rule(3, changed),
        living_room_exception=Rule(None, changed),
        rectification_period=Rule({"days": 30, "unit": "calendar"}, changed),
    )
    monkeypatch.setitem(
        db.jurisdictions._profiles,
        "shanghai-2020",
        replace(profile, rules={**profile.rules, "group_rental": revised}),
    )
    # … and the district then moves to Beijing's profile
    await choose_jurisdiction(db, "test", district, "beijing")
    from core.districts import get_district

    district = await get_district("alpha")
    new = (await open_case(db, district, {"address": "示范路2号", "party": "吴某"}, "officer"))["case"]

    determined = await record_inspection(db, district, old, inspection(FLAT), "officer")
    findings = determined["determination"]["findings"]
    assert determined["determination"]["profile"] == "shanghai-2020"
    assert [(f["criterion"], f["room"]) for f in findings] == [(4, "主卧"), (5, "主卧")]
    c4 = next(f for f in findings if f["criterion"] == 4)
    assert c4["values"]["min_area_per_person_m2"] == "5.00" and "第4项" in c4["article"]
    assert [e["kind"] for e in determined["determination"]["exceptions"]] == ["living_room"]
    order = await issue_order(db, district, old, {}, "officer")
    assert date.fromisoformat(order["deadline"]) - date.fromisoformat(order["issued_on"]) == timedelta(
        days=15
    )

    beijing = await record_inspection(db, district, new, inspection(FLAT), "officer")
    assert beijing["determination"]["profile"] == "beijing"
    assert [f["criterion"] for f in beijing["determination"]["findings"]] == [2, 4, 5]  # no exception there
