"""Meetings: creation from a meeting file or the console, and publication (the register is frozen)."""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    Invalid,
    NotFound,
    Reach,
    Runtime,
    bulk_insert,
    canonical_json,
    district_now,
    district_today,
    get_estate,
    json_value,
    list_estates,
    message,
    people_date,
    people_time,
    record_audit,
    table_xlsx,
    transaction,
)
from plugins.voting.messages import EXPORT_WORDS, FIELD_WORDS, MEETING_HEADINGS, label
from plugins.voting.protocol.record import register_section
from plugins.voting.protocol.rules import check_timetable, group_voters, register_digest, serial_for
from plugins.voting.protocol.scope import (
    MAX_PREFIXES,
    PREFIX_RE,
    buildings,
    in_scope,
    normalise_prefixes,
    scope_label,
    unmatched_prefixes,
)
from plugins.voting.schemas import MeetingIn
from plugins.voting.services.keys import create_meeting_key
from plugins.voting.services.register import load_units
from plugins.voting.tables import (
    VotingFrozenRegister,
    VotingFrozenUnit,
    VotingMeeting,
    VotingMotion,
    VotingOfficial,
    VotingVoter,
)


def new_public_id() -> str:
    """12 URL-safe characters (72 bits), never starting with ``-`` or ``_`` (a command line would read
    a leading dash as an option)."""
    while True:
        candidate = secrets.token_urlsafe(9)
        if candidate[0].isalnum():
            return candidate


def parse_meeting_file(content: bytes) -> MeetingIn:
    """A meeting file (JSON, docs/plugins/voting.md) → :class:`MeetingIn`, else a clear 400."""
    try:
        return msgspec.json.decode(content, type=MeetingIn)
    except msgspec.ValidationError as exc:
        raise BadRequest("voting_meeting_file", detail=str(exc)) from None
    except msgspec.DecodeError as exc:
        raise BadRequest("voting_meeting_file", detail=f"不是有效的 JSON：{exc}") from None


def validate_meeting(data: MeetingIn, profile: Any) -> list[dict[str, str]]:
    """Every problem with the meeting as a whole: timetable per the profile, motions, officials."""
    tz = ZoneInfo(profile.timezone)
    tt = data.timetable
    closes = tt.voting_closes if tt.voting_closes.tzinfo else tt.voting_closes.replace(tzinfo=tz)
    problems = [
        problem(f"timetable.{p.field}", p.code, **p.values)
        for p in check_timetable(
            tt.notice_date,
            tt.delivery_deadline,
            tt.meeting_date,
            closes.astimezone(tz).date(),
            tt.count_date,
            notice_days=profile.deadline("voting.notice").days,
            delivery_days=profile.deadline("voting.delivery").days,
        )
    ]
    candidates: set[str] = set()
    for index, motion in enumerate(data.motions, start=1):
        where = f"motions[{index}]"
        if motion.kind == "election":
            if motion.seats < 1:
                problems.append(problem(f"{where}.seats", "voting_election_no_seats"))
            if len(motion.candidates) < 1:
                problems.append(problem(f"{where}.candidates", "voting_election_no_candidates"))
            elif motion.seats > len(motion.candidates):
                problems.append(
                    problem(
                        f"{where}.seats",
                        "voting_election_seats_exceed_candidates",
                        seats=motion.seats,
                        candidates=len(motion.candidates),
                    )
                )
            if len(set(motion.candidates)) != len(motion.candidates):
                problems.append(problem(f"{where}.candidates", "voting_election_duplicate_candidate"))
            candidates.update(motion.candidates)
        elif motion.seats or motion.candidates:
            problems.append(problem(where, "voting_resolution_with_candidates"))
        prefixes = normalise_prefixes(motion.scope)
        if len(prefixes) > MAX_PREFIXES:
            problems.append(problem(f"{where}.scope", "voting_scope_too_many", max=MAX_PREFIXES))
        for prefix in prefixes:
            if not PREFIX_RE.match(prefix):
                problems.append(problem(f"{where}.scope", "voting_scope_bad_prefix", prefix=prefix))
    for index, official in enumerate(data.officials, start=1):
        if official.name in candidates:
            problems.append(
                problem(f"officials[{index}]", "voting_official_is_candidate", name=official.name)
            )
    return problems


def problem(field: str, code: str, /, **values: Any) -> dict[str, str]:
    """A problem of the meeting: ``field`` (a path, for programs), ``label`` (what the form calls it)."""
    return {"field": field, "label": field_label(field), "code": code, "message": message(code, **values)}


def field_label(field: str) -> str:
    """``timetable.notice_date`` → 公告日; ``motions[2].seats`` → 第 2 项表决事项·应选人数."""
    if field in FIELD_WORDS:
        return FIELD_WORDS[field]
    found = re.fullmatch(r"(motions|officials)\[(\d+)\](?:\.(\w+))?", field)
    if not found:
        return field
    words = FIELD_WORDS[found.group(1)].format(n=found.group(2))
    return f"{words}·{FIELD_WORDS.get(found.group(3), found.group(3))}" if found.group(3) else words


async def _insert_content(meeting_id: int, data: MeetingIn) -> None:
    """A meeting's motions and officials, as ``data`` lists them."""
    await VotingMotion.insert(
        *(
            VotingMotion(
                meeting=meeting_id,
                position=position,
                title=m.title,
                description=m.description,
                matter=m.matter,
                kind=m.kind,
                seats=m.seats,
                candidates=json.dumps(
                    [{"id": f"c{i}", "name": name} for i, name in enumerate(m.candidates, start=1)],
                    ensure_ascii=False,
                ),
                scope=json.dumps(normalise_prefixes(m.scope), ensure_ascii=False),
            )
            for position, m in enumerate(data.motions, start=1)
        )
    )
    if data.officials:
        await VotingOfficial.insert(
            *(VotingOfficial(meeting=meeting_id, role=o.role, name=o.name) for o in data.officials)
        )


async def create_meeting(
    runtime: Runtime, district: DistrictInfo, estate_code: str, data: MeetingIn, actor: str
) -> dict[str, Any]:
    estate = await get_estate(district, estate_code)
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    problems = validate_meeting(data, profile) or await draft_scope_problems(estate["id"], data)
    if problems:
        raise Invalid("voting_meeting_invalid", count=len(problems), details=problems)
    tz = ZoneInfo(profile.timezone)
    closes = data.timetable.voting_closes
    if closes.tzinfo is None:
        closes = closes.replace(tzinfo=tz)
    public_id = new_public_id()
    async with transaction(VotingMeeting._meta.db):
        rows = await VotingMeeting.insert(
            VotingMeeting(
                district=district.id,
                estate=estate["id"],
                public_id=public_id,
                title=data.title,
                kind=data.kind,
                status="draft",
                notice_date=data.timetable.notice_date,
                delivery_deadline=data.timetable.delivery_deadline,
                meeting_date=data.timetable.meeting_date,
                voting_closes=closes.astimezone(UTC),
                count_date=data.timetable.count_date,
                location=data.location,
                jurisdiction_code=profile.code,
                created_by=actor,
            )
        ).returning(VotingMeeting.id)
        meeting_id = rows[0]["id"]
        await _insert_content(meeting_id, data)
        await record_audit(
            actor,
            "voting.meeting_create",
            district=district.slug,
            target=public_id,
            details={"estate": estate_code, "title": data.title, "motions": len(data.motions)},
        )
    return await meeting_summary(public_id)


async def _draft(district: DistrictInfo, public_id: str) -> dict[str, Any]:
    meeting = await get_meeting(public_id, district)
    if meeting["status"] != "draft":
        raise Conflict("voting_meeting_draft_only", status=label(f"status.{meeting['status']}"))
    return meeting


async def draft_file(district: DistrictInfo, public_id: str) -> dict[str, Any]:
    """A meeting's content as its meeting file (the JSON of ``wuye voting meeting create``): what the
    console's edit form starts from."""
    meeting = await get_meeting(public_id, district)
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    officials = await VotingOfficial.select(VotingOfficial.role, VotingOfficial.name).where(
        VotingOfficial.meeting == meeting["id"]
    )
    return {
        "title": meeting["title"],
        "kind": meeting["kind"],
        "location": meeting["location"],
        "timetable": {
            "notice_date": meeting["notice_date"].isoformat(),
            "delivery_deadline": meeting["delivery_deadline"].isoformat(),
            "meeting_date": meeting["meeting_date"].isoformat(),
            "voting_closes": meeting["voting_closes"].isoformat(),
            "count_date": meeting["count_date"].isoformat(),
        },
        "motions": [
            {"title": m["title"], "matter": m["matter"], "description": m["description"]}
            | (
                {
                    "kind": "election",
                    "seats": m["seats"],
                    "candidates": [c["name"] for c in json_value(m["candidates"])],
                }
                if m["kind"] == "election"
                else {}
            )
            | ({"scope": motion_scope(m)} if motion_scope(m) else {})
            for m in motions
        ],
        "officials": [{"role": o["role"], "name": o["name"]} for o in officials],
    }


async def update_draft(
    runtime: Runtime, district: DistrictInfo, public_id: str, data: MeetingIn, actor: str
) -> dict[str, Any]:
    """Replace a draft meeting's content (fields, timetable, motions, officials) with ``data``, checked
    as a new meeting is; refused (409) once published. Audited with what changed."""
    meeting = await _draft(district, public_id)
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    problems = validate_meeting(data, profile) or await draft_scope_problems(meeting["estate"], data)
    if problems:
        raise Invalid("voting_meeting_invalid", count=len(problems), details=problems)
    closes = data.timetable.voting_closes
    if closes.tzinfo is None:
        closes = closes.replace(tzinfo=ZoneInfo(profile.timezone))
    before = await meeting_summary(public_id)
    async with transaction(VotingMeeting._meta.db):
        again = await _draft(district, public_id)  # under the write: not published meanwhile
        await VotingMeeting.update(
            {
                VotingMeeting.title: data.title,
                VotingMeeting.kind: data.kind,
                VotingMeeting.notice_date: data.timetable.notice_date,
                VotingMeeting.delivery_deadline: data.timetable.delivery_deadline,
                VotingMeeting.meeting_date: data.timetable.meeting_date,
                VotingMeeting.voting_closes: closes.astimezone(UTC),
                VotingMeeting.count_date: data.timetable.count_date,
                VotingMeeting.location: data.location,
                VotingMeeting.jurisdiction_code: profile.code,
            }
        ).where(VotingMeeting.id == again["id"])
        await VotingMotion.delete().where(VotingMotion.meeting == meeting["id"])
        await VotingOfficial.delete().where(VotingOfficial.meeting == meeting["id"])
        await _insert_content(meeting["id"], data)
        after = await meeting_summary(public_id)
        changed = sorted(
            k for k in ("title", "kind", "timetable", "motions", "officials") if before[k] != after[k]
        )
        if meeting["location"] != data.location:
            changed.append("location")
        await record_audit(
            actor,
            "voting.meeting_edit",
            district=district.slug,
            target=public_id,
            details={"changed": changed, "title": data.title, "motions": len(data.motions)},
        )
    return after


async def delete_draft(district: DistrictInfo, public_id: str, actor: str) -> dict[str, Any]:
    """Delete a draft meeting with its motions and officials; refused (409) once published (the
    register is frozen and the notice may be out: the law keeps that record). Audited."""
    summary = await meeting_summary(public_id)
    async with transaction(VotingMeeting._meta.db):
        meeting = await _draft(district, public_id)
        await VotingMotion.delete().where(VotingMotion.meeting == meeting["id"])
        await VotingOfficial.delete().where(VotingOfficial.meeting == meeting["id"])
        await VotingMeeting.delete().where(VotingMeeting.id == meeting["id"])
        await record_audit(
            actor,
            "voting.meeting_delete",
            district=district.slug,
            target=public_id,
            details={
                "title": summary["title"],
                "timetable": summary["timetable"],
                "motions": [m["title"] for m in summary["motions"]],
                "officials": summary["officials"],
            },
        )
    return {"meeting": public_id, "deleted": True}


async def get_meeting(public_id: str, district: DistrictInfo | None = None) -> dict[str, Any]:
    query = VotingMeeting.select().where(VotingMeeting.public_id == public_id)
    if district is not None:
        query = query.where(VotingMeeting.district == district.id)
    row = await query.first()
    if row is None:
        raise NotFound("voting_meeting_not_found")
    return row


async def estate_of_meeting(district: DistrictInfo, public_id: str) -> int:
    """The estate a meeting of ``district`` belongs to (the core's access guard asks)."""
    return int((await get_meeting(public_id, district))["estate"])


async def district_meetings(district: DistrictInfo) -> list[dict[str, Any]]:
    """The district's meetings, newest meeting date first (the console's list)."""
    return await (
        VotingMeeting.select()
        .where(VotingMeeting.district == district.id)
        .order_by(VotingMeeting.meeting_date, ascending=False)
    )


async def meeting_summaries(district: DistrictInfo, reach: Reach) -> list[dict[str, Any]]:
    """The summary of every meeting of the district within ``reach`` (the API's list)."""
    rows = await VotingMeeting.select(VotingMeeting.public_id, VotingMeeting.estate).where(
        VotingMeeting.district == district.id
    )
    return [await meeting_summary(r["public_id"]) for r in reach.narrow(rows)]


async def meeting_summary(public_id: str) -> dict[str, Any]:
    meeting = await get_meeting(public_id)
    motions = (
        await VotingMotion.select()
        .where(VotingMotion.meeting == meeting["id"])
        .order_by(VotingMotion.position)
    )
    officials = await VotingOfficial.select(VotingOfficial.role, VotingOfficial.name).where(
        VotingOfficial.meeting == meeting["id"]
    )
    voters = await VotingVoter.count().where(VotingVoter.meeting == meeting["id"])
    return {
        "meeting": meeting["public_id"],
        "title": meeting["title"],
        "status": meeting["status"],
        "kind": meeting["kind"],
        "timetable": {
            "notice_date": meeting["notice_date"].isoformat(),
            "delivery_deadline": meeting["delivery_deadline"].isoformat(),
            "meeting_date": meeting["meeting_date"].isoformat(),
            "voting_closes": meeting["voting_closes"].isoformat(),
            "count_date": meeting["count_date"].isoformat(),
        },
        "jurisdiction": meeting["jurisdiction_code"],
        "headcount_method": meeting["headcount_method"],
        "register_digest": meeting["register_digest"],
        "voters": voters,
        # for people: the part of the estate that decides a motion, in words
        "motions": [
            m | ({"scope_label": scope_label(m["scope"])} if "scope" in m else {})
            for m in motion_entries(motions)
        ],
        "officials": [{"role": o["role"], "name": o["name"]} for o in officials],
    }


#: The counting choices a profile may make that the platform carries out (the first is the default):
#: a profile naming another value is refused at publication rather than silently counted otherwise.
SUPPORTED_RULES: dict[str, tuple[str, ...]] = {
    "revote": ("first",),  # one ballot per voter, the first received stands (the protocol's one ballot)
    "dual_ballot": ("online", "paper", "first"),  # docs/protocol.md §9.3
    "ownership_transfer": ("ballot_stands",),  # services/transfers.py
}


def snapshot_rule(runtime: Runtime, meeting: dict[str, Any], key: str, default: Any) -> tuple[Any, str]:
    """A voting rule's value and source as the meeting published it (its rules snapshot), else the
    profile's today."""
    snapshot = json_value(meeting["rules_snapshot"]) or {}
    found = snapshot.get("rules", {}).get("voting", {}).get(key)
    if found:
        source = found.get("source")
        return found["value"], str(source.get("article", "") if isinstance(source, dict) else source or "")
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    rule = profile.rules.get("voting", {}).get(key)
    if rule is None:
        return default, ""
    return rule.value, rule.source.article


def motion_scope(motion: dict[str, Any]) -> list[str]:
    """A motion row's scope prefixes (``[]``: every owner)."""
    return list(json_value(motion.get("scope") or "[]"))


def motion_entries(motions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The motions as the meeting summary and the sealed record show them; a motion of a part of the
    estate carries its ``scope`` (a motion of every owner has none, as before scopes existed)."""
    return [
        {
            "position": m["position"],
            "title": m["title"],
            "matter": m["matter"],
            "kind": m["kind"],
            "seats": m["seats"],
            "candidates": json_value(m["candidates"]),
        }
        | ({"scope": motion_scope(m)} if motion_scope(m) else {})
        for m in motions
    ]


def scope_problems(scopes: list[tuple[int, list[str]]], unit_codes: list[str]) -> list[dict[str, str]]:
    """Every scope prefix covers a unit of the register, and no scope covers it all (that is a motion
    of every owner); ``scopes``: (motion position, prefixes). Without a register nothing is checked
    yet (publication needs one and checks again)."""
    if not unit_codes:
        return []
    parts = [p for p, _ in buildings(unit_codes)]
    known = "、".join(parts[:20]) + ("等" if len(parts) > 20 else "") if parts else "（房号不分楼栋）"
    problems = []
    for position, prefixes in scopes:
        where = f"motions[{position}].scope"
        for prefix in unmatched_prefixes(prefixes, unit_codes):
            problems.append(problem(where, "voting_scope_no_units", prefix=prefix, buildings=known))
        if prefixes and all(in_scope(code, prefixes) for code in unit_codes):
            problems.append(problem(where, "voting_scope_whole_estate", prefixes="、".join(prefixes)))
    return problems


async def draft_scope_problems(estate_id: int, data: MeetingIn) -> list[dict[str, str]]:
    """The scopes of a meeting file against the estate's register as it stands (the form says so at
    once, not only at publication)."""
    scopes = [(i, normalise_prefixes(m.scope)) for i, m in enumerate(data.motions, start=1) if m.scope]
    if not scopes:
        return []
    return scope_problems(scopes, [u.unit_code for u in await load_units(estate_id)])


async def check_scopes(meeting_id: int, unit_codes: list[str]) -> None:
    """At publication: :func:`scope_problems` over the frozen motions; a clear 400 naming each."""
    motions = await VotingMotion.select(VotingMotion.position, VotingMotion.scope).where(
        VotingMotion.meeting == meeting_id
    )
    scopes = [(m["position"], motion_scope(m)) for m in sorted(motions, key=lambda m: m["position"])]
    problems = scope_problems([s for s in scopes if s[1]], unit_codes)
    if problems:
        raise Invalid("voting_meeting_invalid", count=len(problems), details=problems)


async def publish_meeting(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str, *, today: Any = None
) -> dict[str, Any]:
    """Freeze the register into the meeting (voters by the profile's headcount rule, with a digest) and
    snapshot the rules. After this the meeting's content cannot change."""
    meeting = await get_meeting(public_id, district)
    if meeting["status"] != "draft":
        raise Conflict("voting_meeting_not_draft", status=meeting["status"])
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    today = today or await district_today(district, profile)
    if today > meeting["notice_date"]:
        raise BadRequest("voting_publish_late", date=people_date(meeting["notice_date"]))
    for key, values in SUPPORTED_RULES.items():  # a profile's choice the platform cannot carry out
        value = profile.rule("voting", key, values[0])
        if value not in values:
            raise Conflict("voting_rule_unsupported", key=key, value=value, profile=profile.name)
    roles = {
        o["role"]
        for o in await VotingOfficial.select(VotingOfficial.role).where(
            VotingOfficial.meeting == meeting["id"]
        )
    }
    if not {"scrutineer", "counter"} <= roles:
        raise BadRequest("voting_publish_no_officials")
    units = await load_units(meeting["estate"])
    if not units:
        raise BadRequest("voting_publish_no_register")
    await check_scopes(meeting["id"], [u.unit_code for u in units])
    method = profile.rule("voting", "headcount_method")
    voters = group_voters(units, method)
    digest = register_digest(units, voters, method)
    voter_of = {code: number for number, v in enumerate(voters, start=1) for code in v.unit_codes}
    async with transaction(VotingMeeting._meta.db):
        await bulk_insert(
            VotingVoter,
            [
                {
                    "meeting": meeting["id"],
                    "voter_no": number,
                    "serial": serial_for(number),
                    "name": v.name[:400],
                    "owner_key": v.key[:160],
                    "unit_codes": json.dumps(list(v.unit_codes), ensure_ascii=False),
                    "area_centi": v.area_centi,
                    "heads": v.heads,
                }
                for number, v in enumerate(voters, start=1)
            ],
        )
        await bulk_insert(
            VotingFrozenUnit,
            [
                {
                    "meeting": meeting["id"],
                    "voter_no": voter_of[u.unit_code],
                    "unit_code": u.unit_code,
                    "area_centi": u.area_centi,
                    "area_source": u.area_source,
                    "owner_key": u.owner_key,
                    "owner_name": u.owner_name,
                    "certificate_no": u.certificate_no,
                    "developer_unsold": u.developer_unsold,
                }
                for u in units
            ],
        )
        section = register_section(
            method,
            ((u.unit_code, u.area_centi, u.area_source, u.owner_key, u.developer_unsold) for u in units),
            (
                (number, serial_for(number), list(v.unit_codes), v.area_centi, v.heads)
                for number, v in enumerate(voters, start=1)
            ),
        )
        await VotingFrozenRegister.insert(
            VotingFrozenRegister(meeting=meeting["id"], section=canonical_json(section).decode())
        )
        await create_meeting_key(runtime, meeting["id"])
        await VotingMeeting.update(
            {
                VotingMeeting.status: "published",
                VotingMeeting.headcount_method: method,
                VotingMeeting.register_digest: digest,
                VotingMeeting.rules_snapshot: json.dumps(profile.to_dict(), ensure_ascii=False),
                VotingMeeting.published_at: await district_now(district),
                VotingMeeting.published_by: actor,
            }
        ).where(VotingMeeting.id == meeting["id"])
        await record_audit(
            actor,
            "voting.meeting_publish",
            district=district.slug,
            target=public_id,
            details={"voters": len(voters), "units": len(units), "register_digest": digest, "method": method},
        )
    return await meeting_summary(public_id)


async def meetings_xlsx(runtime: Runtime, district: DistrictInfo, reach: Reach) -> tuple[bytes, str]:
    """The district's meetings within ``reach`` as an XLSX (the console's list)."""
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    estates = {e["id"]: e["name"] for e in await list_estates(district)}
    rows = reach.narrow(await district_meetings(district))
    voters = {m["id"]: await VotingVoter.count().where(VotingVoter.meeting == m["id"]) for m in rows}
    content = table_xlsx(
        MEETING_HEADINGS,
        (
            (
                m["public_id"],
                m["title"],
                estates.get(m["estate"], ""),
                label(f"status.{m['status']}"),
                m["notice_date"],
                m["delivery_deadline"],
                m["meeting_date"],
                people_time(m["voting_closes"], profile),
                voters.get(m["id"], 0),
            )
            for m in rows
        ),
        sheet=EXPORT_WORDS["meetings_sheet"],
    )
    return content, EXPORT_WORDS["meetings_file"].format(district=district.name)
