"""Owners' meetings on the district's morning board: what each meeting the staff member may see owes
next (deliver the sheets by the delivery deadline, open the vote on the meeting day, close it, count
and seal on the count day, announce the result within the profile's days of the seal), and for each
open meeting a chart of the turnout so far against the quorum."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core import Actor, BoardItem, BoardPanel, DistrictInfo, Runtime, board_level, local_time, people_date
from plugins.voting.messages import BOARD, TURNOUT_WORDS
from plugins.voting.services.announcement import publication_status
from plugins.voting.services.delivery import delivery_status
from plugins.voting.services.result_phases import final_announced, phase_status
from plugins.voting.services.turnout import turnout
from plugins.voting.tables import VotingMeeting
from plugins.voting.web.roles import READ_ROLES


async def _meetings(district: DistrictInfo, actor: Actor, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    query = VotingMeeting.select().where(
        (VotingMeeting.district == district.id) & VotingMeeting.status.is_in(list(statuses))
    )
    rows = await query.order_by(VotingMeeting.id)
    if actor.can_manage_district(district.id):
        return rows
    estates = actor.estate_ids(district.id, READ_ROLES)
    return [r for r in rows if r["estate"] in estates]


def _href(district: DistrictInfo, row: dict[str, Any]) -> str:
    return f"/d/{district.slug}/voting/meetings/{row['public_id']}/console"


async def board_items(
    runtime: Runtime, district: DistrictInfo, actor: Actor, today: date, title: str
) -> list[BoardItem]:
    items = []
    for row in await _meetings(district, actor, ("published", "open", "closed", "sealed")):
        profile = runtime.jurisdictions.get(row["jurisdiction_code"])

        def item(task: str, due: date, detail: str = "", *, soon: int = 3, meeting: Any = row) -> BoardItem:
            return BoardItem(
                plugin="voting",
                duty=title,
                subject=meeting["title"],
                task=task,
                due_on=due,
                level=board_level(due, today, soon=soon),
                href=_href(district, meeting),
                detail=detail,
            )

        status = row["status"]
        if status == "published":
            counts = await delivery_status(row)
            if counts["delivered"] < counts["voters"]:
                detail = BOARD["deliver_detail"].format(**counts)
                items.append(item(BOARD["deliver"], row["delivery_deadline"], detail, soon=5))
            else:
                items.append(item(BOARD["open"], row["meeting_date"]))
        elif status == "open":
            share = await turnout(row)
            closes = local_time(row["voting_closes"], profile).date()
            detail = BOARD["close_detail"].format(part=share["taking_part"], voters=share["voters"])
            items.append(item(BOARD["close"], closes, f"{detail}；{share['summary']}"))
        elif status == "closed":
            items.append(item(BOARD["count"], row["count_date"]))
        else:
            published = await publication_status(runtime, row)
            phase = await phase_status(runtime, row)
            if phase and not await final_announced(row):
                detail = BOARD["final_detail"].format(
                    until=people_date(date.fromisoformat(phase["until"])),
                    count=len(phase["objections"]),
                    open=phase["unanswered"],
                )
                items.append(
                    item(BOARD["final"], date.fromisoformat(phase["until"]) + timedelta(days=1), detail)
                )
            elif published and published["state"] in {"pending", "overdue"}:
                sealed = people_date(date.fromisoformat(published["sealed_on"]))
                detail = BOARD["publish_detail"].format(sealed=sealed)
                items.append(item(BOARD["publish"], date.fromisoformat(published["due"]), detail))
    return items


async def board_panels(runtime: Runtime, district: DistrictInfo, actor: Actor) -> list[BoardPanel]:
    return [
        BoardPanel(
            plugin="voting",
            title=TURNOUT_WORDS["panel_title"].format(title=row["title"]),
            template="voting/turnout_panel.html",
            context={"turnout": await turnout(row), "meeting": row["public_id"]},
            order=10,
        )
        for row in await _meetings(district, actor, ("open",))
    ]
