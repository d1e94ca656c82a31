"""The result in phases (#18 point 2): a preliminary result notice opens the objection period
(询异期, the profile's days); objections are recorded in the period and answered; the final
announcement waits for the period's end and every answer, and says how it went; an open vote whose
participation is short is extended, with its notice (延期公告). Each step audited; another district's
staff reach none of it."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from docx import Document

from core.data.tables import AuditEntry
from core.testing import login, office_today
from plugins.voting.services.seal import seal_meeting
from plugins.voting.tables import VotingMeeting, VotingSeal


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


async def actions(prefix: str) -> list[str]:
    rows = (
        await AuditEntry.select(AuditEntry.action)
        .where(AuditEntry.action.like(f"{prefix}%"))
        .order_by(AuditEntry.id)
    )
    return [r["action"] for r in rows]


async def test_preliminary_result_objections_answered_then_the_final_announcement(
    db, client, voted, staff_factory
):
    from core.district_services import add_district, add_estate

    await staff_factory("member", "committee_member", "alpha", "E1")
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    csrf = await login(client, "member")
    base = f"/d/alpha/voting/meetings/{voted['id']}"
    headers = {"X-CSRF-Token": csrf}
    assert (await client.get(f"{base}/objections")).json()["phase"] is None

    preliminary = await client.get(f"{base}/preliminary.docx")
    assert preliminary.status_code == 200, preliminary.text
    today = office_today()
    until = today + timedelta(days=3)  # national: 3 calendar days (UNCONFIRMED, the platform's default)
    text = text_of(preliminary.content)
    assert "表决初步统计结果公示" in text and "现将初步统计结果公示如下" in text
    from core import chinese_date

    assert f"公示期自{chinese_date(today)}起至{chinese_date(until)}止（3日，依据：" in text
    final = await client.get(f"{base}/result.docx")
    assert final.status_code == 409 and final.json()["code"] == "voting_final_in_objection_period"

    objection = {
        "received_on": today.isoformat(),
        "submitted_by": "王五",
        "unit": "2-101",
        "content": "我的纸质票未计入",
    }
    recorded = await client.post(f"{base}/objections", json=objection, headers=headers)
    assert recorded.status_code == 201 and recorded.json()["number"] == 1
    early = {**objection, "received_on": (today - timedelta(days=1)).isoformat()}
    refused = await client.post(f"{base}/objections", json=early, headers=headers)
    assert refused.status_code == 400 and refused.json()["code"] == "voting_objection_out_of_period"
    blank = await client.post(f"{base}/objections", json={**objection, "content": ""}, headers=headers)
    assert blank.status_code == 400 and blank.json()["code"] == "validation_failed"
    assert (
        "content" in blank.json()["message"]
    )  # the field named, nothing stored (number 1 stays the only one)
    phase = (await client.get(f"{base}/objections")).json()["phase"]
    assert phase["until"] == until.isoformat() and phase["open"] and phase["unanswered"] == 1
    assert phase["objections"][0]["content"] == "我的纸质票未计入"

    # the period ends (its last day was yesterday): the unanswered objection still holds the result
    await VotingSeal.update({VotingSeal.objections_until: today - timedelta(days=1)}).where(
        VotingSeal.meeting
        == (
            await VotingMeeting.select(VotingMeeting.id).where(VotingMeeting.public_id == voted["id"]).first()
        )["id"]
    )
    held = await client.get(f"{base}/result.docx")
    assert held.status_code == 409 and held.json()["code"] == "voting_final_objections_open"
    assert "第 1 件" in held.json()["message"]
    answer = {"answer": "经核对，该纸质表决票已于计票日录入并计入，详见表决记录。"}
    answered = await client.post(f"{base}/objections/1/answer", json=answer, headers=headers)
    assert answered.status_code == 200 and answered.json()["answered"] is True
    again = await client.post(f"{base}/objections/1/answer", json=answer, headers=headers)
    assert again.status_code == 409 and again.json()["code"] == "voting_objection_answered"
    missing = await client.post(f"{base}/objections/9/answer", json=answer, headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "voting_objection_not_found"

    final = await client.get(f"{base}/result.docx")
    assert final.status_code == 200, final.text
    assert "公示期内共收到异议 1 件，均已答复。" in text_of(final.content)
    late = await client.post(f"{base}/objections", json=objection, headers=headers)
    assert late.status_code == 409  # after the final announcement
    assert await actions("voting.objection") == ["voting.objection_record", "voting.objection_answer"]
    assert await actions("voting.result_") == ["voting.result_preliminary", "voting.result_announce"]

    # another district's officer reaches none of it
    beta = await add_district(db, "test", "beta", "乙街道")
    await add_estate(db, "test", beta, "B1", "乙小区")
    await staff_factory("officer_b", "district_officer", "beta")
    await client.post("/logout", headers=headers)
    other = await login(client, "officer_b")
    assert (await client.get(f"{base}/preliminary.docx")).status_code in (403, 404)
    assert (
        await client.post(f"{base}/objections", json=objection, headers={"X-CSRF-Token": other})
    ).status_code in (
        403,
        404,
    )


async def test_a_final_announcement_straight_after_the_seal_needs_no_preliminary(
    db, client, voted, staff_factory
):
    await staff_factory("member", "committee_member", "alpha", "E1")
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    csrf = await login(client, "member")
    base = f"/d/alpha/voting/meetings/{voted['id']}"
    final = await client.get(f"{base}/result.docx")
    assert final.status_code == 200 and "公示期" not in text_of(final.content)
    after = await client.get(f"{base}/preliminary.docx")
    assert after.status_code == 409 and after.json()["code"] == "voting_preliminary_after_final"
    objection = {"received_on": office_today().isoformat(), "submitted_by": "王五", "content": "异议"}
    refused = await client.post(f"{base}/objections", json=objection, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 409 and refused.json()["code"] == "voting_objection_no_preliminary"


async def test_an_open_vote_is_extended_with_its_notice(db, client, open_meeting, staff_factory):
    from tests.plugins.voting.conftest import close_voting

    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    headers = {"X-CSRF-Token": csrf}
    base = f"/d/alpha/voting/meetings/{open_meeting['id']}"
    info = (await client.get(f"/v/{open_meeting['id']}/info")).json()
    none = await client.get(f"{base}/extension.docx")
    assert none.status_code == 409 and none.json()["code"] == "voting_extension_none"
    from datetime import datetime

    closes = datetime.fromisoformat(info["voting_closes"])
    earlier = {
        "voting_closes": (closes - timedelta(days=1)).isoformat(),
        "count_date": closes.date().isoformat(),
        "reason": "参与表决人数不足",
    }
    refused = await client.post(f"{base}/extend", json=earlier, headers=headers)
    assert refused.status_code == 400 and refused.json()["code"] == "voting_extend_not_later"
    later = closes + timedelta(days=7)
    bad_count = {**earlier, "voting_closes": later.isoformat()}
    refused = await client.post(f"{base}/extend", json=bad_count, headers=headers)
    assert refused.status_code == 400 and refused.json()["code"] == "voting_extend_count_before_close"
    good = {**bad_count, "count_date": (later.date() + timedelta(days=1)).isoformat()}
    extended = await client.post(f"{base}/extend", json=good, headers=headers)
    assert extended.status_code == 200, extended.text
    moved = (await client.get(f"/v/{open_meeting['id']}/info")).json()
    assert datetime.fromisoformat(moved["voting_closes"]) == later
    notice = await client.get(f"{base}/extension.docx")
    assert notice.status_code == 200
    words = text_of(notice.content)
    assert (
        "延长表决期限的公告" in words
        and "因参与表决人数不足" in words
        and "已投票的业主无需重新投票" in words
    )
    audit = await AuditEntry.select(AuditEntry.details).where(AuditEntry.action == "voting.meeting_extend")
    assert len(audit) == 1 and json.loads(audit[0]["details"])["reason"] == "参与表决人数不足"

    await close_voting(open_meeting)
    closed = await client.post(f"{base}/extend", json=good, headers=headers)
    assert closed.status_code == 409 and closed.json()["code"] == "voting_extend_not_open"


async def test_heads_signed_before_an_extension_still_verify_against_the_sealed_record(
    db, open_meeting, tmp_path
):
    """The record's meeting section lists the vote's extensions; a head signed before one is checked
    against the meeting as it stood then (the old close and count day), so the sealed bundle verifies
    with every head — and a head after the extension signs the new close."""
    import asyncio
    from datetime import UTC, datetime

    from plugins.voting.protocol.verifier import verify_bundle
    from plugins.voting.schemas import ExtendIn
    from plugins.voting.services.heads import sign_head
    from plugins.voting.services.result_phases import extend_voting
    from plugins.voting.services.seal import export_bundle
    from tests.plugins.voting.conftest import forget_heads

    estate, public_id = open_meeting["estate"], open_meeting["id"]
    start = datetime.now(UTC)
    await VotingMeeting.update({VotingMeeting.voting_closes: start + timedelta(seconds=5)}).where(
        VotingMeeting.public_id == public_id
    )
    await forget_heads(public_id)  # signed with the fixture's deadline, which a real meeting keeps
    await sign_head(db, estate, public_id, "officer")
    new_close = start + timedelta(seconds=7)
    data = ExtendIn(
        voting_closes=new_close, count_date=office_today() + timedelta(days=1), reason="参与人数不足"
    )
    await extend_voting(db, estate, public_id, "officer", data)
    await sign_head(db, estate, public_id, "officer", clock=lambda: datetime.now(UTC) + timedelta(seconds=40))
    await asyncio.sleep(max(0.0, (new_close - datetime.now(UTC)).total_seconds()) + 0.3)
    await seal_meeting(db, estate, public_id, "officer")
    bundle = tmp_path / "final.zip"
    bundle.write_bytes(await export_bundle(db, public_id))
    report = verify_bundle(bundle, workers=1)
    assert report.ok, report.discrepancies
    import zipfile

    record = json.loads(zipfile.ZipFile(bundle).read("record.json"))
    (extension,) = record["meeting"]["extensions"]
    assert extension["reason"] == "参与人数不足" and extension["to"] == record["meeting"]["voting_closes"]
    heads = json.loads(zipfile.ZipFile(bundle).read("heads.json"))
    assert len(heads) >= 2


async def test_the_console_shows_the_objection_period_and_holds_the_final_button(
    db, client, voted, staff_factory
):
    await staff_factory("member", "committee_member", "alpha", "E1")
    await seal_meeting(db, voted["estate"], voted["id"], "officer")
    csrf = await login(client, "member")
    base = f"/d/alpha/voting/meetings/{voted['id']}"
    page = (await client.get(f"{base}/console")).text
    assert "发布初步统计结果公示（开始询异期）" in page and 'id="announce"' in page
    assert (await client.get(f"{base}/preliminary.docx")).status_code == 200
    objection = {"received_on": office_today().isoformat(), "submitted_by": "王五", "content": "面积有误"}
    await client.post(f"{base}/objections", json=objection, headers={"X-CSRF-Token": csrf})
    page = (await client.get(f"{base}/console")).text
    assert 'id="phase"' in page and "面积有误" in page and 'class="answer-form" data-number="1"' in page
    assert 'id="announce-wait"' in page and 'id="announce"' not in page
    board = (await client.get("/d/alpha")).text  # the morning board: the final result is due after the period
    assert "公告最终表决结果（初步结果公示期满）" in board and "异议 1 件，未答复 1 件" in board
    assert "公告表决结果" not in board.replace("公告最终表决结果", "")
