"""Proxies (委托投票): a written authorisation recorded for a voter, and the sheet issued to the proxy.

Recording an authorisation (who, for which motions, with which instructions, the scan of the signed
paper) revokes the voter's own sheet and prints one for the proxy, in one transaction: the proxy then
votes online with that sheet's key, or hands it in at the count. The profile's cap on owners per proxy
(``rules.voting.proxy_cap``) is checked here and by the verifier from the record; the instructions, when
given (Shanghai requires them: ``proxy_must_follow_instructions``), bind the proxy's ballot
(protocol/proxy.py). docs/protocol.md §8.1.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import rfc8785
from piccolo.engine.postgres import PostgresEngine

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    NotFound,
    Runtime,
    district_now,
    json_value,
    people_time,
)
from plugins.voting.messages import PROXY_WORDS, label
from plugins.voting.protocol.ballot import BallotError, check_choices
from plugins.voting.protocol.rules import sheet_serial
from plugins.voting.services.ballots import PrintResult, ProxySheet, print_ballots
from plugins.voting.services.cast import motion_specs
from plugins.voting.services.meetings import get_meeting, snapshot_rule
from plugins.voting.services.paper import parse_choices
from plugins.voting.services.revocation import voter_by_serial
from plugins.voting.tables import VotingBallot, VotingMeeting, VotingMotion, VotingProxy, VotingVoter

ID_RE = re.compile(r"^[0-9A-Za-z]{6,18}$")
#: what a scan may be, by its first bytes
SCAN_TYPES = {b"%PDF": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}
OPTION_WORDS = {"agree": "同意", "oppose": "反对", "abstain": "弃权"}


MAX_SCAN_BYTES = 8 * 1024 * 1024  #: the scan of a signed authorisation (a phone photo or a PDF)


@dataclass(frozen=True)
class Authorisation:
    """What the clerk records from the signed authorisation."""

    serial: str  #: the principal's sheet serial (as printed on their sheet)
    proxy_name: str
    proxy_id: str  #: the proxy's ID number: only its digest and last four characters are kept
    motions: list[int]  #: authorised positions; empty: every motion the voter answers
    instructions: dict[int, str]  #: the owner's answer per motion as written (同意 / 反对 / 弃权 / names)
    scan: bytes
    scan_name: str


def scan_type(content: bytes) -> str:
    for magic, kind in SCAN_TYPES.items():
        if content.startswith(magic):
            return kind
    raise BadRequest("voting_proxy_scan_type")


def id_digest(public_id: str, proxy_id: str) -> str:
    """The proxy's ID number as kept: a digest within the meeting (the same person, the same digest)."""
    return hashlib.sha256(f"wuye-proxy-v1\x00{public_id}\x00{proxy_id.upper()}".encode()).hexdigest()


def _instruction_words(instructions: list[dict[str, Any]], candidates: dict[int, dict[str, str]]) -> str:
    parts = []
    for item in instructions:
        if "choice" in item:
            answer = OPTION_WORDS.get(item["choice"], item["choice"])
        else:
            names = [candidates.get(item["motion"], {}).get(c, c) for c in item.get("candidates") or []]
            answer = "、".join(names) or "不选"
        parts.append(f"第{item['motion']}项{answer}")
    return "；".join(parts)


async def record_proxy(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str, data: Authorisation
) -> tuple[dict[str, Any], PrintResult]:
    """Record the authorisation and print the proxy's sheet (the only copy of its secret)."""
    meeting = await get_meeting(public_id, district)
    if meeting["status"] not in {"published", "open"}:
        raise Conflict("voting_proxy_status", status=label(f"status.{meeting['status']}"))
    if meeting["status"] == "open" and (await district_now(district)) >= meeting["voting_closes"]:
        raise Conflict("voting_proxy_closed")
    name = data.proxy_name.strip()
    if not name or len(name) > 100:
        raise BadRequest("voting_proxy_no_name")
    proxy_id = re.sub(r"\s", "", data.proxy_id)
    if not ID_RE.match(proxy_id):
        raise BadRequest("voting_proxy_bad_id")
    if not data.scan:
        raise BadRequest("voting_proxy_no_scan")
    kind = scan_type(data.scan)
    voter = await voter_by_serial(meeting["id"], data.serial)
    if name == voter["name"].strip():
        raise BadRequest("voting_proxy_self")
    specs = {m.position: m for m in await motion_specs(meeting["id"])}
    motions = sorted(set(data.motions)) if data.motions else sorted(specs)
    for position in motions:
        if position not in specs:
            raise BadRequest("voting_proxy_unknown_motion", motion=position)
    rows = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    instructions = _check_instructions(data.instructions, motions, specs, rows)
    binding, source = snapshot_rule(runtime, meeting, "proxy_must_follow_instructions", False)
    if binding:
        missing = [p for p in motions if p not in {i["motion"] for i in instructions}]
        if missing:
            raise BadRequest("voting_proxy_instructions_required", motion=missing[0], source=_law(source))
    cap, cap_source = snapshot_rule(runtime, meeting, "proxy_cap", None)
    digest = id_digest(public_id, proxy_id)
    candidates = {r["position"]: {c["id"]: c["name"] for c in json_value(r["candidates"])} for r in rows}
    holder = PROXY_WORDS["holder"].format(principal=voter["name"], proxy=name)
    if instructions:
        holder += "　" + PROXY_WORDS["instructed"].format(answer=_instruction_words(instructions, candidates))
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    now = await district_now(district)
    stored: dict[str, Any] = {}

    async def store(version: int) -> int:
        """Inside the printing's transaction: the checks that race with casts and other clerks."""
        engine = VotingProxy._meta.db
        if isinstance(engine, PostgresEngine):  # as revocation does: no cast slips past "has voted?"
            await VotingMeeting.raw("SELECT id FROM voting_meeting WHERE id = {} FOR UPDATE", meeting["id"])
        existing = await VotingProxy.select(
            VotingProxy.number,
            VotingProxy.voter_no,
            VotingProxy.proxy_no,
            VotingProxy.proxy_name,
            VotingProxy.proxy_id_digest,
        ).where(VotingProxy.meeting == meeting["id"])
        for row in existing:
            if row["voter_no"] == voter["voter_no"]:
                raise Conflict("voting_proxy_exists", name=row["proxy_name"], number=row["number"])
        voted = (
            await VotingBallot.select(VotingBallot.received_at)
            .where((VotingBallot.meeting == meeting["id"]) & (VotingBallot.voter_no == voter["voter_no"]))
            .first()
        )
        if voted:
            raise Conflict("voting_proxy_voted", at=people_time(voted["received_at"], profile, seconds=True))
        same = [r for r in existing if r["proxy_id_digest"] == digest]
        if cap is not None and len({r["voter_no"] for r in same}) >= int(cap):
            raise Conflict("voting_proxy_cap", name=name, count=len(same), cap=cap, source=_law(cap_source))
        number = max((r["number"] for r in existing), default=0) + 1
        proxy_no = same[0]["proxy_no"] if same else max((r["proxy_no"] for r in existing), default=0) + 1
        row = {
            "meeting": meeting["id"],
            "number": number,
            "voter_no": voter["voter_no"],
            "proxy_no": proxy_no,
            "proxy_name": name,
            "proxy_id_digest": digest,
            "proxy_id_tail": proxy_id[-4:],
            "motions": rfc8785.dumps(motions).decode(),
            "instructions": rfc8785.dumps(instructions).decode() if instructions else "",
            "version": version,
            "scan": data.scan,
            "scan_name": (data.scan_name or "授权委托书")[:200],
            "scan_type": kind,
            "scan_sha256": hashlib.sha256(data.scan).hexdigest(),
            "recorded_by": actor,
            "recorded_at": now,
        }
        try:
            await VotingProxy.insert(VotingProxy(**row))
        except Exception as exc:  # another clerk recorded one for this voter at the same moment
            raise Conflict("voting_proxy_concurrent") from exc
        stored.update(row)
        return number

    result = await print_ballots(
        runtime,
        district,
        public_id,
        actor,
        proxy=ProxySheet(
            voter_no=voter["voter_no"],
            holder=holder,
            motions=frozenset(motions),
            revoked_reason=PROXY_WORDS["revoked"].format(proxy=name),
            store=store,
        ),
    )
    return _summary(stored, voter["serial"], result.issued[0].serial, profile, candidates), result


def _law(source: Any) -> str:
    """The article a refusal names (the rule's source), shortened to its title and article."""
    return str(source or "本地规则")


def _check_instructions(
    written: dict[int, str], motions: list[int], specs: dict[int, Any], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The owner's instructions as protocol choices (read like a paper sheet's marks)."""
    written = {p: v for p, v in written.items() if (v or "").strip()}
    for position in written:
        if position not in motions:
            raise BadRequest("voting_proxy_bad_instruction", motion=position)
    if not written:
        return []
    try:
        choices = parse_choices(written, [r for r in rows if r["position"] in written])
        checked = check_choices(choices, [specs[p] for p in sorted(written)])
    except BallotError as exc:
        raise BadRequest("voting_proxy_bad_instruction", motion=exc.values.get("motion", "?")) from None
    return sorted(checked, key=lambda c: c["motion"])


def parse_positions(text: str) -> list[int]:
    """``1,2`` / ``1、2`` / ``1 2`` → [1, 2]."""
    parts = [p for p in re.split(r"[\s,，、;；]+", text or "") if p]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise BadRequest("voting_proxy_unknown_motion", motion=text.strip()[:20]) from None


def parse_instructions(text: str) -> dict[int, str]:
    """``1=同意；3=赵一、钱二`` (or a JSON object ``{"1": "同意"}``) → {position: answer}."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        if text.startswith("{"):
            return {int(k): str(v) for k, v in json.loads(text).items()}
        found: dict[int, str] = {}
        for part in re.split(r"[;；\n]", text):
            if not part.strip():
                continue
            key, value = re.split(r"\s*[=:：]\s*", part.strip(), maxsplit=1)
            found[int(key)] = value
        return found
    except (ValueError, AttributeError, TypeError):
        raise BadRequest("voting_proxy_bad_instruction", motion="?") from None


def _summary(
    row: dict[str, Any], serial: str, sheet: str, profile: Any, candidates: dict[int, dict[str, str]]
) -> dict[str, Any]:
    instructions = json_value(row["instructions"]) if row["instructions"] else None
    return {
        "number": row["number"],
        "serial": serial,
        "proxy_sheet": sheet,
        "proxy_no": row["proxy_no"],
        "proxy_name": row["proxy_name"],
        "proxy_id_tail": row["proxy_id_tail"],
        "motions": json_value(row["motions"]),
        "instructions": instructions,
        "instruction_words": _instruction_words(instructions, candidates) if instructions else "",
        "scan_sha256": row["scan_sha256"],
        "recorded_by": row["recorded_by"],
        "recorded_at": row["recorded_at"].astimezone(UTC).isoformat(),
        "recorded_at_local": people_time(row["recorded_at"], profile),
    }


async def list_proxies(runtime: Runtime, district: DistrictInfo, public_id: str) -> list[dict[str, Any]]:
    meeting = await get_meeting(public_id, district)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    rows = (
        await VotingProxy.select(*[c for c in VotingProxy._meta.columns if c._meta.name != "scan"])
        .where(VotingProxy.meeting == meeting["id"])
        .order_by(VotingProxy.number)
    )
    serials = {
        v["voter_no"]: v["serial"]
        for v in await VotingVoter.select(VotingVoter.voter_no, VotingVoter.serial).where(
            VotingVoter.meeting == meeting["id"]
        )
    }
    candidates = {
        r["position"]: {c["id"]: c["name"] for c in json_value(r["candidates"])}
        for r in await VotingMotion.select(VotingMotion.position, VotingMotion.candidates).where(
            VotingMotion.meeting == meeting["id"]
        )
    }
    return [
        _summary(
            r,
            serials.get(r["voter_no"], ""),
            sheet_serial(serials.get(r["voter_no"], ""), r["version"]),
            profile,
            candidates,
        )
        for r in rows
    ]


async def proxy_scan(district: DistrictInfo, public_id: str, number: int) -> tuple[bytes, str, str]:
    """The scanned authorisation: its bytes, type and a file name."""
    meeting = await get_meeting(public_id, district)
    if not 0 < number < 2**31:  # no such number (and past what the column holds)
        raise NotFound("voting_proxy_not_found", number=number)
    row = (
        await VotingProxy.select(VotingProxy.scan, VotingProxy.scan_type)
        .where((VotingProxy.meeting == meeting["id"]) & (VotingProxy.number == number))
        .first()
    )
    if row is None:
        raise NotFound("voting_proxy_not_found", number=number)
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(row["scan_type"], "bin")
    return bytes(row["scan"]), row["scan_type"], f"授权委托书-{public_id}-{number}.{ext}"
