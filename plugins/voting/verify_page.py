"""The public verification page ``/verify/{meeting}``: the result, the seal, the bundle, and a check
that an owner's receipt is genuine and that their ballot is in the sealed record (with its Merkle path).
No login: everything shown here is in the published bundle."""

from __future__ import annotations

import json
import re
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template

from core.districts import register_cache
from core.errors import BadRequest, NotFound
from core.signing import verify
from plugins.voting import messages  # noqa: F401
from plugins.voting.keys import meeting_key
from plugins.voting.meetings import get_meeting
from plugins.voting.messages import label
from plugins.voting.protocol import RECEIPT_DOMAIN, receipt_message
from plugins.voting.record import ballot_leaves, merkle_path, seal_statement
from plugins.voting.seal import export_bundle, record_text, sealed
from plugins.voting.tally import compute_tally

MAX_RECEIPT_BYTES = 16 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_index: dict[str, dict[str, Any]] = {}
register_cache(_index.clear)


async def sealed_index(public_id: str) -> dict[str, Any] | None:
    """Per-process index of a sealed meeting (immutable once sealed): leaves, positions, tally."""
    found = _index.get(public_id)
    if found is not None:
        return found
    try:
        row = await sealed(public_id)
    except NotFound:
        return None
    record = json.loads(await record_text(row))
    leaves = ballot_leaves(record)
    tally = compute_tally(record)
    set_aside = {(n["voter_no"], n["set_aside"]) for n in tally["set_aside"]}
    found = {
        "root": row["root"],
        "statement": json.loads(row["statement"]),
        "leaves": leaves,
        "position": {b["ballot_hash"]: i for i, b in enumerate(record["ballots"])},
        "voters": [b["voter_no"] for b in record["ballots"]],
        "set_aside": set_aside,
        "tally": tally,
        "meeting_key": record["meeting"]["meeting_key"],
        "counts": seal_statement(record, json.loads(row["statement"])["sections"])["counts"],
    }
    if len(_index) > 50:
        _index.clear()
    _index[public_id] = found
    return found


async def check_receipt(public_id: str, body: Any) -> dict[str, Any]:
    """Whether a pasted receipt is signed by this meeting's key, and whether its ballot is sealed in."""
    meeting = await get_meeting(public_id)
    try:
        _, public_key = await meeting_key(meeting["id"])
    except LookupError:
        raise NotFound("voting_meeting_not_found") from None
    if isinstance(body, dict) and set(body) == {"ballot_hash"}:
        receipt, signature = None, None
        ballot_hash = str(body["ballot_hash"]).strip().lower()
    elif (
        isinstance(body, dict)
        and isinstance(body.get("receipt"), dict)
        and isinstance(body.get("signature"), str)
    ):
        receipt, signature = body["receipt"], body["signature"]
        ballot_hash = str(receipt.get("ballot_hash", ""))
    else:
        raise BadRequest("voting_receipt_invalid")
    if not _HEX64.match(ballot_hash):
        raise BadRequest("voting_receipt_invalid")
    result: dict[str, Any] = {"meeting": public_id, "ballot_hash": ballot_hash, "meeting_key": public_key}
    if receipt is not None:
        well_formed = receipt.get("protocol") == RECEIPT_DOMAIN and receipt.get("meeting") == public_id
        try:
            valid = well_formed and verify(
                bytes.fromhex(public_key), bytes.fromhex(signature), receipt_message(public_id, receipt)
            )
        except (ValueError, TypeError):
            valid = False
        result["signature_valid"] = bool(valid)
        result["received_at"] = receipt.get("received_at")
    index = await sealed_index(public_id)
    result["sealed"] = index is not None
    if index is None:
        result["message"] = _verdict(result)
        return result
    position = index["position"].get(ballot_hash)
    result["included"] = position is not None
    result["root"] = index["root"]
    result["ballots_root"] = index["statement"]["sections"]["ballots"]
    if position is not None:
        voter_no = index["voters"][position]
        result["leaf_index"] = position
        result["leaf"] = index["leaves"][position].hex()
        result["path"] = merkle_path(index["leaves"], position)
        result["counted"] = (voter_no, "online") not in index["set_aside"]
    result["message"] = _verdict(result)
    return result


def _verdict(result: dict[str, Any]) -> str:
    from plugins.voting.messages import RECEIPT_WORDS as W

    parts = []
    if "signature_valid" in result:
        parts.append(W["signature_ok"] if result["signature_valid"] else W["signature_bad"])
    if not result["sealed"]:
        parts.append(W["not_sealed"])
    elif result.get("included"):
        parts.append(W["included"] if result.get("counted", True) else W["included_not_counted"])
    else:
        parts.append(W["not_included"])
    return "".join(parts)


class VerifyController(Controller):
    """Public result and verification of one meeting."""

    @get("/", operation_id="VotingVerifyPage", include_in_schema=False)
    async def page(self, meeting: str) -> Template:
        row = await get_meeting(meeting)
        index = await sealed_index(meeting)
        return Template(
            template_name="voting/verify.html",
            context={
                "meeting": row,
                "status_label": label(f"status.{row['status']}"),
                "index": index,
                "tally": index["tally"] if index else None,
            },
        )

    @get("/result", operation_id="VotingPublicResult")
    async def result(self, meeting: str) -> dict[str, Any]:
        """The tally recomputed from the sealed record, with the seal root (404 before the seal)."""
        index = await sealed_index(meeting)
        if index is None:
            await get_meeting(meeting)
            raise NotFound("voting_not_sealed")
        return {"root": index["root"], "meeting_key": index["meeting_key"], **index["tally"]}

    @get("/bundle.zip", operation_id="VotingBundle")
    async def bundle(self, meeting: str) -> Response[bytes]:
        """The sealed record, seal and tally as one zip (check it with ``wuye verify``)."""
        content = await export_bundle(meeting)
        return Response(
            content=content,
            media_type="application/zip",
            headers={"content-disposition": f'attachment; filename="wuye-{meeting}.zip"'},
        )

    @post(
        "/receipt",
        operation_id="VotingCheckReceipt",
        status_code=200,
        request_max_body_size=MAX_RECEIPT_BYTES,
    )
    async def receipt(self, request: Request[Any, Any, Any], meeting: str) -> dict[str, Any]:
        """Check a receipt (``{"receipt", "signature", …}`` as the ballot page saves it, or
        ``{"ballot_hash"}``): its signature, and its ballot's place in the sealed record."""
        import msgspec

        try:
            body = msgspec.json.decode(await request.body())
        except msgspec.DecodeError:
            raise BadRequest("voting_receipt_invalid") from None
        return await check_receipt(meeting, body)
