"""Printing the per-owner ballot sheets: credentials, QR codes, one docx page per voter.

The secrets exist only in memory and in the output the office asked for: the database gets the
public keys. Nothing is written out until the public keys (and the revocation of any previous
credential of a reprinted voter) are committed, with an audit entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import anyio.to_thread

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    NotFound,
    Runtime,
    batch_field,
    bulk_insert,
    district_now,
    json_value,
    record_audit,
    render_repeated,
    resolve_template,
    transaction,
)
from plugins.voting.messages import SCOPE_WORDS
from plugins.voting.protocol.credentials import ballot_url, new_seed, public_key_hex, qr_pngs, seed_to_code
from plugins.voting.protocol.rules import format_area, sheet_serial
from plugins.voting.protocol.scope import in_scope, scope_label
from plugins.voting.services.meetings import get_meeting, motion_scope
from plugins.voting.tables import VotingCredential, VotingMotion, VotingVoter

Progress = Callable[[str, int, int], None]
QR_CHUNK = 250


@dataclass(frozen=True)
class IssuedCredential:
    voter_no: int
    serial: str
    name: str
    units: str
    url: str  #: holds the secret in its fragment
    code: str  #: the secret, typed form
    version: int


@dataclass(frozen=True)
class ProxySheet:
    """A sheet printed in place of a voter's own (services/proxies.py: for a proxy; services/transfers.py:
    for a flat's new owner): whose it is and what it may answer; ``store`` writes the authorisation or
    the transfer inside the printing's transaction (so both or neither are committed)."""

    voter_no: int
    holder: str  #: the name line of the sheet
    motions: frozenset[int]  #: the authorised positions: the others print a dash
    revoked_reason: str
    #: version issued → the authorisation's number (None: a sheet that is no proxy's, e.g. a new owner's)
    store: Callable[[int], Awaitable[int | None]]
    audit: str = "voting.proxy_sheet"  #: the audit action of the printing


@dataclass(frozen=True)
class PrintResult:
    docx: bytes
    issued: list[IssuedCredential]
    revoked: int


def make_qr_codes(urls: list[str], progress: Progress | None = None, workers: int = 2) -> list[bytes]:
    """QR PNGs for ``urls``, on ``workers`` processes (both cores of the office's machine)."""
    chunks = [urls[i : i + QR_CHUNK] for i in range(0, len(urls), QR_CHUNK)]
    images: list[bytes] = []
    if len(chunks) <= 1 or workers <= 1:
        for chunk in chunks:
            images.extend(qr_pngs(chunk))
            if progress:
                progress("qr", len(images), len(urls))
        return images
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(qr_pngs, chunks):
            images.extend(result)
            if progress:
                progress("qr", len(images), len(urls))
    return images


BOX = "□"
NOT_ASKED = "—"  #: where a sheet's owner has no unit under a motion's scope


def _sheet_motion(motion: dict[str, Any], every_sheet_own: bool = False) -> dict[str, Any]:
    """A motion as the sheets print it: its title (with the part of the estate that decides it) and
    its boxes — the same on every sheet, or, for a motion of a part, each sheet's own (a batch field)."""
    prefixes = motion_scope(motion)
    title = motion["title"] + (SCOPE_WORDS["notice"].format(label=scope_label(prefixes)) if prefixes else "")
    return {
        "position": motion["position"],
        "title": title,
        "box": batch_field(f"box{motion['position']}") if prefixes or every_sheet_own else BOX,
    }


def render_sheets(
    template: Any, context: dict[str, Any], sheets: list[dict[str, str]], pngs: list[bytes]
) -> bytes:
    return render_repeated(template.open(), context, sheets, image_field="qr", images=pngs, image_width_mm=36)


async def print_ballots(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    *,
    voter_nos: list[int] | None = None,
    reprint_all: bool = False,
    progress: Progress | None = None,
    workers: int = 2,
    proxy: ProxySheet | None = None,
) -> PrintResult:
    """Issue credentials and render the sheets of every voter (or of ``voter_nos``: a reprint; or the
    sheet of a proxy, which revokes the voter's own)."""
    if proxy is not None:
        voter_nos = [proxy.voter_no]
    meeting = await get_meeting(public_id, district)
    if meeting["status"] not in {"published", "open"}:
        raise BadRequest("voting_ballots_not_published", status=meeting["status"])
    voters = (
        await VotingVoter.select().where(VotingVoter.meeting == meeting["id"]).order_by(VotingVoter.voter_no)
    )
    active = await VotingCredential.select(VotingCredential.voter_no, VotingCredential.version).where(
        (VotingCredential.meeting == meeting["id"]) & VotingCredential.revoked_at.is_null()
    )
    versions = await VotingCredential.select(VotingCredential.voter_no, VotingCredential.version).where(
        VotingCredential.meeting == meeting["id"]
    )
    last_version: dict[int, int] = {}
    for row in versions:
        last_version[row["voter_no"]] = max(row["version"], last_version.get(row["voter_no"], 0))
    if voter_nos:
        wanted = set(voter_nos)
        known = {v["voter_no"] for v in voters}
        missing = sorted(wanted - known)
        if missing:
            raise NotFound("voting_voter_not_found", voter=", ".join(map(str, missing)))
        voters = [v for v in voters if v["voter_no"] in wanted]
    elif active and not reprint_all:
        raise Conflict("voting_ballots_exist")
    to_revoke = [row["voter_no"] for row in active if row["voter_no"] in {v["voter_no"] for v in voters}]

    issued: list[IssuedCredential] = []
    keys: list[str] = []
    base = runtime.settings.base_url
    for voter in voters:
        seed = new_seed()
        units = json_value(voter["unit_codes"])
        version = last_version.get(voter["voter_no"], 0) + 1
        issued.append(
            IssuedCredential(
                voter_no=voter["voter_no"],
                serial=sheet_serial(voter["serial"], version),
                name=proxy.holder if proxy else voter["name"],
                units="、".join(units),
                url=ballot_url(base, public_id, seed),
                code=seed_to_code(seed),
                version=version,
            )
        )
        keys.append(public_key_hex(seed))
        del seed
    if progress:
        progress("keys", len(issued), len(issued))

    pngs = await anyio.to_thread.run_sync(lambda: make_qr_codes([c.url for c in issued], progress, workers))
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    closes = meeting["voting_closes"].astimezone(ZoneInfo(profile.timezone))
    context = {
        "meeting_title": meeting["title"],
        "issuer": f"{district.name}",
        "vote_url": f"{base}/v/{public_id}",
        "verify_url": f"{base}/verify/{public_id}",
        "closes": closes.strftime("%Y年%m月%d日 %H:%M"),
        "resolutions": [_sheet_motion(m, bool(proxy)) for m in motions if m["kind"] == "resolution"],
        "elections": [
            _sheet_motion(m, bool(proxy)) | {"seats": m["seats"], "candidates": json_value(m["candidates"])}
            for m in motions
            if m["kind"] == "election"
        ],
    }
    area_of = {v["voter_no"]: v["area_centi"] for v in voters}
    units_of = {v["voter_no"]: json_value(v["unit_codes"]) for v in voters}
    scoped = {m["position"]: motion_scope(m) for m in motions if motion_scope(m)}
    sheets = [
        {
            "serial": c.serial,
            "name": c.name,
            "units": c.units,
            "area": format_area(area_of[c.voter_no]),
            "code": c.code,
        }
        # a motion of a part of the estate: boxes on the sheets of its owners, a dash on the others'
        | {
            f"box{p}": BOX if any(in_scope(u, prefixes) for u in units_of[c.voter_no]) else NOT_ASKED
            for p, prefixes in scoped.items()
        }
        # a proxy's sheet: boxes only for the motions the authorisation names
        | (
            {f"box{m['position']}": NOT_ASKED for m in motions if m["position"] not in proxy.motions}
            | {f"box{p}": BOX for p in proxy.motions if p not in scoped}
            if proxy
            else {}
        )
        for c in issued
    ]
    template = await resolve_template(
        "voting/ballot.docx", pm=runtime.pm, district=district, jurisdiction=profile
    )
    if progress:
        progress("document", 0, len(issued))
    docx = await anyio.to_thread.run_sync(render_sheets, template, context, sheets, pngs)
    if progress:
        progress("document", len(issued), len(issued))

    now = await district_now(district)
    async with transaction(VotingCredential._meta.db):
        number = await proxy.store(issued[0].version) if proxy else None
        if to_revoke:
            await VotingCredential.update(
                {
                    VotingCredential.revoked_at: now,
                    VotingCredential.revoked_reason: proxy.revoked_reason if proxy else "重新印制表决票",
                    VotingCredential.revoked_by: actor,
                }
            ).where(
                (VotingCredential.meeting == meeting["id"])
                & VotingCredential.voter_no.is_in(to_revoke)
                & VotingCredential.revoked_at.is_null()
            )
        await bulk_insert(
            VotingCredential,
            [
                {
                    "meeting": meeting["id"],
                    "voter_no": c.voter_no,
                    "version": c.version,
                    "public_key": key,
                    "issued_at": now,
                    "issued_by": actor,
                    "revoked_at": None,
                    "revoked_reason": "",
                    "proxy": number,
                }
                for c, key in zip(issued, keys, strict=True)
            ],
        )
        await record_audit(
            actor,
            proxy.audit if proxy else "voting.ballots_reprint" if to_revoke else "voting.ballots_print",
            district=district.slug,
            target=public_id,
            details={
                "issued": len(issued),
                "revoked_voters": sorted(to_revoke),
                "voters": [c.voter_no for c in issued] if voter_nos else "all",
            }
            | ({"authorisation": number} if number is not None else {}),
        )
    return PrintResult(docx=docx, issued=issued, revoked=len(to_revoke))
