"""The housing checks on the district's morning board: each open entrustment the staff member may
see (supervisors: the district's; an officer or checker: their assignments) with its report's due
date in working days (seed 000 §12: ten working days from receipt)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core import Actor, BoardItem, DistrictInfo, Runtime, board_level
from plugins.housing_check.messages import BOARD
from plugins.housing_check.services.entrustments import list_entrustments
from plugins.housing_check.web.roles import ASSIGNED_ROLES


async def board_items(
    runtime: Runtime, district: DistrictInfo, actor: Actor, today: date, title: str
) -> list[BoardItem]:
    if not (actor.can_manage_district(district.id) or actor.roles_in(district.id) & ASSIGNED_ROLES):
        return []
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    items = []
    for e in await list_entrustments(district, actor, profile, today=today, open_only=True):
        due = date.fromisoformat(e["due_on"])
        left: Any = e["days_left"]
        level = board_level(due, today, days_left=left, soon=3)
        detail = (
            BOARD["late"].format(days=-left)
            if left < 0
            else BOARD["today"]
            if left == 0
            else BOARD["left"].format(days=left)
        )
        items.append(
            BoardItem(
                plugin="housing_check",
                duty=title,
                subject=BOARD["subject"].format(
                    office=e["entrusting_office"], letter_no=e["letter_no"], households=e["households"]
                ),
                task=BOARD["task"],
                due_on=due,
                level=level,
                href=f"/d/{district.slug}/housing_check/entrustments/{e['entrustment']}/console",
                detail=detail,
            )
        )
    return items
