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


async def test_a_checker_works_on_its_assignments_and_reaches_nothing_else(db, client, people, staff_factory):
    """The 住房核查员 role: assignable, sees and works on only what is assigned, cannot create
    entrustments, assign, switch duties, add estates, or open another duty."""
    await staff_factory("checker", "checker", "alpha")
    csrf = await login(client, "sup")
    first = (await import_list(client, csrf, today())).json()["entrustment"]
    second = (await import_list(client, csrf, today(), letter_no="沪保委〔2026〕19号")).json()["entrustment"]
    assigned = await client.post(
        f"{BASE}/entrustments/{first}/officers",
        json={"officers": ["checker"]},
        headers={"x-csrf-token": csrf},
    )
    assert assigned.status_code == 200, assigned.text
    client.cookies.clear()
    csrf = await login(client, "checker")
    listed = (await client.get(f"{BASE}/entrustments")).json()
    assert [i["entrustment"] for i in listed] == [first]
    detail = await client.get(f"{BASE}/entrustments/{first}")
    assert detail.status_code == 200
    household = detail.json()["household_list"][0]["household"]
    step = await client.post(
        f"{BASE}/entrustments/{first}/households/{household}/steps",
        json={"kind": "electronic", "date": today().isoformat(), "result": "resolved", "finding": "比对一致"},
        headers={"x-csrf-token": csrf},
    )
    assert step.status_code == 201, step.text
    other = await client.get(f"{BASE}/entrustments/{second}")
    assert other.status_code == 403 and other.json()["code"] == "housing_check_not_assigned"
    home = await client.get(f"{BASE}/", headers={"accept": "text/html"})
    assert home.status_code == 200
    for method, path, body in (
        ("POST", "/api/d/alpha/estates", {"code": "E9", "name": "九号小区"}),
        ("PUT", "/api/d/alpha/plugins/housing_check", {"enabled": False}),
        ("POST", f"{BASE}/entrustments/{first}/officers", {"officers": ["checker"]}),
        ("GET", "/d/alpha/voting/", None),
        ("GET", "/d/alpha/plugins", None),
    ):
        refused = await client.request(method, path, json=body, headers={"x-csrf-token": csrf})
        assert refused.status_code in {403, 404}, (method, path, refused.status_code)
    district_page = (await client.get("/d/alpha", headers={"accept": "text/html"})).text
    assert "/d/alpha/housing_check/" in district_page and "功能模块" not in district_page
    # the board: the checker's own entrustment's report, not the other one
    assert district_page.count("出具住房状况核查结果报告") == 1
    assert f"/entrustments/{first}/console" in district_page and second not in district_page
    client.cookies.clear()
    await login(client, "sup")
    assert (await client.get("/d/alpha")).text.count("出具住房状况核查结果报告") == 2
