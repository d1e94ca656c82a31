"""The meeting console's forms, posted as a browser without JavaScript posts them: nothing
irreversible happens on the first POST (a confirmation panel stating what and how many), the second
(``confirmed=1``) acts; mass actions need the count typed; a draft can be edited and deleted, a
published meeting cannot; deliveries by building, the undelivered list and its export; a second
registration of a delivered sheet is a warning, not a second record."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from core.data.tables import AuditEntry
from core.testing import login, office_today
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.meetings import create_meeting, get_meeting, parse_meeting_file, publish_meeting
from plugins.voting.services.register import import_register
from plugins.voting.tables import VotingCredential, VotingDelivery, VotingMeeting, VotingMotion
from tests.plugins.voting.conftest import close_voting, encode, meeting_file, register_csv

TODAY = office_today()
SERIALS = ["0001-8", "0002-6", "0003-4", "0004-2"]  #: voters 1-3 live in building 1, voter 4 in 2


def state_of(page: str) -> str:
    found = re.search(r'name="confirm_state" value="([^"]+)"', page)
    assert found, "no confirmation panel"
    return found.group(1)


@pytest.fixture
async def draft(db, estate):
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    created = await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file())), "o")
    return created["meeting"]


@pytest.fixture
async def printed(db, estate):
    """A published meeting (its day today) with its four sheets printed, none delivered."""
    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    created = await create_meeting(
        db, estate, "E1", parse_meeting_file(encode(meeting_file(TODAY - timedelta(days=20)))), "o"
    )
    await publish_meeting(db, estate, created["meeting"], "officer", today=TODAY - timedelta(days=20))
    await print_ballots(db, estate, created["meeting"], "officer", workers=1)
    return created["meeting"]


@pytest.fixture
async def officer(client, staff_factory):
    await staff_factory("officer_a", "district_officer", "alpha")
    return await login(client, "officer_a")


async def test_publishing_asks_first_then_publishes(db, client, draft, officer):
    url = f"/d/alpha/voting/meetings/{draft}/console"
    page = await client.get(url)
    assert 'id="publish-form"' in page.text and "/console/publish" in page.text
    asked = await client.post(f"{url}/publish", data={"csrf_token": officer})
    assert asked.status_code == 200 and 'data-code="voting_publish"' in asked.text
    assert "冻结业主名册（7 套专有部分）" in asked.text and "不可撤销" in asked.text
    assert (await get_meeting(draft))["status"] == "draft"  # nothing yet
    done = await client.post(
        f"{url}/publish",
        data={"csrf_token": officer, "confirmed": "1", "confirm_state": state_of(asked.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=published")
    assert (await get_meeting(draft))["status"] == "published"
    # the same confirmed form sent again (a second click, Back + resend): its state is stale, nothing
    again = await client.post(
        f"{url}/publish",
        data={"csrf_token": officer, "confirmed": "1", "confirm_state": state_of(asked.text)},
    )
    assert again.status_code == 409 and "情况已有变化" in again.text


async def test_a_draft_is_edited_and_deleted_but_not_once_published(db, client, draft, officer):
    url = f"/d/alpha/voting/meetings/{draft}/console"
    edited = await client.post(
        f"{url}/edit",
        data={"csrf_token": officer, "title": "示范花园2027年临时业主大会会议", "location": "二号楼架空层"},
        follow_redirects=False,
    )
    assert edited.status_code == 303, edited.text
    row = await get_meeting(draft)
    assert row["title"] == "示范花园2027年临时业主大会会议" and row["location"] == "二号楼架空层"
    entry = await AuditEntry.select().where(AuditEntry.action == "voting.meeting_edit").first()
    assert entry and entry["target"] == draft
    # an illegal change comes back beside the form, nothing saved
    bad = await client.post(
        f"{url}/edit",
        data={"csrf_token": officer, "title": "x", "delivery_deadline": row["meeting_date"].isoformat()},
    )
    assert bad.status_code == 422 or bad.status_code == 400, bad.status_code
    assert 'id="edit-error"' in bad.text
    assert (await get_meeting(draft))["delivery_deadline"] == row["delivery_deadline"]
    # a meeting file replaces everything
    replaced = meeting_file(
        title="按会议文件修改的会议", motions=[{"title": "增设停车棚", "matter": "change_common_use"}]
    )
    upload = await client.post(
        f"{url}/edit",
        data={"csrf_token": officer},
        files={"meeting_file": ("meeting.json", encode(replaced), "application/json")},
        follow_redirects=False,
    )
    assert upload.status_code == 303, upload.text
    assert await VotingMotion.count().where(VotingMotion.meeting == row["id"]) == 1

    asked = await client.post(f"{url}/delete", data={"csrf_token": officer})
    assert asked.status_code == 200 and 'data-code="voting_delete_draft"' in asked.text
    assert "1 项表决事项" in asked.text and await VotingMeeting.exists().where(
        VotingMeeting.public_id == draft
    )
    gone = await client.post(
        f"{url}/delete",
        data={"csrf_token": officer, "confirmed": "1", "confirm_state": state_of(asked.text)},
        follow_redirects=False,
    )
    assert gone.status_code == 303 and gone.headers["location"] == "/d/alpha/voting/?done=deleted"
    assert not await VotingMeeting.exists().where(VotingMeeting.public_id == draft)
    assert await AuditEntry.exists().where(
        (AuditEntry.action == "voting.meeting_delete") & (AuditEntry.target == draft)
    )
    home = await client.get("/d/alpha/voting/?done=deleted")
    assert "草稿会议已删除" in home.text


async def test_a_published_meeting_cannot_be_edited_or_deleted(db, client, printed, officer):
    url = f"/d/alpha/voting/meetings/{printed}/console"
    for action, data in (("edit", {"title": "改名"}), ("delete", {"confirmed": "1"})):
        refused = await client.post(f"{url}/{action}", data={"csrf_token": officer, **data})
        assert refused.status_code == 409, (action, refused.status_code)
        assert "不能再修改或删除" in refused.text
    assert (await get_meeting(printed))["title"] != "改名"


async def test_reprinting_every_sheet_asks_for_the_count_typed(db, client, printed, officer):
    url = f"/d/alpha/voting/meetings/{printed}/console"
    asked = await client.post(f"{url}/ballots", data={"csrf_token": officer, "mode": "all"})
    assert asked.status_code == 200 and 'data-code="voting_reprint_all"' in asked.text
    assert "将作废 4 张原表决票并重新生成 4 张" in asked.text and "已送达的 0 张" in asked.text
    assert 'name="confirm_text"' in asked.text
    state = state_of(asked.text)
    before = await VotingCredential.count()
    wrong = await client.post(
        f"{url}/ballots",
        data={
            "csrf_token": officer,
            "mode": "all",
            "confirmed": "1",
            "confirm_state": state,
            "confirm_text": "3",
        },
    )
    assert wrong.status_code == 400 and 'id="confirm-error"' in wrong.text and "请输入“4”" in wrong.text
    assert await VotingCredential.count() == before  # nothing voided
    done = await client.post(
        f"{url}/ballots",
        data={
            "csrf_token": officer,
            "mode": "all",
            "confirmed": "1",
            "confirm_state": state,
            "confirm_text": "４",
        },
    )
    assert done.status_code == 200 and done.headers["content-type"].startswith("application/vnd.openxml")
    assert await VotingCredential.count() == before + 4
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 4
    # reissuing one sheet: a panel naming the voter, then the sheet
    one = await client.post(f"{url}/ballots", data={"csrf_token": officer, "mode": "one", "voter": "2"})
    assert 'data-code="voting_reissue"' in one.text and "第 2 号表决人（李四）" in one.text
    missing = await client.post(f"{url}/ballots", data={"csrf_token": officer, "mode": "one", "voter": "99"})
    assert missing.status_code == 404 and 'id="print-error"' in missing.text


async def test_revoking_several_sheets_needs_their_number_and_is_all_or_nothing(db, client, printed, officer):
    url = f"/d/alpha/voting/meetings/{printed}/console"
    single = await client.post(
        f"{url}/revocations", data={"csrf_token": officer, "serials": "0001-8", "reason": "遗失"}
    )
    assert 'data-code="voting_revoke"' in single.text and 'name="confirm_text"' not in single.text
    asked = await client.post(
        f"{url}/revocations",
        data={"csrf_token": officer, "serials": "0001-8、0002-6 0003-4", "reason": "被他人领走"},
    )
    assert 'data-code="voting_revoke_many"' in asked.text and "将作废 3 张表决票" in asked.text
    state = state_of(asked.text)
    form = {
        "csrf_token": officer,
        "serials": "0001-8、0002-6 0003-4",
        "reason": "被他人领走",
        "confirmed": "1",
    }
    wrong = await client.post(
        f"{url}/revocations", data={**form, "confirm_state": state, "confirm_text": "2"}
    )
    assert wrong.status_code == 400
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 0
    unknown = await client.post(
        f"{url}/revocations", data={"csrf_token": officer, "serials": "0001-8 9999-9", "reason": "x"}
    )
    assert unknown.status_code == 404 and 'id="revoke-error"' in unknown.text
    done = await client.post(
        f"{url}/revocations",
        data={**form, "confirm_state": state, "confirm_text": "3"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 3


async def test_delivery_by_building_the_undelivered_list_and_duplicates(db, client, printed, officer):
    url = f"/d/alpha/voting/meetings/{printed}/console"
    page = await client.get(url)
    assert 'id="undelivered"' in page.text and "未送达 <strong>4</strong> 张" in page.text
    building_2 = await client.get(f"{url}?building=2")
    assert "未送达 <strong>1</strong> 张" in building_2.text and "王五" in building_2.text

    form = {"csrf_token": officer, "building": "1", "method": "door", "delivered_on": TODAY.isoformat()}
    lacking = await client.post(f"{url}/deliveries/building", data={**form, "witness_1": "王某"})
    assert lacking.status_code == 400 and 'id="batch-error"' in lacking.text and "两名" in lacking.text
    form |= {"witness_1": "居委会王某", "witness_2": "业主赵某"}
    asked = await client.post(f"{url}/deliveries/building", data=form)
    assert asked.status_code == 200 and 'data-code="voting_delivery_batch"' in asked.text
    assert "“1”的 3 张未送达表决票" in asked.text
    assert await VotingDelivery.count() == 0
    done = await client.post(
        f"{url}/deliveries/building",
        data={**form, "confirmed": "1", "confirm_state": state_of(asked.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert await VotingDelivery.count() == 3
    batch = await AuditEntry.select().where(AuditEntry.action == "voting.delivery_batch").first()
    assert batch and batch["target"] == printed
    empty = await client.post(f"{url}/deliveries/building", data=form)
    assert empty.status_code == 409 and "没有未送达" in empty.text

    export = await client.get(f"/d/alpha/voting/meetings/{printed}/undelivered.xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("表决人序号", "表决票编号", "楼栋") and [r[1] for r in rows[1:]] == ["0004-2"]

    # the single form: a sheet already delivered is a warning with the record, not a second record
    single = {
        "csrf_token": officer,
        "serial": "0001-8",
        "method": "in_person",
        "delivered_on": TODAY.isoformat(),
    }
    dup = await client.post(f"{url}/deliveries", data={**single, "received_by": "张三"})
    assert dup.status_code == 409 and 'data-code="voting_delivery_duplicate"' in dup.text
    assert "该表决票已于" in dup.text and "见证人 居委会王某、业主赵某" in dup.text
    assert "登记人 Officer" in dup.text and "staff:" not in dup.text  # who, by name
    assert await VotingDelivery.count() == 3
    corrected = await client.post(
        f"{url}/deliveries",
        data={**single, "received_by": "张三", "confirmed": "1", "confirm_state": state_of(dup.text)},
        follow_redirects=False,
    )
    assert corrected.status_code == 303 and "done=corrected" in corrected.headers["location"]
    assert await VotingDelivery.count() == 3
    assert await AuditEntry.exists().where(AuditEntry.action == "voting.delivery_correct")
    new = await client.post(
        f"{url}/deliveries",
        data={**single, "serial": "0004-2", "received_by": "王五"},
        follow_redirects=False,
    )
    assert new.status_code == 303 and await VotingDelivery.count() == 4


async def test_opening_and_sealing_ask_first(db, client, printed, officer):
    url = f"/d/alpha/voting/meetings/{printed}/console"
    refused = await client.post(f"{url}/open", data={"csrf_token": officer})
    assert refused.status_code == 409 and 'id="open-error"' in refused.text  # 4 undelivered, no reason
    asked = await client.post(
        f"{url}/open", data={"csrf_token": officer, "override_reason": "业主外出，已电话告知"}
    )
    assert 'data-code="voting_open"' in asked.text and "尚有 4 张表决票未送达" in asked.text
    assert (await get_meeting(printed))["status"] == "published"
    opened = await client.post(
        f"{url}/open",
        data={
            "csrf_token": officer,
            "override_reason": "业主外出，已电话告知",
            "confirmed": "1",
            "confirm_state": state_of(asked.text),
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303 and (await get_meeting(printed))["status"] == "open"
    early = await client.post(f"{url}/seal", data={"csrf_token": officer})
    assert early.status_code == 409 and 'id="seal-error"' in early.text  # voting not closed: said first
    await close_voting({"id": printed})
    seal = await client.post(f"{url}/seal", data={"csrf_token": officer})
    assert 'data-code="voting_seal"' in seal.text and "网上表决票 0 张" in seal.text
    assert (await get_meeting(printed))["status"] == "open"
    sealed = await client.post(
        f"{url}/seal",
        data={"csrf_token": officer, "confirmed": "1", "confirm_state": state_of(seal.text)},
        follow_redirects=False,
    )
    assert sealed.status_code == 303 and (await get_meeting(printed))["status"] == "sealed"


async def test_the_json_api_stays_one_step(db, client, printed, officer):
    response = await client.post(
        f"/d/alpha/voting/meetings/{printed}/ballots",
        json={"reprint_all": True},
        headers={"x-csrf-token": officer},
    )
    assert response.status_code == 200
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 4
