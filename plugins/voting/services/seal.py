"""Sealing a meeting: the bulletin board becomes a signed, immutable record, and the tally is computed
from that record only. Export writes the record, the seal and the tally as one zip (docs/protocol.md §9).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import msgspec
from piccolo.engine.postgres import PostgresEngine

from core import (
    Conflict,
    District,
    DistrictInfo,
    Estate,
    NotFound,
    Runtime,
    canonical_json,
    district_now,
    record_audit,
    register_cache,
    transaction,
)
from plugins.voting.messages import (
    BUNDLE_NAMED_NOTE,
    BUNDLE_PRIVATE_NOTE,
    BUNDLE_README,
    BUNDLE_README_V2,
    label,
)
from plugins.voting.protocol.confirmation import sheet_commitment
from plugins.voting.protocol.proxy import authorisation_of
from plugins.voting.protocol.published import (
    PRIVATE_V2,
    publish,
    record_numbers,
    record_secret,
    voter_commitment,
    voter_opening,
)
from plugins.voting.protocol.record import (
    RECORD_PROTOCOL,
    SEAL_V2,
    quiet_gc,
    record_json,
    register_section,
    seal_message,
    seal_root,
    seal_statement,
    section_digest,
    section_digests,
    section_texts,
    stored_ballot_texts,
)
from plugins.voting.protocol.scope import attach_scopes, scoped_positions
from plugins.voting.protocol.tally import compute_tally, rule_value
from plugins.voting.services.cast import _contexts
from plugins.voting.services.keys import meeting_key, meeting_signer
from plugins.voting.services.meetings import get_meeting, motion_entries
from plugins.voting.services.scrutineers import scrutineer_keys
from plugins.voting.tables import (
    VotingExtension,
    VotingFrozenRegister,
    VotingFrozenUnit,
    VotingMeeting,
    VotingMotion,
    VotingOfficial,
    VotingProxy,
    VotingSeal,
    VotingVoter,
)


def iso(at: datetime | None) -> str | None:
    """``…T…ffffffZ`` in UTC (a naive time is taken as UTC)."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    elif at.utcoffset():
        at = at.astimezone(UTC)
    # isoformat is several times quicker than strftime (100,000 ballots' times at every seal)
    return at.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def ts(value: Any) -> str | None:
    """A stored time as the record writes it (``…T…ffffffZ``, UTC): from SQLite's text
    (``2026-11-23 10:43:09.422940+00:00``, as Piccolo stores it) without parsing when it has that exact
    form, else through :func:`iso`."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 27 and value[10] == "T" and value[26] == "Z":  # PostgreSQL's to_char, see _rows
            return value
        if len(value) == 32 and value[10] == " " and value.endswith("+00:00"):
            return f"{value[:10]}T{value[11:26]}Z"
        return iso(datetime.fromisoformat(value))
    return iso(value)


async def _rows(sql: str, meeting_id: int, *, timestamps: tuple[str, ...] = ()) -> list[Any]:
    """Rows of ``sql`` (``$1`` = the meeting) on the current transaction's connection, indexed by
    position; the ``timestamps`` columns are read as text (no per-row conversion): on SQLite as
    stored, on PostgreSQL formatted by the server as the record writes them."""
    engine = VotingSeal._meta.db
    connection = engine.current_transaction.get().connection
    if isinstance(engine, PostgresEngine):
        # times formatted by the server, in the record's form (no datetime objects to format here)
        utc = """to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        return list(await connection.fetch(sql.format(**{t: utc.format(t) for t in timestamps}), meeting_id))
    query = sql.replace("$1", "?").format(**{t: f"CAST({t} AS TEXT)" for t in timestamps})
    cursor = await connection.execute(query, (meeting_id,))
    cursor.row_factory = None  # plain tuples (the engine's default builds a dict per row)
    try:
        return list(await cursor.fetchall())
    finally:
        await cursor.close()


_decode = msgspec.json.decode  # the stored texts are this server's own JSON; ~4x json.loads


def _json(value: Any) -> Any:
    return _decode(value) if isinstance(value, str) else value


async def _attach_proxies(meeting_id: int, credentials: list[dict[str, Any]]) -> None:
    """A sheet issued to a proxy carries its authorisation (docs/protocol.md §8.1): the proxy's number,
    the motions and instructions, and the digest of the signed paper's scan."""
    rows = await VotingProxy.select(
        VotingProxy.voter_no,
        VotingProxy.version,
        VotingProxy.proxy_no,
        VotingProxy.motions,
        VotingProxy.instructions,
        VotingProxy.scan_sha256,
    ).where(VotingProxy.meeting == meeting_id)
    if not rows:
        return
    by_sheet = {(r["voter_no"], r["version"]): r for r in rows}
    for credential in credentials:
        row = by_sheet.get((credential["voter_no"], credential["version"]))
        if row is not None:
            credential["proxy"] = {
                "proxy_no": row["proxy_no"],
                "scan_sha256": row["scan_sha256"],
            } | authorisation_of(row["motions"], row["instructions"])


async def _attach_deliveries(meeting_id: int, credentials: list[dict[str, Any]]) -> None:
    """Each delivery record (送达记录, docs/protocol.md §9.1) on the sheet it delivered: the voter's
    latest sheet issued before it was recorded. Who received it and the witnesses' names are in the
    v1 record; the published one commits to them (§10)."""
    rows = await _rows(
        "SELECT d.voter_no, d.method, d.delivered_on, {recorded_at} AS recorded_at, d.received_by, "
        "d.witness_1, d.witness_2, "
        "(SELECT MAX(c.version) FROM voting_credential c WHERE c.meeting = d.meeting "
        "AND c.voter_no = d.voter_no AND c.issued_at <= d.recorded_at) AS version "
        "FROM voting_delivery d WHERE d.meeting = $1 ORDER BY d.voter_no, d.recorded_at, d.id",
        meeting_id,
        timestamps=("recorded_at",),
    )
    if not rows:
        return
    by_sheet = {(c["voter_no"], c["version"]): c for c in credentials}
    first: dict[int, dict[str, Any]] = {}
    for c in credentials:
        first.setdefault(c["voter_no"], c)  # credentials are in version order
    for voter_no, method, delivered_on, recorded_at, received_by, w1, w2, version in rows:
        # (a delivery recorded before any sheet was issued, which the console does not allow, goes
        # on the first sheet: a later reissue never moves it)
        credential = by_sheet.get((voter_no, version)) or first.get(voter_no)
        if credential is None:
            continue
        on = delivered_on if isinstance(delivered_on, str) else delivered_on.isoformat()
        credential.setdefault("deliveries", []).append(
            {
                "method": method,
                "delivered_on": on[:10],
                "recorded_at": ts(recorded_at),
                "received_by": received_by or "",
                "witnesses": [w for w in (w1, w2) if w],
            }
        )


async def build_record(
    runtime: Runtime,
    meeting: dict[str, Any],
    sealed_at: datetime | None,
    sealed_by: str | None,
    *,
    stored_ballots: list[tuple[int, str, str, str, str]] | None = None,
    known: dict[str, bytes] | None = None,
) -> dict[str, Any]:
    """Everything on the bulletin board of ``meeting``, as the record's six sections (``known``
    receives the canonical texts of those read as text: the register frozen at publication). Before the
    seal (a board head, docs/protocol.md §12) ``sealed_at`` and ``sealed_by`` are None."""
    mid = meeting["id"]
    motions = await VotingMotion.select().where(VotingMotion.meeting == mid).order_by(VotingMotion.position)
    officials = (
        await VotingOfficial.select(VotingOfficial.role, VotingOfficial.name)
        .where(VotingOfficial.meeting == mid)
        .order_by(VotingOfficial.id)
    )
    district = (
        await District.select(District.name, District.training)
        .where(District.id == meeting["district"])
        .first()
    )
    estate = await Estate.select(Estate.name).where(Estate.id == meeting["estate"]).first()
    _, public_key = await meeting_signer(runtime, mid)
    # The five big tables straight from the transaction's connection: no ORM objects, timestamps as
    # text on SQLite (see ts()). Frozen units were inserted in natural order at publication.
    frozen = (
        await VotingFrozenRegister.select(VotingFrozenRegister.section)
        .where(VotingFrozenRegister.meeting == mid)
        .first()
    )
    if frozen is not None:  # written at publication (meetings published since it exists)
        register_text = frozen["section"].encode()
        register = _decode(register_text)
        if known is not None:
            known["register"] = register_text
    else:
        units = await _rows(
            "SELECT unit_code, area_centi, area_source, owner_key, developer_unsold FROM voting_frozen_unit "
            "WHERE meeting = $1 ORDER BY id",
            mid,
        )
        voters = await _rows(
            "SELECT voter_no, serial, unit_codes, area_centi, heads FROM voting_voter WHERE meeting = $1 "
            "ORDER BY voter_no",
            mid,
        )
        register = register_section(
            meeting["headcount_method"], units, ((v[0], v[1], _json(v[2]), v[3], v[4]) for v in voters)
        )
    credentials = await _rows(
        "SELECT voter_no, version, public_key, {revoked_at} AS revoked_at, revoked_reason "
        "FROM voting_credential WHERE meeting = $1 ORDER BY voter_no, version",
        mid,
        timestamps=("revoked_at",),
    )
    ballots = await _rows(
        "SELECT voter_no, ballot, signature, ballot_hash, {received_at} AS received_at FROM voting_ballot "
        "WHERE meeting = $1 ORDER BY voter_no",
        mid,
        timestamps=("received_at",),
    )
    paper = await _rows(
        "SELECT voter_no, sheet_serial, version, choices, status, entered_by, confirmed_by, "
        "{entered_at} AS entered_at, {handed_in_at} AS handed_in_at, confirmation_key, "
        "confirmation_salt, confirmation_signature FROM voting_paper_ballot "
        "WHERE meeting = $1 ORDER BY voter_no, sheet_serial",
        mid,
        timestamps=("entered_at", "handed_in_at"),
    )
    entries = motion_entries(motions)
    if scoped_positions(entries):  # each voter's share of the motions of a part of the estate (§9.6)
        attach_scopes(register, entries)
        if known is not None:
            known.pop("register", None)
    record = {
        "protocol": RECORD_PROTOCOL,
        "meeting": {
            "meeting": meeting["public_id"],
            "title": meeting["title"],
            "district": district["name"] if district else "",
            "estate": estate["name"] if estate else "",
            "jurisdiction": meeting["jurisdiction_code"],
            "meeting_date": meeting["meeting_date"].isoformat(),
            "voting_closes": iso(meeting["voting_closes"]),
            "count_date": meeting["count_date"].isoformat(),
            "register_digest": meeting["register_digest"],
            "meeting_key": public_key,
            "sealed_at": iso(sealed_at),
            "sealed_by": sealed_by,
            "motions": entries,
            "officials": [{"role": o["role"], "name": o["name"]} for o in officials],
        },
        "rules": _json(meeting["rules_snapshot"]),
        "register": register,
        "credentials": [
            {
                "voter_no": c[0],
                "version": c[1],
                "public_key": c[2],
                "revoked_at": ts(c[3]),
            }
            | ({"revocation": {"reason": c[4] or ""}} if c[3] is not None else {})
            for c in credentials
        ],
        "ballots": _ballot_entries(ballots, stored_ballots),
        "paper": [
            {
                "voter_no": p[0],
                "sheet_serial": p[1],
                "version": p[2],
                "choices": _decode(p[3]),
                "status": p[4],
                "entered_by": p[5],
                "confirmed_by": p[6],
                "entered_at": ts(p[7]),
            }
            | ({"handed_in_at": ts(p[8])} if p[8] is not None else {})  # recorded since §9.3's `first`
            | _confirmation(meeting["public_id"], p[1], p[9], p[10], p[11])
            for p in paper
        ],
    }
    keys = await _scrutineer_keys(mid)
    if keys:  # the scrutineers' keys (§8.2): a record with any paper entry has them
        record["meeting"]["scrutineer_keys"] = keys
    if district and district["training"]:  # a training district's meeting (演练): never a real result
        record["meeting"]["rehearsal"] = True
    await _attach_proxies(mid, record["credentials"])
    await _attach_deliveries(mid, record["credentials"])
    if meeting.get("opened_at") is not None:  # meetings opened since the record carries it (§9.1)
        record["meeting"]["voting_opened"] = iso(meeting["opened_at"])
        if meeting.get("delivery_override"):
            record["meeting"]["open_override"] = meeting["delivery_override"]
        record["meeting"]["rules_digest"] = section_digest(record["rules"])
    extensions = (
        await VotingExtension.select().where(VotingExtension.meeting == mid).order_by(VotingExtension.id)
    )
    if extensions:  # the vote's extensions, in order (a meeting never extended has no member: §12)
        record["meeting"]["extensions"] = [
            {
                "at": iso(e["extended_at"]),
                "from": iso(e["old_closes"]),
                "to": iso(e["new_closes"]),
                "count_date_from": e["old_count_date"].isoformat(),
                "count_date_to": e["new_count_date"].isoformat(),
                "reason": e["reason"],
            }
            for e in extensions
        ]
    return record


def _confirmation(meeting: str, serial: str, key: str, salt: str, signature: str) -> dict[str, Any]:
    """A paper entry's scrutineer confirmation as the full record has it (§8.2); nothing for an entry
    made before confirmations were signed."""
    if not key:
        return {}
    return {
        "confirmation": {
            "key": key,
            "sheet": sheet_commitment(meeting, serial, salt),
            "signature": signature,
            "salt": salt,
        }
    }


async def _scrutineer_keys(meeting_id: int) -> list[dict[str, Any]]:
    return [
        {
            "public_key": k["public_key"],
            "name": k["name"],
            "role": k["role"],
            "registered_at": iso(k["registered_at"]),
        }
        for k in await scrutineer_keys(meeting_id)
    ]


def _ballot_entries(
    rows: list[dict[str, Any]], stored: list[tuple[int, str, str, str, str]] | None
) -> list[dict[str, Any]]:
    """The ballots section; with ``stored``, also the rows as stored (for the fast section text)."""
    entries = []
    for b in rows:
        received_at = ts(b[4])
        entries.append(
            {
                "voter_no": b[0],
                "ballot": _decode(b[1]),
                "signature": b[2],
                "ballot_hash": b[3],
                "received_at": received_at,
            }
        )
        if stored is not None:
            stored.append((b[0], b[1], b[2], b[3], received_at or ""))
    return entries


async def _record_and_texts(
    runtime: Runtime, meeting: dict[str, Any], sealed_at: datetime, sealed_by: str
) -> tuple[dict[str, Any], dict[str, bytes], list[bytes]]:
    """The record, each section's canonical text (encoded once, for its digest and for the record) and
    the ballot leaves; the ballots section straight from the stored canonical texts."""
    stored: list[tuple[int, str, str, str, str]] = []
    known: dict[str, bytes] = {}
    record = await build_record(runtime, meeting, sealed_at, sealed_by, stored_ballots=stored, known=known)
    ballots_text, leaves = stored_ballot_texts(stored)
    texts = section_texts(record, plain=True, known={**known, "ballots": ballots_text})
    return record, texts, leaves


async def _published(
    runtime: Runtime, meeting: dict[str, Any], sealed_at: datetime, sealed_by: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, bytes], list[bytes]]:
    """The public record (``wuye-record-v2``), the private record that opens it, the public sections'
    canonical texts and the ballot leaves (docs/protocol.md §10)."""
    stored: list[tuple[int, str, str, str, str]] = []
    full = await build_record(runtime, meeting, sealed_at, sealed_by, stored_ballots=stored)
    seed, _ = await meeting_key(runtime, meeting["id"])
    secret = record_secret(seed, meeting["public_id"])
    names = {
        row[0]: row[1]
        for row in await _rows("SELECT voter_no, name FROM voting_voter WHERE meeting = $1", meeting["id"])
    }
    public, private, number = publish(full, secret, names)
    del full
    # the ballots section from the stored canonical texts, renumbered and in record-number order
    renumbered = sorted(((number[row[0]], *row[1:]) for row in stored), key=lambda row: row[0])
    ballots_text, leaves = stored_ballot_texts(renumbered)  # type: ignore[arg-type]
    texts = section_texts(public, plain=True, known={"ballots": ballots_text})
    return public, private, texts, leaves


async def seal_meeting(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str
) -> dict[str, Any]:
    """Close the bulletin board for good: status ``sealed`` first (so no ballot or paper entry can be
    added after), then the record, its root, the meeting key's signature and the tally, in one
    transaction; audited."""
    now = await district_now(district)  # the district's clock (a training district's may be set)
    meeting = await get_meeting(public_id, district)
    if meeting["status"] == "sealed":
        raise Conflict("voting_seal_already")
    if meeting["status"] not in {"open", "closed"}:
        raise Conflict("voting_seal_not_open", status=label(f"status.{meeting['status']}"))
    if now < meeting["voting_closes"]:
        raise Conflict("voting_seal_before_close")
    from plugins.voting.services.heads import sign_head

    # the board as it closed, if no head since the close says so yet (docs/protocol.md §12)
    await sign_head(runtime, district, public_id, actor, clock=lambda: now, only_when_due=True)
    engine = VotingMeeting._meta.db
    async with transaction(engine):
        if isinstance(engine, PostgresEngine):
            await VotingMeeting.raw("SELECT id FROM voting_meeting WHERE id = {} FOR UPDATE", meeting["id"])
        changed = (
            await VotingMeeting.update({VotingMeeting.status: "sealed"})
            .where((VotingMeeting.id == meeting["id"]) & VotingMeeting.status.is_in(["open", "closed"]))
            .returning(VotingMeeting.id)
        )
        if not changed:
            raise Conflict("voting_seal_already")
        with quiet_gc():
            record, _, texts, leaves = await _published(runtime, meeting, now, actor)
            tally = compute_tally(record)
            statement = seal_statement(record, section_digests(record, texts, leaves))
            del texts, leaves
        key, _ = await meeting_signer(runtime, meeting["id"])
        signature = key.sign(seal_message(public_id, statement)).hex()
        root = seal_root(public_id, statement)
        await VotingSeal.insert(
            VotingSeal(
                meeting=meeting["id"],
                root=root,
                signature=signature,
                record="",  # rendered from the sealed tables on first use (record_text)
                statement=json.dumps(statement, ensure_ascii=False),
                tally=json.dumps(tally, ensure_ascii=False),
                sealed_at=now,
                sealed_by=actor,
            )
        )
        await record_audit(
            actor,
            "voting.meeting_seal",
            district=district.slug,
            target=public_id,
            details={"root": root, **statement["counts"]},
        )
    _contexts.pop(public_id, None)
    return {"meeting": public_id, "root": root, "counts": statement["counts"], "tally": tally}


async def sealed(public_id: str) -> dict[str, Any]:
    """The stored seal of a meeting (404 ``voting_not_sealed`` before sealing)."""
    meeting = await get_meeting(public_id)
    row = await VotingSeal.select().where(VotingSeal.meeting == meeting["id"]).first()
    if row is None:
        raise NotFound("voting_not_sealed")
    return {**row, "public_id": public_id, "meeting_row": meeting}


async def record_text(runtime: Runtime, row: dict[str, Any]) -> str:
    """The sealed record's canonical JSON. After the seal nothing can change the tables it is read
    from, so it is rendered from them on first use and kept with the seal; whether it still matches the
    signed section digests is what ``wuye verify`` checks."""
    if row["record"]:
        return str(row["record"])
    meeting = row["meeting_row"]
    engine = VotingSeal._meta.db
    async with transaction(engine):
        with quiet_gc():
            if _version(row) == 2:
                record, _, texts, _ = await _published(runtime, meeting, row["sealed_at"], row["sealed_by"])
            else:  # sealed before the published record existed: the v1 record, as it was signed
                record, texts, _ = await _record_and_texts(
                    runtime, meeting, row["sealed_at"], row["sealed_by"]
                )
            text = record_json(record, texts).decode()
        await VotingSeal.update({VotingSeal.record: text}).where(VotingSeal.id == row["id"])
    return text


async def tally_of(public_id: str) -> dict[str, Any]:
    """The tally computed from the sealed record when it was sealed (never from the live tables);
    ``wuye verify`` recomputes it from the exported record."""
    row = await sealed(public_id)
    return json.loads(row["tally"])


def _version(row: dict[str, Any]) -> int:
    """2 for a meeting sealed as a published record (§10), 1 before that."""
    return 2 if json.loads(row["statement"]).get("protocol") == SEAL_V2 else 1


def published_mode(record: dict[str, Any]) -> str:
    """``pseudonymous`` or ``named``: the profile's ``voting.published_record`` as frozen in the
    record's rules at publication (meetings published before the rule existed: pseudonymous)."""
    mode = rule_value(record["rules"], "published_record", "pseudonymous")
    return "named" if mode == "named" else "pseudonymous"


async def private_text(runtime: Runtime, row: dict[str, Any]) -> str:
    """The private record of a v2 seal (units, names, serials, who entered each paper sheet, the
    salts), canonical JSON with the seal's root; rendered from the sealed tables each time (it is
    asked for rarely, and only by those allowed to see it)."""
    meeting = row["meeting_row"]
    async with transaction(VotingSeal._meta.db):
        with quiet_gc():
            _, private, _, _ = await _published(runtime, meeting, row["sealed_at"], row["sealed_by"])
    return canonical_json({**private, "root": row["root"]}).decode()


async def export_bundle(runtime: Runtime, public_id: str, *, full: bool = False) -> bytes:
    """The zip anyone can verify: record.json, seal.json, tally.json and a README. ``full``: with the
    private record (private.json) as well — for the office, the committee and the scrutineers; a
    profile that publishes named results puts it in the public bundle too. A meeting sealed before the
    published record existed has one record only (v1), which names the units."""
    from plugins.voting.services.heads import heads_document

    row = await sealed(public_id)
    text = await record_text(runtime, row)
    with quiet_gc():
        record = _decode(text)
        tally = compute_tally(record)
    version = _version(row)
    named = version == 2 and published_mode(record) == "named"
    with_private = version == 2 and (full or named)
    statement = json.loads(row["statement"])
    seal = {
        "protocol": statement.get("protocol", "wuye-seal-v1"),
        "meeting": public_id,
        "meeting_key": record["meeting"]["meeting_key"],
        "statement": statement,
        "root": row["root"],
        "signature": row["signature"],
    }
    readme = BUNDLE_README if version == 1 else BUNDLE_README_V2
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("record.json", text)
        bundle.writestr("seal.json", json.dumps(seal, ensure_ascii=False, indent=2))
        bundle.writestr("tally.json", json.dumps(tally, ensure_ascii=False, indent=2))
        if with_private:
            bundle.writestr("private.json", await private_text(runtime, row))
        heads = await heads_document(runtime, row["meeting_row"]) if version == 2 else []
        if heads:  # every head signed while voting was open, each checked against this record
            bundle.writestr("heads.json", json.dumps(heads, ensure_ascii=False, indent=2))
        bundle.writestr(
            "README.txt",
            readme.format(
                title=record["meeting"]["title"],
                meeting_key=seal["meeting_key"],
                root=row["root"],
                private=(BUNDLE_NAMED_NOTE if named else BUNDLE_PRIVATE_NOTE) if with_private else "",
            ),
        )
    return buffer.getvalue()


async def full_record(runtime: Runtime, district: DistrictInfo, public_id: str, actor: str) -> bytes:
    """The full record (the bundle with private.json) for someone entitled to it; every download is
    audited, with the digest of what was handed out."""
    await get_meeting(public_id, district)
    content = await export_bundle(runtime, public_id, full=True)
    await record_audit(
        actor,
        "voting.record_download",
        district=district.slug,
        target=public_id,
        details={"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)},
    )
    return content


_numbers: dict[int, dict[str, int]] = {}
register_cache(_numbers.clear)


async def own_entry(runtime: Runtime, meeting: dict[str, Any], voter_no: int) -> dict[str, Any] | None:
    """An owner's own entry of the private record, for the owner who proves the sheet's key after a v2
    seal: their record number and the opening of their public commitment (serial, name, units, salt),
    so they can check the public bundle holds their flat and their area without anyone else's.
    None before the seal or for a v1 seal (whose record names every unit anyway)."""
    row = await VotingSeal.select(VotingSeal.statement).where(VotingSeal.meeting == meeting["id"]).first()
    if row is None or _version(row) != 2:
        return None
    seed, _ = await meeting_key(runtime, meeting["id"])
    secret = record_secret(seed, meeting["public_id"])
    numbers = _numbers.get(meeting["id"])
    if numbers is None:  # immutable after the seal
        serials = await VotingVoter.select(VotingVoter.serial).where(VotingVoter.meeting == meeting["id"])
        numbers = _numbers[meeting["id"]] = record_numbers([r["serial"] for r in serials], secret)
        if len(_numbers) > 20:
            _numbers.clear()
            _numbers[meeting["id"]] = numbers
    voter = (
        await VotingVoter.select(VotingVoter.serial, VotingVoter.name)
        .where((VotingVoter.meeting == meeting["id"]) & (VotingVoter.voter_no == voter_no))
        .first()
    )
    if voter is None:
        return None
    units = (
        await VotingFrozenUnit.select(
            VotingFrozenUnit.unit_code,
            VotingFrozenUnit.area_centi,
            VotingFrozenUnit.area_source,
            VotingFrozenUnit.owner_key,
            VotingFrozenUnit.developer_unsold,
        )
        .where((VotingFrozenUnit.meeting == meeting["id"]) & (VotingFrozenUnit.voter_no == voter_no))
        .order_by(VotingFrozenUnit.id)
    )
    opening = voter_opening(
        secret,
        numbers[voter["serial"]],
        voter["serial"],
        voter["name"],
        [{**u, "developer_unsold": bool(u["developer_unsold"])} for u in units],
    )
    return {
        "protocol": PRIVATE_V2,
        "voter": opening,
        "commitment": voter_commitment(meeting["public_id"], opening),
    }
