"""Group rental on the district's morning board: every served rectification order with its period's
end — overdue when it has passed and the case waits for its re-inspection (officers only)."""

from __future__ import annotations

from datetime import date

from core import Actor, BoardItem, DistrictInfo, Runtime, board_level
from plugins.group_rental.messages import BOARD
from plugins.group_rental.tables import GroupRentalOrder


async def board_items(
    runtime: Runtime, district: DistrictInfo, actor: Actor, today: date, title: str
) -> list[BoardItem]:
    if not actor.can_manage_district(district.id):
        return []
    rows = await GroupRentalOrder.select(
        GroupRentalOrder.deadline,
        GroupRentalOrder.case.public_id.as_alias("case"),
        GroupRentalOrder.case.address.as_alias("address"),
    ).where(
        (GroupRentalOrder.status == "served")
        & (GroupRentalOrder.case.district == district.id)
        & (GroupRentalOrder.case.status == "served")
    )
    items = []
    for row in rows:
        due: date = row["deadline"]
        left = (due - today).days
        items.append(
            BoardItem(
                plugin="group_rental",
                duty=title,
                subject=BOARD["subject"].format(address=row["address"], case=row["case"]),
                task=BOARD["task"],
                due_on=due,
                level=board_level(due, today, soon=7),
                href=f"/d/{district.slug}/group_rental/cases/{row['case']}/console",
                detail=BOARD["late"].format(days=-left) if left < 0 else BOARD["left"].format(days=left),
            )
        )
    return items
