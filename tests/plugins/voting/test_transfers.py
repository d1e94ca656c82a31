"""Ownership transfers during a vote (#18 point 4; services/transfers.py): under the profile's
``voting.ownership_transfer`` rule (``ballot_stands``) the old owner's ballot stands if cast — online,
or a paper sheet handed in — and otherwise the old sheet is revoked and one printed for the new owner,
in one transaction; the frozen register is not touched; every transfer is audited and in the record."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from docx import Document

from core import WuyeError
from core.data.tables import AuditEntry
from core.district_services import add_district
from core.testing import login, office_today
from plugins.voting.protocol.credentials import code_to_seed
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.seal import export_bundle, seal_meeting
from plugins.voting.services.transfers import Transfer, list_transfers, record_transfer
from plugins.voting.tables import VotingCredential, VotingTransfer, VotingVoter
from tests.plugins.voting.conftest import close_voting, make_ballot, post, signed

TODAY = office_today()


def transfer(m: dict, index: int, **kw) -> Transfer:
    return Transfer(
        serial=m["issued"][index].serial,
        new_owner=kw.pop("new_owner", "钱新"),
        transferred_on=kw.pop("transferred_on", TODAY - timedelta(days=1)),
        **kw,
    )


async def cast(client, m: dict, seed: bytes):
    return await post(client, m, signed(m, seed, make_ballot(m, seed)))


async def test_an_owner_who_voted_keeps_the_vote_and_nothing_is_reissued(db, client, open_meeting):
    m = open_meeting
    assert (await cast(client, m, m["seeds"][0])).status_code == 201
    summary, printed = await record_transfer(db, m["estate"], m["id"], "officer", transfer(m, 0))
    assert printed is None and summary["outcome"] == "ballot_stands" and summary["sheet"] is None
    assert "原业主已于" in summary["message"] and "网上投票" in summary["message"]
    active = await VotingCredential.select().where(
        (VotingCredential.voter_no == 1) & VotingCredential.revoked_at.is_null()
    )
    assert [c["version"] for c in active] == [1]
    # a paper sheet already handed in counts as cast too
    summary, printed = await record_transfer(
        db, m["estate"], m["id"], "officer", transfer(m, 1, new_owner="孙新", paper_returned=True)
    )
    assert printed is None and summary["outcome"] == "ballot_stands" and "纸质表决票" in summary["message"]
    assert [t["outcome"] for t in await list_transfers(m["estate"], m["id"])] == ["ballot_stands"] * 2
    assert await AuditEntry.count().where(AuditEntry.action == "voting.transfer") == 2


async def test_an_owner_who_had_not_voted_hands_the_vote_to_the_new_owner(db, client, open_meeting, tmp_path):
    m = open_meeting
    names = {v["voter_no"]: v["name"] for v in await VotingVoter.select()}
    summary, printed = await record_transfer(db, m["estate"], m["id"], "officer", transfer(m, 2))
    assert summary["outcome"] == "reissued" and printed is not None
    (sheet,) = printed.issued
    assert sheet.voter_no == 3 and sheet.version == 2 and summary["sheet"] == sheet.serial
    text = "\n".join(p.text for p in Document(io.BytesIO(printed.docx)).paragraphs)
    text += "\n".join(
        c.text for t in Document(io.BytesIO(printed.docx)).tables for r in t.rows for c in r.cells
    )
    assert "钱新（新业主）" in text
    old = await cast(client, m, m["seeds"][2])
    assert old.status_code == 403 and old.json()["code"] == "voting_cast_revoked"
    new = await cast(client, m, code_to_seed(sheet.code))
    assert new.status_code == 201, new.text
    # the frozen register is untouched: the flat's name, area and heads stay
    assert {v["voter_no"]: v["name"] for v in await VotingVoter.select()} == names
    (row,) = await VotingTransfer.select()
    assert row["outcome"] == "reissued" and row["version"] == 2

    # the record names why the old sheet was revoked, and verifies
    await close_voting(m)
    await seal_meeting(db, m["estate"], m["id"], "officer")
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(await export_bundle(db, m["id"]))
    assert verify_bundle(bundle, workers=1).ok
    record = json.loads(zipfile.ZipFile(bundle).read("record.json"))
    reasons = [c["revocation"]["reason"] for c in record["credentials"] if c.get("revocation")]
    assert len(reasons) == 1 and "产权转移" in reasons[0] and "钱新" in reasons[0]


async def test_bad_or_repeated_transfers_are_refused_and_change_nothing(db, client, open_meeting):
    m = open_meeting

    async def refused(data: Transfer) -> str:
        with pytest.raises(WuyeError) as error:
            await record_transfer(db, m["estate"], m["id"], "officer", data)
        return error.value.code

    assert await refused(transfer(m, 0, new_owner=" ")) == "voting_transfer_no_name"
    assert await refused(transfer(m, 0, transferred_on=TODAY + timedelta(days=2))) == "voting_transfer_future"
    owner = (await VotingVoter.select(VotingVoter.name).where(VotingVoter.voter_no == 1).first())["name"]
    assert await refused(transfer(m, 0, new_owner=owner)) == "voting_transfer_same_owner"
    assert await refused(Transfer("9999-1", "钱新", TODAY)) == "voting_paper_bad_serial"
    assert await VotingTransfer.count() == 0 and await VotingCredential.count() == 4
    await record_transfer(db, m["estate"], m["id"], "officer", transfer(m, 0))
    assert await refused(transfer(m, 0, new_owner="周再")) == "voting_transfer_exists"
    assert await VotingTransfer.count() == 1 and await VotingCredential.count() == 5
    await close_voting(m)
    assert await refused(transfer(m, 1)) == "voting_transfer_closed"


async def test_the_api_returns_the_new_sheet_or_says_the_vote_stands(db, client, open_meeting, staff_factory):
    m = open_meeting
    await staff_factory("officer_t", "district_officer", m["estate"].slug)
    csrf = await login(client, "officer_t")
    url = f"/d/{m['estate'].slug}/voting/meetings/{m['id']}/transfers"
    headers = {"X-CSRF-Token": csrf}
    body = {"serial": m["issued"][0].serial, "new_owner": "钱新", "transferred_on": TODAY.isoformat()}
    reissued = await client.post(url, json=body, headers=headers)
    assert reissued.status_code == 201 and reissued.headers["x-wuye-transfer"] == "reissued"
    assert reissued.content[:2] == b"PK"  # the docx
    again = await client.post(url, json=body, headers=headers)  # a clerk who clicks twice
    assert again.status_code == 409 and again.json()["code"] == "voting_transfer_exists"
    assert "钱新" in again.json()["message"]
    assert (await cast(client, m, m["seeds"][1])).status_code == 201
    stands = await client.post(url, json={**body, "serial": m["issued"][1].serial}, headers=headers)
    assert stands.status_code == 200 and stands.json()["outcome"] == "ballot_stands"
    bad = await client.post(url, json={**body, "transferred_on": "明天"}, headers=headers)
    assert bad.status_code == 400 and "code" in bad.json()
    listed = (await client.get(url)).json()
    assert [t["outcome"] for t in listed] == ["reissued", "ballot_stands"]

    await add_district(db, "test", "beta", "乙街道")
    await staff_factory("officer_b", "district_officer", "beta")
    csrf_b = await login(client, "officer_b")
    assert (await client.get(url)).status_code in {403, 404}
    other = await client.post(
        url, json={**body, "serial": m["issued"][2].serial}, headers={"X-CSRF-Token": csrf_b}
    )
    assert other.status_code in {403, 404} and await VotingTransfer.count() == 2


async def test_a_profile_choice_the_platform_cannot_carry_out_is_refused_at_publication(
    db, estate, monkeypatch
):
    """``voting.revote = last`` (the last ballot counts) or another transfer rule: refused with a clear
    code when the meeting is published, never silently counted under the first-ballot rule."""
    from dataclasses import replace

    from core import Rule, Source
    from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
    from plugins.voting.services.register import import_register
    from tests.plugins.voting.conftest import encode, meeting_file, register_csv

    await import_register(estate, "E1", register_csv(), "r.csv", "officer")
    created = await create_meeting(db, estate, "E1", parse_meeting_file(encode(meeting_file(TODAY))), "o")
    profile = db.jurisdictions.get("national")
    for key, value in (("revote", "last"), ("ownership_transfer", "new_owner_votes")):
        rules = {**profile.rules["voting"], key: Rule(value, Source("测试规则", grade="UNCONFIRMED"))}
        monkeypatch.setitem(
            db.jurisdictions._profiles, "national", replace(profile, rules={**profile.rules, "voting": rules})
        )
        with pytest.raises(WuyeError) as refused:
            await publish_meeting(db, estate, created["meeting"], "officer", today=TODAY)
        assert refused.value.code == "voting_rule_unsupported" and value in refused.value.message
    monkeypatch.setitem(db.jurisdictions._profiles, "national", profile)
    await publish_meeting(db, estate, created["meeting"], "officer", today=TODAY)


async def test_a_second_ballot_is_refused_citing_the_profile_rule(db, client, open_meeting):
    m = open_meeting
    assert (await cast(client, m, m["seeds"][0])).status_code == 201
    again = await cast(client, m, m["seeds"][0])
    assert again.status_code == 409 and again.json()["code"] == "voting_cast_already"
    assert "以首次提交的表决票为准" in again.json()["message"] and "北京" in again.json()["message"]


async def test_the_console_asks_first_then_reissues_or_says_the_vote_stands(
    db, client, open_meeting, staff_factory
):
    import re

    m = open_meeting
    await staff_factory("officer_t", "district_officer", "alpha")
    csrf = await login(client, "officer_t")
    page = f"/d/alpha/voting/meetings/{m['id']}/console"
    html = {"Accept": "text/html"}
    assert 'id="transfer-form"' in (await client.get(page, headers=html)).text
    form = {
        "csrf_token": csrf,
        "serial": m["issued"][2].serial,
        "new_owner": "钱新",
        "transferred_on": (TODAY - timedelta(days=1)).isoformat(),
        "evidence": "沪(2026)示范区不动产权第0001号",
    }
    unknown = await client.post(f"{page}/transfers", data=form | {"serial": "9999-9"}, headers=html)
    assert unknown.status_code == 404 and 'id="transfer-error"' in unknown.text
    bad_day = await client.post(f"{page}/transfers", data=form | {"transferred_on": "昨天"}, headers=html)
    assert bad_day.status_code == 400 and 'id="transfer-error"' in bad_day.text
    asked = await client.post(f"{page}/transfers", data=form, headers=html)
    assert asked.status_code == 200 and 'data-code="voting_transfer"' in asked.text
    assert '<input type="hidden" name="new_owner" value="钱新">' in asked.text  # the panel re-posts it
    assert await VotingTransfer.count() == 0  # nothing yet
    state = re.search(r'name="confirm_state" value="([^"]+)"', asked.text).group(1)
    done = await client.post(
        f"{page}/transfers", data=form | {"confirmed": "1", "confirm_state": state}, headers=html
    )
    assert done.status_code == 200 and done.headers["content-type"].startswith("application/vnd.openxml")
    assert "钱新" in "\n".join(p.text for p in Document(io.BytesIO(done.content)).paragraphs)

    assert (await cast(client, m, m["seeds"][0])).status_code == 201  # owner 1 has voted online
    stands = form | {"serial": m["issued"][0].serial, "new_owner": "孙新"}
    asked = await client.post(f"{page}/transfers", data=stands, headers=html)
    state = re.search(r'name="confirm_state" value="([^"]+)"', asked.text).group(1)
    kept = await client.post(
        f"{page}/transfers",
        data=stands | {"confirmed": "1", "confirm_state": state},
        headers=html,
        follow_redirects=False,
    )
    assert kept.status_code == 303 and "done=transfer_stands" in kept.headers["location"]
    listed = (await client.get(page, headers=html)).text
    assert 'id="transfer-list"' in listed and "原业主已表决，其表决有效，未补发" in listed
    assert "原表决票作废，已为新业主补发" in listed
