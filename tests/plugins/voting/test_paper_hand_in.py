"""Paper sheets' hand-in time (交回时间, #18 point 4) and the dual-ballot rule ``first`` (Beijing: the
ballot received first counts, docs/protocol.md §9.3): a sheet handed in after voting closed is ``late``
and never counts; under ``first`` a sheet whose voter also voted online needs its time, and the one
that came first counts — the tally, the record and ``wuye verify`` agree."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import WuyeError, district_now
from core.district_services import add_district, add_estate, switch_plugin
from plugins.voting.protocol.tally import paper_first
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.keys import meeting_key
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.paper import (
    PaperEntry,
    import_count_sheet,
    paper_overview,
    parse_handed_in,
)
from plugins.voting.services.seal import export_bundle, record_text, seal_meeting, sealed
from plugins.voting.tables import VotingMeeting, VotingPaperBallot
from tests.plugins.voting.conftest import (
    PASSPHRASE,
    SCRUTINEER,
    choices,
    clock_at,
    enter_confirmed,
    forget_heads,
    make_ballot,
    meeting_handle,
    post,
    scrutineer_signs_in,
    signed,
    start_meeting,
)
from tests.plugins.voting.test_seal import resealed, rewrite

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHEET = {1: "同意", 2: "反对", 3: "赵一"}


def typed(at: datetime) -> str:
    """A moment as a counter types it off the ballot box's log: local time, to the minute."""
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def test_hand_in_times_read_as_counters_and_excel_write_them():
    want = datetime(2026, 12, 20, 6, 30, tzinfo=UTC)  # 14:30 in Beijing time
    for text in (
        "2026-12-20 14:30",
        "2026/12/20 14:30:59",
        "2026年12月20日 14时30分",
        "2026-12-20T14:30",
        "２０２６-１２-２０　１４：３０",  # full-width digits and space, as a Chinese IME types them
        "2026-12-20 14:30:00",  # an Excel date-time cell
    ):
        assert parse_handed_in(text, "Asia/Shanghai") == want, text
    assert parse_handed_in("  ", "Asia/Shanghai") is None
    for bad in (
        "昨天下午",
        "2026-13-01 10:00",
        "14:30",
        "2026-12-20",
        "0001-01-01 00:00",
        "2150-01-01 10:00",
    ):
        with pytest.raises(ValueError):
            parse_handed_in(bad, "Asia/Shanghai")


def test_a_sheet_is_first_only_when_its_whole_minute_ends_before_the_online_ballot():
    handed = datetime(2026, 12, 20, 6, 30, tzinfo=UTC)
    assert paper_first(handed, handed + timedelta(minutes=1))
    assert not paper_first(handed, handed + timedelta(seconds=59))  # within the same minute: online
    assert not paper_first(None, handed)


async def _meeting(db, slug: str, jurisdiction: str) -> dict:
    """An open meeting in a training district of ``jurisdiction``, whose clock the test moves on."""
    district = await add_district(db, "test", slug, f"{slug}街道", jurisdiction=jurisdiction, training=True)
    await add_estate(db, "test", district, "E1", "示范花园")
    await switch_plugin(db, "test", district, "voting", True)
    m = await meeting_handle(district, *await start_meeting(db, district))
    m["serial"] = {c.voter_no: c.serial for c in m["issued"]}
    return m


async def _vote_then_close(db, client, m: dict) -> datetime:
    """Two hours after the vote opened, voters 1 and 2 vote online; voting closes an hour later. The
    moment of the count (three hours after the votes) is returned; the district's clock goes there
    before anything is entered."""
    await clock_at(db, m["estate"], await district_now(m["estate"]) + timedelta(hours=2))
    now = await district_now(m["estate"])
    for index in (0, 1):
        seed = m["seeds"][index]
        response = await post(
            client, m, signed(m, seed, make_ballot(m, seed, choices("oppose", "agree", [])))
        )
        assert response.status_code == 201, response.text
    await VotingMeeting.update({VotingMeeting.voting_closes: now + timedelta(hours=1)}).where(
        VotingMeeting.public_id == m["id"]
    )
    await forget_heads(m["id"])
    m["now"] = now
    count = now + timedelta(hours=3)
    await clock_at(db, m["estate"], count)
    await scrutineer_signs_in(m["estate"], m["id"])  # the scrutineer's sign-in to the count
    return count


async def _enter(db, m: dict, entries: list[PaperEntry], count: datetime):
    return await enter_confirmed(db, m["estate"], m["id"], "counter", entries)


@pytest.fixture
async def beijing(db):
    return await _meeting(db, "bj", "beijing")


async def test_under_first_the_ballot_received_first_counts_and_late_sheets_never(
    db, client, beijing, tmp_path
):
    m = beijing
    count = await _vote_then_close(db, client, m)
    now, s = m["now"], m["serial"]
    with pytest.raises(WuyeError) as missing:  # voter 1 also voted online: the time decides
        await _enter(db, m, [PaperEntry(s[1], SHEET)], count)
    assert missing.value.code == "voting_paper_handed_in_required"
    assert s[1] in missing.value.message and await VotingPaperBallot.count() == 0
    outcome = await _enter(
        db,
        m,
        [
            PaperEntry(s[1], SHEET, handed_in=typed(now - timedelta(hours=1))),  # before voter 1 online
            PaperEntry(s[2], SHEET, handed_in=typed(now + timedelta(minutes=30))),  # after voter 2 online
            PaperEntry(s[3], SHEET, handed_in=typed(now + timedelta(hours=2))),  # after the close
            PaperEntry(s[4], SHEET, handed_in=typed(now - timedelta(minutes=30))),
        ],
        count,
    )
    assert outcome["statuses"] == {"counted": 1, "conflict_online": 2, "revoked": 0, "late": 1}
    late = [e for e in outcome["entries"] if e["status"] == "late"]
    assert late == [{"serial": s[3], "status": "late", "message": "该表决票在表决截止后交回，不计入"}]
    meeting = await get_meeting(m["id"])
    overview = await paper_overview(db, meeting)
    assert overview["dual_ballot"] == "first" and overview["counted"] == 2  # voter 1's sheet and voter 4's
    assert len(overview["conflicts"]) == 3  # the two conflicts and the late sheet, each with its time
    assert all(c["handed_in"].startswith(str(now.astimezone(SHANGHAI).year)) for c in overview["conflicts"])
    assert overview["dual_ballot_words"] == "先收到的表决票（按纸质票交回时间）"

    await seal_meeting(db, m["estate"], m["id"], "officer")
    seal = await sealed(m["id"])
    record, tally = json.loads(await record_text(db, seal)), json.loads(seal["tally"])
    assert all("handed_in_at" in p for p in record["paper"])
    assert sorted(p["status"] for p in record["paper"]) == [
        "conflict_online",
        "conflict_online",
        "counted",
        "late",
    ]
    aside = sorted((n["set_aside"], n["why"]) for n in tally["set_aside"])
    # voter 1's sheet came before their online ballot, voter 2's online ballot before their sheet
    assert aside == [("online", "dual_ballot_first"), ("paper", "dual_ballot_first"), ("paper", "late")]
    hire = tally["motions"][0]
    assert hire["headcount"]["agree"] == 2 and hire["headcount"]["oppose"] == 1  # voters 1, 4 / voter 2

    public = tmp_path / "public.zip"
    public.write_bytes(await export_bundle(db, m["id"]))
    report = verify_bundle(public, workers=1)
    assert report.ok, report.discrepancies

    seed, _ = await meeting_key(db, meeting["id"])

    def found(mutate) -> set[str]:
        path = tmp_path / f"forged{len(list(tmp_path.iterdir()))}.zip"
        path.write_bytes(rewrite(public.read_bytes(), resealed(m["id"], seed, mutate)))
        return {d["code"] for d in verify_bundle(path, workers=1).discrepancies}

    def no_time(record):  # an operator drops the time that made voter 1's sheet count
        for p in record["paper"]:
            if p["status"] == "conflict_online":
                p.pop("handed_in_at")

    def counted_late(record):  # ... or counts the sheet handed in after the close
        for p in record["paper"]:
            if p["status"] == "late":
                p["status"] = "counted"

    def bad_time(record):
        record["paper"][0]["handed_in_at"] = "昨天"

    assert "paper_handed_in_missing" in found(no_time)
    assert "paper_status_mismatch" in found(counted_late)
    assert "paper_malformed" in found(bad_time)


async def test_a_hand_in_time_in_the_future_before_the_vote_or_unreadable_is_refused(db, client, beijing):
    m = beijing
    count = await _vote_then_close(db, client, m)
    now, s = m["now"], m["serial"]
    for handed_in, code in (
        (typed(count + timedelta(minutes=5)), "voting_paper_handed_in_future"),
        (typed(now - timedelta(hours=3)), "voting_paper_handed_in_early"),
        ("下午三点", "voting_paper_handed_in_bad"),
    ):
        with pytest.raises(WuyeError) as refused:
            await _enter(db, m, [PaperEntry(s[4], SHEET, handed_in=handed_in)], count)
        assert refused.value.code == code
    assert await VotingPaperBallot.count() == 0


async def test_a_gbk_count_sheet_carries_the_hand_in_time_column(db, client, beijing):
    m = beijing
    await _vote_then_close(db, client, m)
    now, s = m["now"], m["serial"]
    rows = [
        "表决票编号,交回时间,议题1,议题2,议题3",
        f"{s[1]},{typed(now - timedelta(hours=1))},同意,反对,赵一",
        f"{s[4]},{typed(now + timedelta(hours=2))},反对,反对,",
    ]
    content = ("\r\n".join(rows) + "\r\n").encode("gbk")  # as Excel saves a CSV on a Chinese Windows
    confirmed = {"scrutineer": SCRUTINEER, "passphrase": PASSPHRASE}
    sheet = (db, m["estate"], m["id"], "counter")
    outcome = await import_count_sheet(*sheet, content, "计票表.csv", **confirmed)
    assert outcome["statuses"] == {"counted": 0, "conflict_online": 1, "revoked": 0, "late": 1}
    broken = ("\r\n".join([*rows[:1], f"{s[2]},,同意,同意,"]) + "\r\n").encode("gbk")
    with pytest.raises(WuyeError) as refused:  # voter 2 voted online: no time, nothing imported
        await import_count_sheet(*sheet, broken, "计票表.csv", **confirmed)
    assert refused.value.code == "voting_count_sheet_invalid"
    assert await VotingPaperBallot.count() == 2


async def test_under_the_national_rule_the_time_is_optional_and_a_late_sheet_still_never_counts(db, client):
    m = await _meeting(db, "nat", "national")
    count = await _vote_then_close(db, client, m)
    now, s = m["now"], m["serial"]
    outcome = await _enter(
        db,
        m,
        [
            PaperEntry(s[1], SHEET),  # voted online too: the online ballot counts, no time needed
            PaperEntry(s[4], SHEET, handed_in=typed(now + timedelta(hours=2))),
        ],
        count,
    )
    assert outcome["statuses"] == {"counted": 0, "conflict_online": 1, "revoked": 0, "late": 1}
    stored = {r["sheet_serial"]: r["handed_in_at"] for r in await VotingPaperBallot.select()}
    assert stored[s[1]] is None and stored[s[4]] is not None
