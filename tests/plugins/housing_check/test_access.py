"""Confidentiality: only assigned officers and their district's supervisors read a household."""

from __future__ import annotations

from core.data.tables import AuditEntry
from core.testing import login
from tests.plugins.housing_check.test_flow import BASE, import_list, today


async def _entrustment(client) -> tuple[str, int]:
    csrf = await login(client, "sup")
    created = await import_list(client, csrf, today())
    entrustment = created.json()["entrustment"]
    await client.post(
        f"{BASE}/entrustments/{entrustment}/officers",
        json={"officers": ["officer_a"]},
        headers={"x-csrf-token": csrf},
    )
    detail = (await client.get(f"{BASE}/entrustments/{entrustment}")).json()
    await client.post("/logout", headers={"x-csrf-token": csrf})
    return entrustment, detail["household_list"][0]["household"]


async def test_other_district_and_unassigned_officers_cannot_read_a_household(db, client, people):
    entrustment, household = await _entrustment(client)
    url = f"{BASE}/entrustments/{entrustment}/households/{household}"

    await login(client, "officer_x")  # supervisor of ANOTHER district
    for path in (url, f"{BASE}/entrustments/{entrustment}", f"{BASE}/entrustments"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert set(response.json()) >= {"code", "message"}
    await client.post("/logout", headers={"x-csrf-token": ""})

    client.cookies.clear()
    csrf = await login(client, "officer_b")  # same district, not assigned
    for path in (url, f"{BASE}/entrustments/{entrustment}", f"{BASE}/entrustments/{entrustment}/report.docx"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "housing_check_not_assigned"
    step = await client.post(
        f"{url}/steps",
        json={"kind": "electronic", "date": today().isoformat(), "result": "resolved", "finding": "x"},
        headers={"x-csrf-token": csrf},
    )
    assert step.status_code == 403
    assert (await client.get(f"{BASE}/entrustments")).json() == []  # not even listed
    assign = await client.post(
        f"{BASE}/entrustments/{entrustment}/officers",
        json={"officers": ["officer_b"]},
        headers={"x-csrf-token": csrf},
    )
    assert assign.status_code == 403 and assign.json()["code"] == "housing_check_not_supervisor"

    client.cookies.clear()
    await login(client, "officer_a")  # assigned
    assert (await client.get(url)).status_code == 200
    listed = (await client.get(f"{BASE}/entrustments")).json()
    assert [i["entrustment"] for i in listed] == [entrustment]
    reads = await AuditEntry.select().where(AuditEntry.action == "housing_check.view_household")
    assert [r["actor"].split(":")[-1] for r in reads] == ["officer_a"]  # refused reads read nothing


async def test_only_staff_of_the_district_can_be_assigned(db, client, people):
    entrustment, _ = await _entrustment(client)
    csrf = await login(client, "sup")
    response = await client.post(
        f"{BASE}/entrustments/{entrustment}/officers",
        json={"officers": ["officer_x"]},
        headers={"x-csrf-token": csrf},
    )
    assert response.status_code == 400 and response.json()["code"] == "housing_check_officer_not_eligible"
    empty = await client.post(
        f"{BASE}/entrustments/{entrustment}/officers", json={"officers": []}, headers={"x-csrf-token": csrf}
    )
    assert empty.status_code == 400 and empty.json()["code"] == "housing_check_no_officers"


async def test_disabled_duty_answers_404(db, client, people):
    from core.district_services import switch_plugin
    from core.districts import get_district

    await switch_plugin(db, "test", await get_district("alpha"), "housing_check", False)
    await login(client, "sup")
    assert (await client.get(f"{BASE}/entrustments")).status_code == 404
