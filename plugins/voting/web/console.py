"""The voting console's server-rendered pages (mounted under /d/{district}/voting/ by
core.district_router); their layout context comes from :func:`core.district_page`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from core import (
    Actor,
    Confirmation,
    DistrictInfo,
    ListColumn,
    ListFilter,
    Reach,
    Runtime,
    district_page,
    district_today,
    get_district,
    get_estate,
    list_view,
    megabytes,
    people_date,
    people_time,
    reaches,
    require_manager,
)
from plugins.voting.messages import DONE_WORDS, EXPORT_WORDS, KIND_TITLES, UNDELIVERED_WORDS, label
from plugins.voting.protocol.confirmation import key_fingerprint
from plugins.voting.protocol.scope import buildings, prefix_label
from plugins.voting.schemas import MATTER_TITLES
from plugins.voting.services.announcement import publication_status
from plugins.voting.services.delivery import buildings_of, delivery_status, undelivered_sheets, warnings_for
from plugins.voting.services.meetings import (
    district_meetings,
    draft_file,
    get_meeting,
    meeting_summary,
)
from plugins.voting.services.paper import paper_overview
from plugins.voting.services.proxies import list_proxies
from plugins.voting.services.register import estates_overview, load_units
from plugins.voting.services.result_phases import phase_status
from plugins.voting.services.scrutineers import scrutineer_keys
from plugins.voting.services.seal import tally_of
from plugins.voting.services.transfers import list_transfers
from plugins.voting.services.turnout import turnout
from plugins.voting.web.api import UPLOAD_BYTES
from plugins.voting.web.roles import COUNT, DOCUMENTS, READ
from plugins.voting.web.verify import board_head

MEETING_STATUSES = ("draft", "published", "open", "closed", "sealed")
#: The meetings list: what it can be sorted by and searched in.
MEETING_COLUMNS = (
    ListColumn("title", "会议", searchable=True),
    ListColumn("estate_name", "小区", searchable=True),
    ListColumn("status", "状态"),
    ListColumn("notice_date", "公告日"),
    ListColumn("meeting_date", "会议召开日"),
)

#: A meeting file uploaded to replace a draft's content.
MEETING_FILE_BYTES = 256 * 1024

#: The words beside the upload forms and the download links.
WORDS = {**EXPORT_WORDS, "limit": EXPORT_WORDS["file_limit"].format(mb=megabytes(UPLOAD_BYTES))}


class VotingConsoleController(Controller):
    """The console pages of a district's registers and meetings."""

    @get("/", operation_id="VotingHome", opt=READ)
    async def home(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        reach: Reach,
        runtime: Runtime,
        district: str,
        done: str = "",
    ) -> Template:
        info = await get_district(district)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        estates = [
            {
                **e,
                "imported": people_time(e["register_imported_at"], profile)
                if e["register_imported_at"]
                else "—",
            }
            for e in reach.narrow(await estates_overview(info), key="id")
        ]
        names = {e["id"]: e["name"] for e in estates}
        meetings = [
            {
                **m,
                "notice_day": people_date(m["notice_date"]),
                "meeting_day": people_date(m["meeting_date"]),
                "estate_name": names.get(m["estate"], ""),
                "status_label": label(f"status.{m['status']}"),
            }
            for m in reach.narrow(await district_meetings(info))
        ]
        listing = list_view(
            meetings,
            request.query_params,
            columns=MEETING_COLUMNS,
            filters=(
                ListFilter("status", "状态", tuple((s, label(f"status.{s}")) for s in MEETING_STATUSES)),
                ListFilter("estate_name", "小区", tuple((e["name"], e["name"]) for e in estates)),
            ),
            default_sort="-meeting_date",
        )
        return await district_page(
            request,
            actor,
            info,
            "voting/home.html",
            estates=estates,
            meetings=listing.rows,
            listing=listing,
            can_manage=actor.can_manage_district(info.id),
            words=WORDS,
            done=DONE_WORDS.get(done, ""),
        )

    @get("/estates/{estate:str}/meetings/new", operation_id="VotingNewMeetingPage")
    async def new_meeting_page(
        self, request: Request[Any, Any, Any], actor: Actor, runtime: Runtime, district: str, estate: str
    ) -> Template:
        info = await get_district(district)
        require_manager(actor, info)
        profile = runtime.jurisdictions.get(info.jurisdiction_code)
        found = await get_estate(info, estate)
        parts = buildings(u.unit_code for u in await load_units(found["id"]))
        return await district_page(
            request,
            actor,
            info,
            "voting/meeting_new.html",
            estate=found,
            # the register's buildings, offered as a motion's scope (a motion of a part of the estate)
            buildings=[{"prefix": p, "label": prefix_label(p), "units": n} for p, n in parts],
            matters=MATTER_TITLES,
            notice_days=profile.deadline("voting.notice").days,
            delivery_days=profile.deadline("voting.delivery").days,
        )

    @get(
        "/meetings/{meeting:str}/console",
        operation_id="VotingMeetingPage",
        opt=READ,
    )
    async def meeting_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        runtime: Runtime,
        district: str,
        meeting: str,
        building: str | None = None,
        done: str = "",
    ) -> Template:
        info = await get_district(district)
        return await meeting_view(
            request, actor, runtime, info, meeting, building=building_param(building), done=done
        )


def building_param(value: str | None) -> str | None:
    """A building as the forms send it: ``""`` or none is every building, ``"~"`` the units whose code
    names no building."""
    if value is None or not value.strip():
        return None
    return "" if value.strip() == "~" else value.strip()


async def meeting_view(
    request: Request[Any, Any, Any],
    actor: Actor,
    runtime: Runtime,
    info: DistrictInfo,
    meeting: str,
    *,
    building: str | None = None,
    done: str = "",
    confirmation: Confirmation | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    """The meeting's console page; a form's handler shows it again with its confirmation panel, or
    with the error beside the form (``errors[form]``) and what was typed (``values``)."""
    row = await get_meeting(meeting, info)
    publication = await publication_status(runtime, row)
    manages = actor.can_manage_district(info.id)
    profile = runtime.jurisdictions.get(row["jurisdiction_code"])
    # the timetable as the district's people read it: dates in words, the deadline in local time
    times = {
        day: people_date(row[day])
        for day in ("notice_date", "delivery_deadline", "meeting_date", "count_date")
    } | {"voting_closes": people_time(row["voting_closes"], profile)}
    show_deliveries = manages and row["status"] == "published"
    buildings = await buildings_of(row) if show_deliveries else []
    if building is not None and building not in {b["building"] for b in buildings}:
        building = None
    undelivered = await undelivered_sheets(row, building) if show_deliveries else []
    draft = await draft_file(info, meeting) if manages and row["status"] == "draft" else None
    return await district_page(
        request,
        actor,
        info,
        "voting/meeting.html",
        status_code=status,
        meeting=await meeting_summary(meeting),
        times=times,
        row=row,
        status_label=label(f"status.{row['status']}"),
        profile_name=profile.name,
        matters=MATTER_TITLES,
        warnings=await warnings_for(runtime, row),
        delivery=await delivery_status(row),
        paper=await paper_overview(runtime, row),
        scrutineer_keys=[
            {
                "name": k["name"],
                "fingerprint": key_fingerprint(k["public_key"]),
                "registered": people_time(k["registered_at"], profile),
            }
            for k in await scrutineer_keys(row["id"])
        ],
        proxies=await list_proxies(runtime, info, meeting) if manages and row["status"] != "draft" else [],
        transfers=await list_transfers(info, meeting) if manages and row["status"] != "draft" else [],
        publication=publication,
        phase=await phase_status(runtime, row) if publication else None,
        tally=await tally_of(meeting) if publication else None,
        # while voting is open: who has taken part so far against the quorum (never the choices)
        turnout={"turnout": await turnout(row), "meeting": meeting} if row["status"] == "open" else None,
        can_manage=manages,
        # what the estate roles may do here (the routes admit the same: docs/security.md)
        can_read_documents=reaches(actor, info, DOCUMENTS, row["estate"]),
        can_count=reaches(actor, info, COUNT, row["estate"]),
        board_head=await board_head(runtime, row) if row["status"] in ("open", "closed") else None,
        words=WORDS,
        buildings=buildings,
        building=building,
        undelivered=undelivered,
        undelivered_words=UNDELIVERED_WORDS,
        draft=draft,
        kinds=KIND_TITLES,
        done=DONE_WORDS.get(done, ""),
        confirmation=confirmation,
        errors=errors or {},
        values=values or {},
        today=(await district_today(info, profile)).isoformat(),
        edit_limit=EXPORT_WORDS["file_limit"].format(mb=megabytes(MEETING_FILE_BYTES)),
    )
