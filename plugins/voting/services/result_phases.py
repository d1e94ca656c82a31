"""The result in phases, as several cities publish it: a preliminary result notice (初步统计结果公示)
opens an objection period (询异期, the profile's ``voting.objection_period``); owners' objections are
recorded and answered; the final announcement waits until the period is over and every objection is
answered. And, while voting is open and participation is short, an extension of the voting period with
its notice (延期公告). Every step is audited."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from core import (
    BadRequest,
    Conflict,
    DistrictInfo,
    NotFound,
    Runtime,
    chinese_date,
    district_now,
    district_today,
    local_time,
    people_date,
    people_time,
    record_audit,
    render_document,
    transaction,
    work_calendar,
)
from plugins.voting.messages import PHASE_WORDS as W
from plugins.voting.schemas import ExtendIn, ObjectionAnswerIn, ObjectionIn
from plugins.voting.services.announcement import chinese_moment, document_number, result_context
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.turnout import turnout
from plugins.voting.tables import VotingExtension, VotingMeeting, VotingObjection, VotingSeal

#: The 发文字号 kinds of the phase documents (core.documents.numbers).
PRELIMINARY_KIND = "voting.preliminary"
EXTENSION_KIND = "voting.extension"


async def _seal_of(meeting: dict[str, Any]) -> dict[str, Any]:
    row = await VotingSeal.select().where(VotingSeal.meeting == meeting["id"]).first()
    if row is None:
        raise Conflict("voting_announce_not_sealed")
    return row


async def objections(meeting_id: int) -> list[dict[str, Any]]:
    return (
        await VotingObjection.select()
        .where(VotingObjection.meeting == meeting_id)
        .order_by(VotingObjection.number)
    )


async def preliminary_document(runtime: Runtime, district: DistrictInfo, public_id: str, actor: str) -> bytes:
    """The preliminary result notice, from the sealed record; its first issue opens the objection
    period (from the day after the issue, the profile's days). Refused once the final result is out."""
    meeting, seal, record, profile, context = await result_context(runtime, district, public_id)
    if seal["announced_at"] is not None and seal["preliminary_at"] is None:
        raise Conflict("voting_preliminary_after_final")
    deadline = profile.deadline("voting.objection_period")
    async with transaction(VotingSeal._meta.db):
        row = await _seal_of(meeting)  # under the write: one period, however often it is printed
        first = row["preliminary_at"] is None
        if first:
            today = await district_today(district, profile)
            until = (await work_calendar(profile.calendar)).due(today, deadline).due
            await VotingSeal.update(
                {
                    VotingSeal.preliminary_at: await district_now(district),
                    VotingSeal.preliminary_by: actor,
                    VotingSeal.objections_until: until,
                }
            ).where((VotingSeal.id == row["id"]) & VotingSeal.preliminary_at.is_null())
            issued_on = today
        else:
            until = row["objections_until"]
            issued_on = local_time(row["preliminary_at"], profile).date()
        context |= {
            "doc_number": await document_number(
                district, PRELIMINARY_KIND, public_id, record["meeting"]["estate"], profile, actor
            ),
            "issued_cn": chinese_date(issued_on),
            "until_cn": chinese_date(until),
            "period_days": deadline.days,
            "period_unit": W["working" if deadline.unit == "working" else "calendar"],
            "period_source": deadline.source.article,
        }
        docx = await render_document(
            "voting/preliminary.docx", context, pm=runtime.pm, district=district, jurisdiction=profile
        )
        await record_audit(
            actor,
            "voting.result_preliminary",
            district=district.slug,
            target=public_id,
            details={
                "root": seal["root"],
                "first": first,
                "until": until.isoformat(),
                "doc_number": context["doc_number"],
            },
        )
    return docx


async def final_phase_words(meeting: dict[str, Any], seal: dict[str, Any], profile: Any) -> str:
    """What the final announcement says of the preliminary phase ("" when there was none); a 409
    saying why when it may not be issued yet (the period runs, an objection is unanswered)."""
    if seal["preliminary_at"] is None:
        return ""
    until: date = seal["objections_until"]
    if await district_today(meeting["district"], profile) <= until:
        raise Conflict("voting_final_in_objection_period", until=people_date(until))
    rows = await objections(meeting["id"])
    open_ones = [r["number"] for r in rows if r["answered_at"] is None]
    if open_ones:
        raise Conflict("voting_final_objections_open", numbers="、".join(map(str, open_ones)))
    issued = local_time(seal["preliminary_at"], profile).date()
    words = W["final_none"] if not rows else W["final_answered"].format(count=len(rows))
    return W["final_phase"].format(issued=chinese_date(issued), until=chinese_date(until)) + words


async def record_objection(
    runtime: Runtime, district: DistrictInfo, public_id: str, actor: str, data: ObjectionIn
) -> dict[str, Any]:
    """An objection received in the period (its day from the preliminary notice to the period's last
    day); numbered; audited."""
    meeting = await get_meeting(public_id, district)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    async with transaction(VotingObjection._meta.db):
        seal = await _seal_of(meeting)
        if seal["preliminary_at"] is None:
            raise Conflict("voting_objection_no_preliminary")
        if seal["announced_at"] is not None:
            raise Conflict("voting_objection_after_final")
        start = local_time(seal["preliminary_at"], profile).date()
        until = seal["objections_until"]
        if not start <= data.received_on <= until:
            raise BadRequest(
                "voting_objection_out_of_period", start=people_date(start), until=people_date(until)
            )
        if data.received_on > await district_today(district, profile):
            raise BadRequest("voting_objection_future", day=people_date(data.received_on))
        last = (
            await VotingObjection.select(VotingObjection.number)
            .where(VotingObjection.meeting == meeting["id"])
            .order_by(VotingObjection.number, ascending=False)
            .first()
        )
        number = (last["number"] if last else 0) + 1
        await VotingObjection.insert(
            VotingObjection(
                meeting=meeting["id"],
                number=number,
                received_on=data.received_on,
                submitted_by=data.submitted_by.strip(),
                unit=data.unit.strip(),
                content=data.content.strip(),
                recorded_by=actor,
                recorded_at=(await district_now(district)),
            )
        )
        await record_audit(
            actor,
            "voting.objection_record",
            district=district.slug,
            target=public_id,
            details={
                "number": number,
                "received_on": data.received_on.isoformat(),
                "unit": data.unit.strip(),
            },
        )
    return {"meeting": public_id, "number": number}


async def answer_objection(
    runtime: Runtime, district: DistrictInfo, public_id: str, number: int, actor: str, data: ObjectionAnswerIn
) -> dict[str, Any]:
    """The answer to objection ``number``, once (a second answer is refused: the first was given to
    the owner); audited."""
    meeting = await get_meeting(public_id, district)
    async with transaction(VotingObjection._meta.db):
        row = (
            await VotingObjection.select()
            .where((VotingObjection.meeting == meeting["id"]) & (VotingObjection.number == number))
            .first()
        )
        if row is None:
            raise NotFound("voting_objection_not_found", number=number)
        if row["answered_at"] is not None:
            raise Conflict("voting_objection_answered", number=number)
        now = await district_now(district)
        await VotingObjection.update(
            {
                VotingObjection.answer: data.answer.strip(),
                VotingObjection.answered_by: actor,
                VotingObjection.answered_at: now,
            }
        ).where((VotingObjection.id == row["id"]) & VotingObjection.answered_at.is_null())
        await record_audit(
            actor,
            "voting.objection_answer",
            district=district.slug,
            target=public_id,
            details={"number": number},
        )
    return {"meeting": public_id, "number": number, "answered": True}


async def final_announced(meeting: dict[str, Any]) -> bool:
    seal = await VotingSeal.select(VotingSeal.announced_at).where(VotingSeal.meeting == meeting["id"]).first()
    return bool(seal and seal["announced_at"])


async def phase_status(runtime: Runtime, meeting: dict[str, Any]) -> dict[str, Any] | None:
    """The preliminary phase for the console and the board: None before the seal or without one."""
    seal = await VotingSeal.select().where(VotingSeal.meeting == meeting["id"]).first()
    if seal is None or seal["preliminary_at"] is None:
        return None
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    rows = await objections(meeting["id"])
    until = seal["objections_until"]
    return {
        "issued_on": local_time(seal["preliminary_at"], profile).date().isoformat(),
        "until": until.isoformat(),
        "until_local": people_date(until),
        "open": await district_today(meeting["district"], profile) <= until,
        "final": seal["announced_at"] is not None,  #: the final announcement issued
        "objections": [
            {
                "number": r["number"],
                "received_on_local": people_date(r["received_on"]),
                "submitted_by": r["submitted_by"],
                "unit": r["unit"],
                "content": r["content"],
                "answer": r["answer"],
                "answered": r["answered_at"] is not None,
            }
            for r in rows
        ],
        "unanswered": sum(1 for r in rows if r["answered_at"] is None),
    }


async def extend_voting(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    data: ExtendIn,
) -> dict[str, Any]:
    """Extend an open vote (participation short): a later close and count day, a reason; the cast
    path reads the new close at once. Refused after the close, or to an earlier time; audited."""
    from plugins.voting.services.cast import forget_context

    now = await district_now(district)
    meeting = await get_meeting(public_id, district)
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    closes = data.voting_closes
    if closes.tzinfo is None:
        from zoneinfo import ZoneInfo

        closes = closes.replace(tzinfo=ZoneInfo(profile.timezone))
    async with transaction(VotingMeeting._meta.db):
        row = await get_meeting(public_id, district)  # under the write
        if row["status"] != "open" or now >= row["voting_closes"]:
            raise Conflict("voting_extend_not_open")
        if closes <= row["voting_closes"]:
            raise BadRequest("voting_extend_not_later", closes=people_time(row["voting_closes"], profile))
        if data.count_date < local_time(closes, profile).date():
            raise BadRequest("voting_extend_count_before_close")
        await VotingMeeting.update(
            {VotingMeeting.voting_closes: closes.astimezone(UTC), VotingMeeting.count_date: data.count_date}
        ).where(VotingMeeting.id == row["id"])
        await VotingExtension.insert(
            VotingExtension(
                meeting=row["id"],
                old_closes=row["voting_closes"],
                new_closes=closes.astimezone(UTC),
                old_count_date=row["count_date"],
                new_count_date=data.count_date,
                reason=data.reason.strip(),
                extended_by=actor,
                extended_at=now,
            )
        )
        await record_audit(
            actor,
            "voting.meeting_extend",
            district=district.slug,
            target=public_id,
            details={
                "from": row["voting_closes"].astimezone(UTC).isoformat(),
                "to": closes.astimezone(UTC).isoformat(),
                "count_date": data.count_date.isoformat(),
                "reason": data.reason.strip(),
            },
        )
    forget_context(public_id)
    return {
        "meeting": public_id,
        "voting_closes": closes.isoformat(),
        "count_date": data.count_date.isoformat(),
    }


async def extension_document(runtime: Runtime, district: DistrictInfo, public_id: str, actor: str) -> bytes:
    """The extension notice (延期公告) of the meeting's latest extension: the turnout so far against
    the quorum, the new close and count day, the reason."""
    meeting = await get_meeting(public_id, district)
    latest = (
        await VotingExtension.select()
        .where(VotingExtension.meeting == meeting["id"])
        .order_by(VotingExtension.id, ascending=False)
        .first()
    )
    if latest is None:
        raise Conflict("voting_extension_none")
    profile = runtime.jurisdictions.get(meeting["jurisdiction_code"])
    share = await turnout(meeting)
    old = local_time(latest["old_closes"], profile)
    new = local_time(latest["new_closes"], profile)
    from plugins.voting.messages import ANNOUNCEMENT_WORDS

    estate = await _estate_name(meeting)
    context = {
        "issuer": f"{estate}{ANNOUNCEMENT_WORDS['issuer_suffix']}",
        "meeting_title": meeting["title"],
        "old_closes_cn": chinese_moment(old),
        "new_closes_cn": chinese_moment(new),
        "count_date_cn": chinese_date(latest["new_count_date"]),
        "turnout": share["summary"],
        "reason": latest["reason"],
        "vote_url": f"{runtime.settings.base_url}/v/{public_id}",
        "date_cn": chinese_date(local_time(latest["extended_at"], profile).date()),
    }
    async with transaction(VotingExtension._meta.db):
        target = f"{public_id}-{latest['id']}"  # one number per extension
        context["doc_number"] = await document_number(
            district, EXTENSION_KIND, target, estate, profile, actor
        )
        docx = await render_document(
            "voting/extension.docx", context, pm=runtime.pm, district=district, jurisdiction=profile
        )
        await record_audit(
            actor,
            "voting.extension_notice",
            district=district.slug,
            target=public_id,
            details={
                "doc_number": context["doc_number"],
                "to": latest["new_closes"].astimezone(UTC).isoformat(),
            },
        )
    return docx


async def _estate_name(meeting: dict[str, Any]) -> str:
    from core import Estate

    row = await Estate.select(Estate.name).where(Estate.id == meeting["estate"]).first()
    return row["name"] if row else ""
