"""The owners' side, outside the staff console: ``/v/{meeting}`` (no login; the credential is the
owner's proof). Core enforces that voting is switched on in the meeting's district."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, get, post
from litestar.response import Template

from core import BadRequest, BodyProblem, NotFound, Runtime, WuyeError, body_error_handlers
from plugins.voting.schemas import CastIn
from plugins.voting.services.cast import cast, fail, meeting_context
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting
from plugins.voting.tables import VotingCredential, VotingMotion, VotingVoter

MAX_BALLOT_BYTES = 64 * 1024


def cast_body_error(problem: BodyProblem) -> WuyeError:
    """A body that is not JSON at all is ``invalid_json``; JSON of another shape than a signed ballot
    is ``voting_cast_malformed``, as the protocol's own check says (docs/protocol.md)."""
    if problem.kind in {"json", "empty"}:
        return BadRequest("invalid_json")
    return fail("voting_cast_malformed")


async def district_of_meeting(path_params: dict[str, Any]) -> str:
    return (await meeting_context(str(path_params["meeting"]))).district_slug


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
    return {
        "protocol": "wuye-ballot-v1",
        "meeting": public_id,
        "title": meeting["title"],
        "status": meeting["status"],
        "meeting_date": meeting["meeting_date"].isoformat(),
        "voting_closes": meeting["voting_closes"].isoformat(),
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

    @get("/voters/{voter_key:str}", operation_id="VotingVoterByKey")
    async def voter(self, meeting: str, voter_key: str) -> dict[str, Any]:
        """The units and area behind a credential's public key (shown to the owner before voting)."""
        row = await get_meeting(meeting)
        credential = (
            await VotingCredential.select()
            .where(
                (VotingCredential.meeting == row["id"]) & (VotingCredential.public_key == voter_key.lower())
            )
            .first()
        )
        if credential is None:
            raise NotFound("voting_cast_unknown_key")
        voter = (
            await VotingVoter.select()
            .where((VotingVoter.meeting == row["id"]) & (VotingVoter.voter_no == credential["voter_no"]))
            .first()
        )
        units = voter["unit_codes"]
        return {
            "serial": voter["serial"],
            "units": json.loads(units) if isinstance(units, str) else units,
            "area_centi": voter["area_centi"],
            "revoked": credential["revoked_at"] is not None,
        }

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
