"""Rehearsal (演练): an office runs a whole meeting — notice, delivery, the vote, the count, the seal and
the result — in a training district whose clock it moves, as it would over six weeks; everything it
produces says 演练, the sealed record carries ``meeting.rehearsal`` and ``wuye verify`` says so first.
A production district's clock cannot be moved, and its records never carry the mark."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from core.clock import set_district_clock
from core.errors import Conflict
from core.testing import login, wuye_command, wuye_env
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.announcement import announcement_document
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.delivery import open_voting, record_delivery
from plugins.voting.services.meetings import create_meeting, get_meeting, parse_meeting_file, publish_meeting
from plugins.voting.services.paper import PaperEntry
from plugins.voting.services.register import import_register
from plugins.voting.services.seal import export_bundle, record_text, seal_meeting, sealed
from plugins.voting.tables import VotingBallot, VotingVoter
from tests.plugins.voting.conftest import (
    clock_at,
    encode,
    enter_confirmed,
    make_ballot,
    meeting_file,
    meeting_handle,
    post,
    register_csv,
    signed,
    vote_online,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE = date(2027, 3, 1)  # a meeting months ahead: only the district's clock brings it about


async def published_on_its_notice_day(db, district):
    """A meeting of ``district`` (a training district) published and printed on its notice day, by the
    district's clock: its public id, its row and what printing issued."""
    await import_register(district, "E1", register_csv(), "r.csv", "officer")
    created = await create_meeting(db, district, "E1", parse_meeting_file(encode(meeting_file(NOTICE))), "o")
    public_id = created["meeting"]
    await clock_at(db, district, NOTICE)
    await publish_meeting(db, district, public_id, "officer")
    printed = await print_ballots(db, district, public_id, "officer", workers=1)
    return public_id, await get_meeting(public_id), printed


def document_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    return "\n".join(headers + [p.text for p in document.paragraphs])


async def test_a_whole_meeting_rehearsed_on_the_districts_clock(
    db, client, training, staff_factory, tmp_path
):
    district = training
    public_id, meeting, printed = await published_on_its_notice_day(db, district)  # the notice's day
    assert "演练" in document_text(printed.docx)  # every printed sheet says it is a rehearsal's
    # the sheets go out
    await clock_at(db, district, NOTICE + timedelta(days=4))
    for credential in printed.issued:
        await record_delivery(
            db,
            district,
            public_id,
            "o",
            serial=credential.serial,
            method="in_person",
            delivered_on=NOTICE + timedelta(days=4),
            received_by="本人",
        )
    # the meeting day: the vote opens, owners vote online
    await clock_at(db, district, meeting["meeting_date"])
    assert (await open_voting(db, district, public_id, "officer"))["status"] == "open"
    m = await meeting_handle(district, public_id, printed)
    page = await client.get(f"/v/{public_id}/")
    assert page.status_code == 200 and "演练环境" in page.text
    await vote_online(client, m)
    received = [r["received_at"] for r in await VotingBallot.select(VotingBallot.received_at)]
    assert all(r.astimezone(SHANGHAI).date() == meeting["meeting_date"] for r in received)

    # the officer's console says 演练 with the clock it is set to
    await staff_factory("officer_a", "district_officer", "alpha")
    await login(client, "officer_a")
    console = await client.get(f"/d/alpha/voting/meetings/{public_id}/console")
    assert console.status_code == 200 and "演练环境" in console.text and "时钟已设为" in console.text

    # past the close: a late ballot is refused, the paper sheets are counted and the board sealed
    closes = meeting["voting_closes"]
    await set_district_clock(db, "test", district, closes + timedelta(minutes=30))
    seed = m["seeds"][3]
    late = await post(client, m, signed(m, seed, make_ballot(m, seed)))
    assert late.status_code == 409 and late.json()["code"] == "voting_cast_closed"
    serials = [
        r["serial"] for r in await VotingVoter.select(VotingVoter.serial).order_by(VotingVoter.voter_no)
    ]
    await enter_confirmed(  # the scrutineer signs in to the count and confirms the sheet (§8.2)
        db, district, public_id, "counter", [PaperEntry(serials[2], {1: "同意", 2: "同意", 3: "赵一"})]
    )
    await clock_at(db, district, meeting["count_date"])
    result = await seal_meeting(db, district, public_id, "officer")
    assert result["counts"]["ballots"] == 2 and result["counts"]["paper"] == 1

    record = json.loads(await record_text(db, await sealed(public_id)))
    assert record["meeting"]["rehearsal"] is True
    sealed_at = datetime.fromisoformat(record["meeting"]["sealed_at"].replace("Z", "+00:00"))
    assert sealed_at.astimezone(SHANGHAI).date() == meeting["count_date"]
    announcement = await announcement_document(db, district, public_id, "officer")
    assert "演练" in document_text(announcement)
    public_page = await client.get(f"/verify/{public_id}")
    assert public_page.status_code == 200 and "演练环境" in public_page.text

    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(await export_bundle(db, public_id))
    report = verify_bundle(bundle, workers=1)
    assert report.ok, report.discrepancies
    assert report.rehearsal and report.to_dict()["rehearsal"] is True
    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    said = wuye_command("verify", str(bundle), env=env)
    assert said.stdout.startswith("【演练】") and "全部核验通过" in said.stdout


async def test_a_production_district_refuses_the_clock_and_its_record_is_not_a_rehearsal(db, voted):
    from plugins.voting.services.seal import seal_meeting as seal

    district = voted["estate"]
    assert not district.training
    with pytest.raises(Conflict) as refused:
        await set_district_clock(db, "test", district, datetime.combine(NOTICE, time(9), tzinfo=SHANGHAI))
    assert refused.value.code == "clock_production"
    await seal(db, district, voted["id"], "officer")
    record = json.loads(await record_text(db, await sealed(voted["id"])))
    assert "rehearsal" not in record["meeting"]


async def test_a_rehearsal_mark_other_than_true_is_a_discrepancy(db, training, tmp_path):
    """Only ``true`` is written; anything else in ``meeting.rehearsal`` is reported, never ignored."""
    from tests.plugins.voting.test_seal import rewrite  # the tampering helper of the seal tests

    district = training
    public_id, meeting, _ = await published_on_its_notice_day(db, district)
    await clock_at(db, district, meeting["meeting_date"])
    await open_voting(db, district, public_id, "officer", "演练：未送达")
    await clock_at(db, district, meeting["count_date"])
    await seal_meeting(db, district, public_id, "officer")
    bundle = await export_bundle(db, public_id)

    def unmark(record, seal):
        record["meeting"]["rehearsal"] = False

    path = tmp_path / "unmarked.zip"
    path.write_bytes(rewrite(bundle, unmark))
    codes = [d["code"] for d in verify_bundle(path, workers=1).discrepancies]
    assert "rehearsal_bad_value" in codes
