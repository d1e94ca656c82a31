"""Paper ballots at the count, revocation and reissue: in the console (HTTP) and as count sheets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from core.data.tables import AuditEntry
from core.testing import login
from plugins.voting.protocol.credentials import fragment_to_seed
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.paper import PaperEntry
from plugins.voting.tables import VotingCredential, VotingMeeting, VotingPaperBallot, VotingVoter
from tests.plugins.voting.conftest import PASSPHRASE, enter_confirmed, make_ballot, post, signed

#: every test here enters paper sheets confirmed by 周监票, who has signed in to the count
pytestmark = pytest.mark.usefixtures("scrutineer_key")

CHOICES = {"1": "同意", "2": "反对", "3": "赵一、孙三"}


async def close_voting(meeting: dict) -> None:
    """The voting window ends (the count happens after it)."""
    await VotingMeeting.update({VotingMeeting.voting_closes: datetime.now(UTC) - timedelta(minutes=1)}).where(
        VotingMeeting.public_id == meeting["id"]
    )


async def serials(meeting: dict) -> list[str]:
    rows = await VotingVoter.select(VotingVoter.serial).order_by(VotingVoter.voter_no)
    return [r["serial"] for r in rows]


@pytest.fixture
async def counter(client, staff_factory):
    await staff_factory("counter_a", "district_officer", "alpha")
    return await login(client, "counter_a")


def url(meeting: dict, tail: str) -> str:
    return f"/d/alpha/voting/meetings/{meeting['id']}/{tail}"


async def test_a_paper_sheet_is_entered_with_counter_and_scrutineer(db, client, open_meeting, counter):
    sheet = (await serials(open_meeting))[3]
    early = await client.post(
        url(open_meeting, "paper"),
        json={"serial": sheet, "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert early.status_code == 409 and early.json()["code"] == "voting_paper_before_close"
    await close_voting(open_meeting)
    not_scrutineer = await client.post(
        url(open_meeting, "paper"),
        json={"serial": sheet, "scrutineer": "吴计票", "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert not_scrutineer.status_code == 400
    assert not_scrutineer.json()["code"] == "voting_paper_not_scrutineer"
    response = await client.post(
        url(open_meeting, "paper"),
        json={"serial": sheet, "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert response.status_code == 201, response.text
    assert response.json()["entries"] == [{"serial": sheet, "status": "counted", "message": "已计入"}]
    stored = await VotingPaperBallot.select().first()
    assert stored["confirmed_by"] == "周监票" and "counter_a" in stored["entered_by"]
    assert json.loads(stored["choices"]) == [
        {"motion": 1, "choice": "agree"},
        {"motion": 2, "choice": "oppose"},
        {"motion": 3, "candidates": ["c1", "c3"]},
    ]
    again = await client.post(
        url(open_meeting, "paper"),
        json={"serial": sheet, "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert again.status_code == 409 and again.json()["code"] == "voting_paper_duplicate"
    assert await VotingPaperBallot.count() == 1
    audit = await AuditEntry.select().where(AuditEntry.action == "voting.paper_entry")
    assert len(audit) == 1 and audit[0]["target"] == open_meeting["id"]


@pytest.mark.parametrize(
    ("choices", "code"),
    [
        ({"1": "也许", "2": "反对", "3": ""}, "voting_cast_bad_option"),
        ({"1": "同意", "2": "反对", "3": "赵一、钱二、孙三"}, "voting_cast_too_many"),
        ({"1": "同意", "2": "反对", "3": "不存在"}, "voting_cast_bad_option"),
    ],
)
async def test_a_sheet_that_does_not_read_is_refused(db, client, open_meeting, counter, choices, code):
    await close_voting(open_meeting)
    sheet = (await serials(open_meeting))[0]
    response = await client.post(
        url(open_meeting, "paper"),
        json={"serial": sheet, "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": choices},
        headers={"X-CSRF-Token": counter},
    )
    assert response.status_code == 422 and response.json()["code"] == code
    unknown = await client.post(
        url(open_meeting, "paper"),
        json={"serial": "9999-1", "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "voting_paper_bad_serial"
    assert await VotingPaperBallot.count() == 0


async def test_a_voter_who_voted_online_is_listed_and_the_online_ballot_counts(
    db, client, open_meeting, counter
):
    seed = open_meeting["seeds"][0]
    cast = await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    assert cast.status_code == 201
    await close_voting(open_meeting)
    sheet = (await serials(open_meeting))[0]
    response = await client.post(
        url(open_meeting, "paper"),
        json={"serial": sheet, "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert response.status_code == 201
    entry = response.json()["entries"][0]
    assert entry["status"] == "conflict_online" and "以网上表决票为准" in entry["message"]
    overview = (await client.get(url(open_meeting, "paper"))).json()
    assert overview["dual_ballot"] == "online" and overview["counted"] == 0
    assert [c["serial"] for c in overview["conflicts"]] == [sheet]
    page = await client.get(url(open_meeting, "console"))
    assert sheet in page.text and "以网上表决票为准" in page.text


async def test_revocation_needs_a_reason_refuses_the_old_sheet_and_a_reissue_works(
    db, client, open_meeting, counter
):
    sheet = (await serials(open_meeting))[1]
    no_reason = await client.post(
        url(open_meeting, "revocations"),
        json={"serial": sheet, "reason": " "},
        headers={"X-CSRF-Token": counter},
    )
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "voting_revoke_no_reason"
    revoked = await client.post(
        url(open_meeting, "revocations"),
        json={"serial": sheet, "reason": "业主报失"},
        headers={"X-CSRF-Token": counter},
    )
    assert revoked.status_code == 201, revoked.text
    assert revoked.json()["revoked_versions"] == [1]
    again = await client.post(
        url(open_meeting, "revocations"),
        json={"serial": sheet, "reason": "业主报失"},
        headers={"X-CSRF-Token": counter},
    )
    assert again.status_code == 409 and again.json()["code"] == "voting_revoke_not_active"
    entry = (await AuditEntry.select().where(AuditEntry.action == "voting.ballot_revoke"))[0]
    assert json.loads(entry["details"])["reason"] == "业主报失" if isinstance(entry["details"], str) else True
    credential = await VotingCredential.select().where(VotingCredential.voter_no == 2).first()
    assert credential["revoked_reason"] == "业主报失" and "counter_a" in credential["revoked_by"]

    old_seed = open_meeting["seeds"][1]
    refused = await post(
        client, open_meeting, signed(open_meeting, old_seed, make_ballot(open_meeting, old_seed))
    )
    assert refused.status_code == 403 and refused.json()["code"] == "voting_cast_revoked"

    reissue = await client.post(
        url(open_meeting, "ballots"), json={"voters": [2]}, headers={"X-CSRF-Token": counter}
    )
    assert reissue.status_code == 200
    printed = await print_ballots(
        db, open_meeting["estate"], open_meeting["id"], "officer", voter_nos=[2], workers=1
    )
    assert printed.issued[0].serial == f"{sheet}.3" and printed.revoked == 1
    new_seed = fragment_to_seed(urlsplit(printed.issued[0].url).fragment[2:])
    accepted = await post(
        client, open_meeting, signed(open_meeting, new_seed, make_ballot(open_meeting, new_seed))
    )
    assert accepted.status_code == 201, accepted.text
    voted = await client.post(
        url(open_meeting, "revocations"),
        json={"serial": sheet, "reason": "再次报失"},
        headers={"X-CSRF-Token": counter},
    )
    assert voted.status_code == 409 and voted.json()["code"] == "voting_revoke_voted"

    # At the count, the revoked first sheet is listed and never counts.
    await close_voting(open_meeting)
    result = await enter_confirmed(
        db,
        open_meeting["estate"],
        open_meeting["id"],
        "counter",
        [PaperEntry(sheet, {1: "同意", 2: "同意", 3: ""})],
    )
    assert result["entries"][0]["status"] == "revoked"
    missing = await client.post(
        url(open_meeting, "paper"),
        json={"serial": f"{sheet}.9", "scrutineer": "周监票", "passphrase": PASSPHRASE, "choices": CHOICES},
        headers={"X-CSRF-Token": counter},
    )
    assert missing.status_code == 422 and missing.json()["code"] == "voting_paper_not_issued"


async def test_revocation_is_an_officers_act_in_their_district(db, client, open_meeting, staff_factory):
    from core.district_services import add_district

    await add_district(db, "test", "beta", "乙街道")
    await staff_factory("other", "district_officer", "beta")
    csrf = await login(client, "other")
    sheet = (await serials(open_meeting))[0]
    response = await client.post(
        url(open_meeting, "revocations"),
        json={"serial": sheet, "reason": "报失"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code in {403, 404}
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 0


def count_sheet(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    header = header or ["serial", "1", "2", "3"]
    return "\n".join(",".join(r) for r in [header, *rows]).encode("utf-8-sig")


async def upload(client, meeting, csrf, content: bytes, scrutineer: str = "周监票"):
    return await client.post(
        url(meeting, "count-sheet"),
        files={"file": ("count.csv", content, "text/csv")},
        data={"scrutineer": scrutineer, "passphrase": PASSPHRASE},
        headers={"X-CSRF-Token": csrf},
    )


async def test_a_count_sheet_is_all_or_nothing_with_errors_by_row(db, client, open_meeting, counter):
    seed = open_meeting["seeds"][2]
    assert (
        await post(client, open_meeting, signed(open_meeting, seed, make_ballot(open_meeting, seed)))
    ).status_code == 201
    await close_voting(open_meeting)
    s = await serials(open_meeting)
    bad = count_sheet(
        [
            [s[0], "同意", "弃权", "赵一"],
            [s[1], "maybe", "反对", ""],
            [s[0], "反对", "反对", ""],
            ["0000-0", "同意", "同意", ""],
        ]
    )
    response = await upload(client, open_meeting, counter, bad)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "voting_count_sheet_invalid"
    assert [(d["row"], d["code"]) for d in body["details"]] == [
        (3, "voting_cast_bad_option"),
        (4, "voting_paper_duplicate_row"),
        (5, "voting_paper_bad_serial"),
    ]
    assert await VotingPaperBallot.count() == 0

    header = await upload(
        client, open_meeting, counter, count_sheet([[s[0], "同意", "同意"]], ["serial", "1", "2"])
    )
    assert header.status_code == 422 and header.json()["details"][0]["column"] == "议题3"

    good = count_sheet(
        [
            [s[0], "同意", "弃权", "赵一"],
            [s[1], "反对", "同意", "钱二;孙三"],
            [s[2], "同意", "同意", ""],
            [s[3], "agree", "oppose", "c1"],
        ]
    )
    ok = await upload(client, open_meeting, counter, good)
    assert ok.status_code == 201, ok.text
    assert ok.json()["statuses"] == {"counted": 3, "conflict_online": 1, "revoked": 0, "late": 0}
    assert await VotingPaperBallot.count() == 4
    assert await AuditEntry.count().where(AuditEntry.action == "voting.count_sheet_import") == 1
    twice = await upload(client, open_meeting, counter, good)
    assert twice.status_code == 422 and {d["code"] for d in twice.json()["details"]} == {
        "voting_paper_duplicate"
    }


async def test_cli_revoke_reissue_and_count_sheet(db, open_meeting, tmp_path):
    from core.testing import wuye_command, wuye_env

    env = wuye_env(db.settings.database_url, list(db.settings.extra_plugins))
    meeting = open_meeting["id"]
    s = await serials(open_meeting)
    no_reason = wuye_command(
        "voting", "ballots", "revoke", "-m", meeting, "--serial", s[0], "--reason", "", env=env, check=False
    )
    assert no_reason.returncode == 2 and "理由" in no_reason.stderr and "Traceback" not in no_reason.stderr
    revoked = wuye_command(
        "voting", "ballots", "revoke", "-m", meeting, "--serial", s[0], "--reason", "遗失", "--json", env=env
    )
    assert json.loads(revoked.stdout)["revoked_versions"] == [1]
    out = tmp_path / "reissue.docx"
    wuye_command("voting", "ballots", "print", "-m", meeting, "--serial", s[0], "--out", str(out), env=env)
    assert out.stat().st_size > 0
    active = await VotingCredential.select().where(
        (VotingCredential.voter_no == 1) & VotingCredential.revoked_at.is_null()
    )
    assert [c["version"] for c in active] == [2]

    await close_voting(open_meeting)
    sheet = tmp_path / "count.csv"
    sheet.write_bytes(count_sheet([[s[0], "同意", "同意", ""], [f"{s[0]}.2", "反对", "弃权", "赵一"]]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(count_sheet([[s[1], "同意", "同意", "无名氏"]]))
    confirm = ["voting", "paper", "import", "-m", meeting, "--scrutineer", "周监票"]
    confirm += ["--passphrase", PASSPHRASE]
    refused = wuye_command(*confirm, str(bad), env=env, check=False)
    assert refused.returncode == 2 and "第 2 行" in refused.stderr
    imported = wuye_command(*confirm, str(sheet), env=env)
    assert "计入 1 张" in imported.stdout and "已作废" in imported.stdout
    listed = json.loads(wuye_command("voting", "paper", "list", "-m", meeting, "--json", env=env).stdout)
    assert listed["entered"] == 2 and [c["status"] for c in listed["conflicts"]] == ["revoked"]
