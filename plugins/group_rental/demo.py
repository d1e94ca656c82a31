"""Demo data for ``wuye demo`` / ``make run``: two group-rental cases in the demo estate — one just
determined, one served and overdue for re-inspection. Idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core import DistrictInfo, Runtime, today_in
from plugins.group_rental.services.cases import open_case
from plugins.group_rental.services.inspections import record_inspection
from plugins.group_rental.services.orders import issue_order, record_service
from plugins.group_rental.tables import GroupRentalCase

DEMO_FLAT = {
    "collective_dormitory": False,
    "agency_managed": True,
    "rooms": [
        {"name": "主卧", "designed_use": "living", "usable_area_m2": "14.20", "let": True, "occupants": 3},
        {
            "name": "次卧",
            "designed_use": "living",
            "usable_area_m2": "9.80",
            "let": True,
            "occupants": 2,
            "partitioned": True,
        },
        {
            "name": "客厅",
            "designed_use": "living_room",
            "usable_area_m2": "13.50",
            "let": True,
            "occupants": 1,
            "partitioned": True,
            "daylight": True,
            "ventilation": True,
        },
        {"name": "阳台", "designed_use": "balcony", "usable_area_m2": "4.10", "let": True, "occupants": 1},
    ],
}


async def populate(runtime: Runtime, district: DistrictInfo, estate: dict[str, Any], actor: str) -> list[str]:
    if await GroupRentalCase.exists().where(GroupRentalCase.district == district.id):
        return ["群租案件：已存在"]
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    day = today_in(profile)
    created = []
    for number, served in ((1, False), (2, True)):
        case = await open_case(
            runtime,
            district,
            {
                "address": f"{estate['name']}{number}号楼{number}01室",
                "estate": estate["code"],
                "party": "示范房产经纪有限公司",
                "complaint": "居民反映该户居住人员多、进出频繁",
            },
            actor,
        )
        data = {
            "inspected_on": (day - timedelta(days=30 if served else 1)).isoformat(),
            "inspectors": ["王检查", "李核查"],
            "police_present": True,
            "committee_present": True,
            "property_present": True,
            "flat": DEMO_FLAT,
        }
        await record_inspection(runtime, district, case["case"], data, actor)
        if served:
            await issue_order(runtime, district, case["case"], {}, actor, today=day - timedelta(days=29))
            await record_service(
                runtime,
                district,
                case["case"],
                1,
                {
                    "method": "signed",
                    "served_at": (datetime.now(UTC) - timedelta(days=29)).isoformat(),
                    "received_by": "示范房产经纪有限公司 赵经理",
                },
                actor,
            )
        created.append(case["case"])
    return [f"群租案件 {len(created)} 件（{'、'.join(created)}，其中 1 件逾期未复查）"]
