"""The owners' side, outside the staff console: ``/v/{meeting}`` (no login; the credential is the
owner's proof). Core enforces that voting is switched on in the meeting's district."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.response import Template

from core import (
    BadRequest,
    BodyProblem,
    Runtime,
    WuyeError,
    body_error_handlers,
    district_by_id,
    district_now,
    local_time,
    people_date,
    people_time,
    rehearsal_banner,
)
from plugins.voting.protocol.scope import scope_label
from plugins.voting.schemas import CastIn, SheetProof
from plugins.voting.services.cast import cast, fail, meeting_context
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting, motion_scope
from plugins.voting.services.sheet import sheet_status
from plugins.voting.tables import VotingMotion

MAX_BALLOT_BYTES = 64 * 1024


def cast_body_error(problem: BodyProblem) -> WuyeError:
    """A body that is not JSON at all is ``invalid_json``; JSON of another shape than a signed ballot
    is ``voting_cast_malformed``, as the protocol's own check says (docs/protocol.md)."""
    if problem.kind in {"json", "empty"}:
        return BadRequest("invalid_json")
    return fail("voting_cast_malformed")


async def district_of_meeting(path_params: dict[str, Any]) -> str:
    return (await meeting_context(str(path_params["meeting"]))).district_slug


def voting_phase(status: str, closes: datetime, now: datetime | None = None) -> str:
    """Where an owner stands: ``not_open`` (draft or published), ``open``, ``closed`` (closed, sealed,
    or past the deadline though not yet closed by staff)."""
    if status in {"closed", "sealed"} or (now or datetime.now(UTC)) >= closes:
        return "closed"
    return "open" if status == "open" else "not_open"


async def public_info(runtime: Runtime, public_id: str) -> dict[str, Any]:
    meeting = await get_meeting(public_id)
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    try:
        _, public_key = await meeting_key(runtime, meeting["id"])
    except LookupError:
        public_key = ""
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    closes = meeting["voting_closes"]
    district = await district_by_id(meeting["district"])
    now = await district_now(district)
    return {
        "protocol": "wuye-ballot-v1",
        "meeting": public_id,
        "title": meeting["title"],
        "status": meeting["status"],
        "phase": voting_phase(meeting["status"], closes, now),
        "meeting_date": meeting["meeting_date"].isoformat(),
        "voting_closes": local_time(closes, profile).isoformat(),
        # for people: the district's local time, in words
        "meeting_date_local": people_date(meeting["meeting_date"]),
        "voting_closes_local": people_time(closes, profile),
        "timezone": profile.timezone,
        # the district's clock: the page dates the owner's sheet proof by it, not by the phone's
        "now": now.isoformat(),
        # a training district's meeting (演练): the page says so, and no vote here counts
        "rehearsal": rehearsal_banner(district, profile),
        "register_digest": meeting["register_digest"],
        "meeting_key": public_key,
        "motions": [
            {
                "position": m["position"],
                "title": m["title"],
                "description": m["description"],
                "kind": m["kind"],
                "seats": m["seats"],
                "candidates": json.loads(m["candidates"])
                if isinstance(m["candidates"], str)
                else m["candidates"],
            }
            # a motion of a part of the estate: its unit-code prefixes and, for people, their words
            | (
                {"scope": motion_scope(m), "scope_label": scope_label(motion_scope(m))}
                if motion_scope(m)
                else {}
            )
            for m in motions
        ],
    }


class BallotController(Controller):
    """The ballot page and the cast API of one meeting."""

    @get("/", operation_id="VotingBallotPage", include_in_schema=False)
    async def page(self, runtime: Runtime, meeting: str) -> Template:
        return Template(
            template_name="voting/ballot_page.html", context={"info": await public_info(runtime, meeting)}
        )

    @get("/info", operation_id="VotingPublicInfo")
    async def info(self, runtime: Runtime, meeting: str) -> dict[str, Any]:
        """What a client needs to build a ballot: motions, candidates, register digest, meeting key."""
        return await public_info(runtime, meeting)

    @post("/sheet", operation_id="VotingSheetStatus", status_code=200, request_max_body_size=4096)
    async def sheet(self, runtime: Runtime, meeting: str, data: SheetProof) -> dict[str, Any]:
        """The state of the sheet whose key signed the request: its units and area, whether it was
        revoked or reissued, and the online ballot it cast (when, the choices, the receipt again)."""
        return await sheet_status(runtime, meeting, msgspec.structs.asdict(data))

    @post(
        "/ballots",
        operation_id="VotingCastBallot",
        status_code=201,
        request_max_body_size=MAX_BALLOT_BYTES,
        exception_handlers=body_error_handlers(cast_body_error),
    )
    async def cast_ballot(self, runtime: Runtime, meeting: str, data: CastIn) -> dict[str, Any]:
        """Cast a signed ballot (docs/protocol.md); the response is the receipt signed by the meeting key."""
        return await cast(runtime, meeting, {"ballot": data.ballot, "signature": data.signature})
