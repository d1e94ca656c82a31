"""Group rental on the morning board: a served order's rectification period, overdue once it has
passed without a re-inspection; officers only."""

from __future__ import annotations

from datetime import timedelta

from core.district_services import add_estate
from core.testing import login, office_today
from plugins.group_rental.tables import GroupRentalOrder
from tests.plugins.group_rental.test_cases import BASE, officer, open_and_determine, served_at


async def test_a_served_order_is_on_the_board_and_overdue_after_its_period(
    db, client, district, staff_factory
):
    headers = await officer(client, staff_factory)
    case = await open_and_determine(client, headers)
    assert (await client.post(f"{BASE}/cases/{case}/orders", json={}, headers=headers)).status_code == 201
    served = await client.post(
        f"{BASE}/cases/{case}/orders/1/service",
        json={"method": "signed", "served_at": served_at(), "received_by": "张某某"},
        headers=headers,
    )
    assert served.status_code == 201, served.text
    page = (await client.get("/d/alpha")).text
    assert "整改期限届满，复查是否改正" in page and case in page and "整改期剩" in page
    await GroupRentalOrder.update({GroupRentalOrder.deadline: office_today() - timedelta(days=2)}).where(
        GroupRentalOrder.status == "served"
    )
    page = (await client.get("/d/alpha")).text
    assert '<tr data-level="overdue" data-plugin="group_rental">' in page
    assert "整改期已过 2 天，尚未复查" in page
    assert f"/d/alpha/group_rental/cases/{case}/console" in page
    await add_estate(db, "test", district, "E1", "一号小区")
    await staff_factory("member", "committee_member", "alpha", "E1")
    client.cookies.clear()
    await login(client, "member")
    assert "整改期限" not in (await client.get("/d/alpha")).text
