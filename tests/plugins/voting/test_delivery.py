"""Delivery records, deadline warnings, the notice and delivery-list documents, opening the vote."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document

from core.data.tables import AuditEntry
from core.errors import WuyeError
from core.testing import login, office_today
from plugins.voting.protocol.rules import timetable_warnings
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.delivery import (
    delivery_list_document,
    notice_document,
    open_voting,
    record_delivery,
    warnings_for,
)
from plugins.voting.services.meetings import create_meeting, get_meeting, parse_meeting_file, publish_meeting
from plugins.voting.services.register import import_register
from plugins.voting.tables import VotingMeeting
from tests.plugins.voting.conftest import clock_at, encode, meeting_file, register_csv

TODAY = office_today()
SERIALS = ["0001-8", "0002-6", "0003-4", "0004-2"]


def doc_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
async def meeting(db, estate):
    """A meeting whose day is today (published 20 days ago), with its sheets printed."""
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    created = await create_meeting(
        db, estate, "E1", parse_meeting_file(encode(meeting_file(TODAY - timedelta(days=20)))), "o"
    )
    await publish_meeting(db, estate, created["meeting"], "officer", today=TODAY - timedelta(days=20))
    await print_ballots(db, estate, created["meeting"], "officer", workers=1)
    return created["meeting"]


async def deliver_all(runtime, estate, meeting, serials=SERIALS, delivered_on: date | None = None):
    for serial in serials:
        await record_delivery(
            runtime,
            estate,
            meeting,
            "officer",
            serial=serial,
            method="in_person",
            delivered_on=delivered_on or TODAY - timedelta(days=12),
            received_by="业主本人",
        )


async def test_delivery_rules(db, estate, meeting):
    day = TODAY - timedelta(days=12)
    with pytest.raises(WuyeError) as no_signature:
        await record_delivery(
            db, estate, meeting, "o", serial=SERIALS[0], method="in_person", delivered_on=day
        )
    assert no_signature.value.code == "voting_delivery_needs_signature"
    for witnesses in (("", ""), ("甲", ""), ("甲", "甲")):
        with pytest.raises(WuyeError) as bad:
            await record_delivery(
                db,
                estate,
                meeting,
                "o",
                serial=SERIALS[0],
                method="door",
                delivered_on=day,
                witness_1=witnesses[0],
                witness_2=witnesses[1],
            )
        assert bad.value.code == "voting_delivery_needs_witnesses"
    with pytest.raises(WuyeError) as serial:
        await record_delivery(
            db,
            estate,
            meeting,
            "o",
            serial="0001-9",
            method="door",
            delivered_on=day,
            witness_1="甲",
            witness_2="乙",
        )
    assert serial.value.code == "voting_delivery_bad_serial"
    tomorrow = office_today() + timedelta(days=1)  # the real clock now: a run may cross midnight
    with pytest.raises(WuyeError) as future:
        await record_delivery(
            db,
            estate,
            meeting,
            "o",
            serial=SERIALS[0],
            method="in_person",
            delivered_on=tomorrow,
            received_by="张三",
        )
    assert future.value.code == "voting_delivery_future"
    assert f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日" in future.value.message  # in words
    ok = await record_delivery(
        db,
        estate,
        meeting,
        "o",
        serial=SERIALS[0],
        method="door",
        delivered_on=day,
        witness_1="居委会王某",
        witness_2="业主李某",
    )
    assert ok["late"] is False
    late = await record_delivery(
        db,
        estate,
        meeting,
        "o",
        serial=SERIALS[1],
        method="in_person",
        delivered_on=TODAY - timedelta(days=2),
        received_by="李四",
    )
    assert late["late"] is True
    with pytest.raises(WuyeError) as again:  # a second registration of a delivered sheet: refused
        await record_delivery(
            db,
            estate,
            meeting,
            "o",
            serial=SERIALS[1],
            method="in_person",
            delivered_on=day,
            received_by="李四",
        )
    assert again.value.code == "voting_delivery_duplicate" and again.value.status_code == 409
    assert "已于" in again.value.message and "签收人 李四" in again.value.message
    corrected = await record_delivery(
        db,
        estate,
        meeting,
        "o",
        serial=SERIALS[1],
        method="in_person",
        delivered_on=day,
        received_by="李四",
        correct=True,
    )
    assert corrected["late"] is False
    assert await AuditEntry.count().where(AuditEntry.action == "voting.delivery_correct") == 1


async def test_opening_needs_every_delivery_or_an_audited_reason(db, estate, meeting):
    with pytest.raises(WuyeError) as blocked:
        await open_voting(db, estate, meeting, "officer")
    assert blocked.value.code == "voting_open_undelivered" and "4" in blocked.value.message
    await deliver_all(db, estate, meeting, SERIALS[:3])
    with pytest.raises(WuyeError):
        await open_voting(db, estate, meeting, "officer")
    opened = await open_voting(db, estate, meeting, "officer", "四号表决人长期在外，已电话告知并邮寄")
    assert opened["status"] == "open"
    row = await get_meeting(meeting)
    assert "长期在外" in row["delivery_override"]
    entry = await AuditEntry.select().where(AuditEntry.action == "voting.open_override").first()
    assert entry and '"undelivered":1' in entry["details"]
    with pytest.raises(WuyeError) as again:
        await open_voting(db, estate, meeting, "officer")
    assert again.value.code == "voting_open_not_published"


async def test_opening_with_everything_delivered_and_not_before_the_day(db, training):
    """On the district's clock (a training district's, set the day before the meeting and then on it)."""
    await import_register(training, "E1", register_csv(), "r.csv", "officer")
    created = await create_meeting(db, training, "E1", parse_meeting_file(encode(meeting_file(TODAY))), "o")
    meeting = created["meeting"]
    await publish_meeting(db, training, meeting, "officer")
    await print_ballots(db, training, meeting, "officer", workers=1)
    meeting_day = (await get_meeting(meeting))["meeting_date"]
    await clock_at(db, training, meeting_day - timedelta(days=12))
    await deliver_all(db, training, meeting, delivered_on=meeting_day - timedelta(days=12))
    await clock_at(db, training, meeting_day - timedelta(days=1), hour=23)
    with pytest.raises(WuyeError) as early:
        await open_voting(db, training, meeting, "officer")
    assert early.value.code == "voting_open_too_early"
    assert "年" in early.value.message and "-" not in early.value.message  # the day in words, not ISO
    await clock_at(db, training, meeting_day)
    assert (await open_voting(db, training, meeting, "officer"))["status"] == "open"
    assert await AuditEntry.count().where(AuditEntry.action == "voting.open") == 1


def test_warnings_before_deadlines():
    common = {
        "notice_date": date(2026, 12, 1),
        "delivery_deadline": date(2026, 12, 11),
        "meeting_date": date(2026, 12, 21),
        "voters": 10,
    }
    none = timetable_warnings(today=date(2026, 12, 5), printed=10, delivered=10, **common)
    assert none == []
    soon = timetable_warnings(today=date(2026, 12, 8), printed=10, delivered=7, **common)
    assert [(w.level, w.code, w.values["count"], w.values["days"]) for w in soon] == [
        ("warning", "voting_warn_delivery_soon", 3, 3)
    ]
    late = timetable_warnings(today=date(2026, 12, 12), printed=9, delivered=7, **common)
    assert [w.code for w in late] == ["voting_warn_not_printed", "voting_warn_delivery_overdue"]
    early = timetable_warnings(today=date(2026, 11, 30), printed=0, delivered=0, **common)
    assert "voting_warn_notice_pending" in [w.code for w in early]


async def test_console_shows_overdue_warnings(db, estate, meeting, client, staff_factory):
    await VotingMeeting.update({VotingMeeting.delivery_deadline: TODAY - timedelta(days=1)}).where(
        VotingMeeting.public_id == meeting
    )
    warnings = await warnings_for(db, await get_meeting(meeting))
    assert [w["code"] for w in warnings] == ["voting_warn_delivery_overdue"]
    await staff_factory("officer_a", "district_officer", "alpha")
    await login(client, "officer_a")
    page = await client.get(f"/d/alpha/voting/meetings/{meeting}/console")
    assert page.status_code == 200 and "尚有 4 户未送达" in page.text


async def test_notice_and_delivery_list_documents(db, estate, meeting, client, staff_factory):
    await deliver_all(db, estate, meeting, SERIALS[:2])
    notice = doc_text(await notice_document(db, estate, meeting))
    row = await get_meeting(meeting)
    assert row["register_digest"] in notice
    from plugins.voting.services.keys import meeting_key

    assert (await meeting_key(db, row["id"]))[1] in notice  # receipts and the seal are checked against it
    assert "续聘示范物业管理有限公司" in notice and "参与表决数的过半数" in notice
    assert "周监票" in notice and "吴计票" in notice and "郑唱票" in notice
    assert "赵一、钱二、孙三（应选 2 名）" in notice
    listing = doc_text(await delivery_list_document(db, estate, meeting))
    assert "已送达 2 户，共 4 户" in listing and listing.count("未送达") == 2
    await staff_factory("officer_a", "district_officer", "alpha")
    await login(client, "officer_a")
    download = await client.get(f"/d/alpha/voting/meetings/{meeting}/notice.docx")
    assert download.status_code == 200 and download.headers["content-type"].startswith(
        "application/vnd.openxml"
    )
    assert "filename*=UTF-8''" in download.headers["content-disposition"]


async def test_delivery_and_open_over_http(db, estate, meeting, client, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    csrf = await login(client, "officer_a")
    headers = {"x-csrf-token": csrf}
    url = f"/d/alpha/voting/meetings/{meeting}"
    bad = await client.post(
        f"{url}/deliveries",
        json={"serial": "0001-8", "method": "door", "delivered_on": TODAY.isoformat()},
        headers=headers,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "voting_delivery_needs_witnesses"
    for serial in SERIALS:
        ok = await client.post(
            f"{url}/deliveries",
            json={
                "serial": serial,
                "method": "in_person",
                "delivered_on": TODAY.isoformat(),
                "received_by": "本人",
            },
            headers=headers,
        )
        assert ok.status_code == 201, ok.text
    opened = await client.post(f"{url}/open", json={}, headers=headers)
    assert opened.status_code == 200 and opened.json()["status"] == "open"


async def test_the_notice_converts_with_libreoffice(db, estate, meeting, tmp_path):
    import subprocess

    from core.documents.render import docx_to_pdf
    from core.testing import require_tool

    require_tool("soffice", "libreoffice")
    pdftotext = require_tool("pdftotext")
    pdf = docx_to_pdf(await notice_document(db, estate, meeting), tmp_path)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "公告" in text and "续聘示范物业管理" in text.replace("\n", "")
