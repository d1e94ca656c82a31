"""The public verification page ``/verify/{meeting}``: the result, the seal, the bundle, and a check
that an owner's receipt is genuine and that their ballot is in the sealed record (with its Merkle path).
No login: everything shown here is in the published bundle."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from litestar import Controller, Response, get, post
from litestar.response import Template

from core import (
    ZIP,
    BadRequest,
    NotFound,
    Runtime,
    body_error_handlers,
    district_by_id,
    download,
    people_time,
    register_cache,
    rehearsal_banner,
    short_code,
    verify_signature,
)
from plugins.voting.messages import RECEIPT_WORDS as W
from plugins.voting.messages import label
from plugins.voting.protocol.ballot import (
    RECEIPT_DOMAIN,
    receipt_from_fragment,
    receipt_link,
    receipt_message,
)
from plugins.voting.protocol.credentials import qr_png
from plugins.voting.protocol.heads import head_message
from plugins.voting.protocol.record import ballot_leaves, merkle_path, seal_statement
from plugins.voting.protocol.scope import scope_label
from plugins.voting.protocol.tally import compute_tally
from plugins.voting.schemas import ReceiptIn
from plugins.voting.services.announcement import motion_rows
from plugins.voting.services.heads import latest_head, snapshot_bundle
from plugins.voting.services.keys import meeting_key, published_key
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.seal import export_bundle, record_text, sealed

MAX_RECEIPT_BYTES = 16 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_index: dict[str, dict[str, Any]] = {}
register_cache(_index.clear)


async def sealed_index(runtime: Runtime, public_id: str) -> dict[str, Any] | None:
    """Per-process index of a sealed meeting (immutable once sealed): leaves, positions, tally."""
    found = _index.get(public_id)
    if found is not None:
        return found
    try:
        row = await sealed(public_id)
    except NotFound:
        return None
    record = json.loads(await record_text(runtime, row))
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
        "rows": [motion_rows(m) for m in tally["motions"]],  # the notice's table, shares with counts
        # a motion of a part of the estate: who decides it, in words
        "scopes": {
            m["motion"]: scope_label(m["scope"]["prefixes"]) for m in tally["motions"] if "scope" in m
        },
        "meeting_key": record["meeting"]["meeting_key"],
        "counts": seal_statement(record, json.loads(row["statement"])["sections"])["counts"],
    }
    if len(_index) > 50:
        _index.clear()
    _index[public_id] = found
    return found


async def _meeting_public_key(runtime: Runtime, public_id: str) -> str:
    """The meeting's public key (hex); 404 for a meeting that has none (never published)."""
    meeting = await get_meeting(public_id)
    try:
        _, public_key = await meeting_key(runtime, meeting["id"])
    except LookupError:
        raise NotFound("voting_meeting_not_found") from None
    return public_key


def _receipt_signature_valid(public_id: str, public_key: str, receipt: Any, signature: Any) -> bool:
    if not isinstance(receipt, dict) or not isinstance(signature, str):
        return False
    if receipt.get("protocol") != RECEIPT_DOMAIN or receipt.get("meeting") != public_id:
        return False
    try:
        message = receipt_message(public_id, receipt)
        return verify_signature(bytes.fromhex(public_key), bytes.fromhex(signature), message)
    except (ValueError, TypeError):
        return False


async def receipt_qr(runtime: Runtime, public_id: str, body: Any) -> bytes:
    """The QR code of a genuine receipt's link to this page (§7.1), for the owner's receipt image
    (the link starts with this server's base URL, from the settings)."""
    public_key = await _meeting_public_key(runtime, public_id)
    receipt = body.get("receipt") if isinstance(body, dict) else None
    signature = body.get("signature") if isinstance(body, dict) else None
    if not _receipt_signature_valid(public_id, public_key, receipt, signature):
        raise BadRequest("voting_receipt_invalid")
    # only this server's own receipts carry a valid signature, so every field is as receipt_link wants it
    return qr_png(receipt_link(runtime.settings.base_url, public_id, receipt, signature), scale=4)


async def check_receipt(runtime: Runtime, public_id: str, body: Any) -> dict[str, Any]:
    """Whether a pasted receipt is signed by this meeting's key, and whether its ballot is sealed in."""
    public_key = await _meeting_public_key(runtime, public_id)
    if isinstance(body, dict) and set(body) == {"link"} and isinstance(body["link"], str):
        try:
            body = receipt_from_fragment(public_id, body["link"].rpartition("#")[2])
        except ValueError:
            raise BadRequest("voting_receipt_invalid") from None
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
        result["signature_valid"] = _receipt_signature_valid(public_id, public_key, receipt, signature)
        result["received_at"] = receipt.get("received_at")
        if result["signature_valid"]:  # the time as the district's people read it (a signed field)
            result["received_at_local"] = await _people_moment(runtime, public_id, result["received_at"])
        result["receipt"] = {"receipt": receipt, "signature": signature}
    index = await sealed_index(runtime, public_id)
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


#: A body that is not a receipt, a link or a hash (not JSON, not an object, a field of the wrong
#: type) is no receipt.
RECEIPT_BODY = body_error_handlers(lambda _: BadRequest("voting_receipt_invalid"))


async def _people_moment(runtime: Runtime, public_id: str, stamp: Any) -> str:
    """An ISO 8601 moment of the meeting as its district's people read it (empty if unreadable)."""
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return ""
    meeting = await get_meeting(public_id)
    return people_time(moment, runtime.jurisdictions.get(meeting["jurisdiction_code"]))


async def board_head(runtime: Runtime, meeting: dict[str, Any]) -> dict[str, Any] | None:
    """The latest signed head of the board, as the public page shows it (docs/protocol.md §12)."""
    row = await latest_head(meeting["id"])
    if row is None:
        return None
    head = json.loads(row["head"])
    key = await published_key(meeting["id"])
    root = hashlib.sha256(head_message(meeting["public_id"], head)).hexdigest()
    return {
        "at_local": people_time(row["at"], runtime.jurisdictions.get(meeting["jurisdiction_code"])),
        "ballots": head["counts"]["ballots"],
        "root": root,
        "short": short_code(root),
        "ballots_root": head["sections"]["ballots"],
        "meeting_key": key,
    }


def _verdict(result: dict[str, Any]) -> str:
    parts = []
    if "signature_valid" in result:
        parts.append(W["signature_ok"] if result["signature_valid"] else W["signature_bad"])
    if result.get("received_at_local"):
        parts.append(W["received"].format(time=result["received_at_local"]))
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
    async def page(self, runtime: Runtime, meeting: str) -> Template:
        row = await get_meeting(meeting)
        index = await sealed_index(runtime, meeting)
        key = await published_key(row["id"])
        # the fingerprints the meeting notice prints, for anyone to compare (and to pin: wuye verify)
        pins = {"key": short_code(key), "register": short_code(row["register_digest"])} if key else None
        return Template(
            template_name="voting/verify.html",
            context={
                "pins": pins,
                "board_head": await board_head(runtime, row) if key else None,
                "meeting": row,
                "status_label": label(f"status.{row['status']}"),
                "index": index,
                "tally": index["tally"] if index else None,
                # a training district's meeting (演练): its result page says so first
                "rehearsal": rehearsal_banner(
                    await district_by_id(row["district"]), runtime.jurisdictions.get(row["jurisdiction_code"])
                ),
            },
        )

    @get("/result", operation_id="VotingPublicResult")
    async def result(self, runtime: Runtime, meeting: str) -> dict[str, Any]:
        """The tally recomputed from the sealed record, with the seal root (404 before the seal)."""
        index = await sealed_index(runtime, meeting)
        if index is None:
            await get_meeting(meeting)
            raise NotFound("voting_not_sealed")
        return {"root": index["root"], "meeting_key": index["meeting_key"], **index["tally"]}

    @get("/bundle.zip", operation_id="VotingBundle", media_type=ZIP)
    async def bundle(self, runtime: Runtime, meeting: str) -> Response[bytes]:
        """The sealed record, seal and tally as one zip (check it with ``wuye verify``)."""
        return download(await export_bundle(runtime, meeting), f"wuye-{meeting}.zip", ZIP, private=False)

    @get("/snapshot.zip", operation_id="VotingSnapshot", media_type=ZIP)
    async def snapshot(self, runtime: Runtime, meeting: str) -> Response[bytes]:
        """The board at its latest signed head (the public record as it stood then, the head and its
        signature; no tally): check it with ``wuye verify``, and a later one with ``--since``."""
        content = await snapshot_bundle(runtime, meeting)
        return download(content, f"wuye-{meeting}-snapshot.zip", ZIP, private=False)

    @post(
        "/receipt",
        operation_id="VotingCheckReceipt",
        status_code=200,
        request_max_body_size=MAX_RECEIPT_BYTES,
        exception_handlers=RECEIPT_BODY,
    )
    async def receipt(self, runtime: Runtime, meeting: str, data: ReceiptIn) -> dict[str, Any]:
        """Check a receipt (``{"receipt", "signature", …}`` as the ballot page saves it,
        ``{"link"}`` with the receipt link of its QR code, or ``{"ballot_hash"}``): its signature,
        and its ballot's place in the sealed record."""
        return await check_receipt(runtime, meeting, data.sent())

    @post(
        "/receipt-qr",
        operation_id="VotingReceiptQr",
        status_code=200,
        request_max_body_size=MAX_RECEIPT_BYTES,
        media_type="image/png",
        exception_handlers=RECEIPT_BODY,
    )
    async def receipt_qr(self, runtime: Runtime, meeting: str, data: ReceiptIn) -> Response[bytes]:
        """A PNG QR code linking to this page with the receipt in the fragment (for the saved image;
        scanning it opens this page and checks the receipt)."""
        return Response(
            content=await receipt_qr(runtime, meeting, data.sent()),
            media_type="image/png",
        )
