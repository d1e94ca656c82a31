"""Motions of a part of the estate (#18 point 3): a motion put to the owners of one building (using the
fund for building 2's lift; Civil Code Art. 278 with 《住宅专项维修资金管理办法》 Art. 22), with totals,
quorum and thresholds over that part; the ballot page, the paper sheet, the count, the tally, the
bundle and the verifier carry the scope."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest

from core.signing import sign
from core.testing import office_today
from plugins.voting.protocol.ballot import BallotError, MotionSpec, check_choices, check_scope, sheet_message
from plugins.voting.protocol.credentials import public_key_hex
from plugins.voting.protocol.scope import (
    applicable_motions,
    buildings,
    covers,
    first_part,
    prefix_label,
    scope_label,
    split_prefixes,
    voter_scopes,
)
from plugins.voting.protocol.tally import compute_tally
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.paper import PaperEntry
from plugins.voting.services.seal import export_bundle, seal_meeting
from tests.plugins.voting.conftest import (
    close_voting,
    encode,
    enter_confirmed,
    meeting_file,
    meeting_handle,
    register_csv,
    signed,
    start_meeting,
)
from tests.plugins.voting.test_seal import resealed, rewrite

TODAY = office_today()

#: Building 1: O1, O2 and one unit of O5; building 2: O3, O4 and O5's other unit (O5 owns in both).
ROWS = [
    "1-101,90.00,register,O1,张一,C1,0",
    "1-102,80.00,register,O2,张二,C2,0",
    "1-201,50.00,register,O5,张五,C5,0",
    "2-101,100.00,register,O3,张三,C3,0",
    "2-102,60.00,register,O4,张四,C4,0",
    "2-201,70.00,register,O5,张五,C6,0",
]
#: Voters in register order: 1 O1 [1-101], 2 O2 [1-102], 3 O5 [1-201, 2-201], 4 O3 [2-101], 5 O4 [2-102].
MOTIONS = [
    {"title": "续聘示范物业管理有限公司", "matter": "hire_firm"},
    {
        "title": "使用维修资金更换2号楼电梯",
        "matter": "use_fund",
        "scope": ["2"],
        "description": "预算 48 万元",
    },
]


def test_a_prefix_covers_units_at_a_parts_boundary():
    assert covers("2", "2-101") and covers("2", "2") and not covers("2", "21-101")
    assert covers("3-2", "3-2-1502") and not covers("3-2", "3-21-101") and not covers("3-2", "3-201")
    assert covers("2栋", "2栋101") and covers("3号楼", "3号楼2单元1502") and not covers("2栋", "12栋101")
    assert first_part("3号楼2单元1502") == "3号楼" and first_part("2-101") == "2" and first_part("101") == ""
    assert buildings(["2-101", "10-1", "1-101", "1-102"]) == [("1", 2), ("2", 1), ("10", 1)]
    assert split_prefixes(" 2、3-2，2\n") == ["2", "3-2"]


def test_a_scope_reads_as_people_name_buildings():
    assert (
        prefix_label("2") == "2号楼" and prefix_label("3-2") == "3号楼2单元" and prefix_label("2栋") == "2栋"
    )
    assert scope_label(["2", "3-2"]) == "2号楼、3号楼2单元"
    assert scope_label(["A"]) == "房号以“A”开头的房屋" and scope_label([]) == "全体业主"


def test_a_voter_counts_in_a_part_with_the_area_they_own_there():
    area_of = {"1-201": 5000, "2-201": 7000}
    assert voter_scopes(["1-201", "2-201"], area_of, 1, {2: ["2"]}) == [
        {"motion": 2, "area_centi": 7000, "heads": 1}
    ]
    assert voter_scopes(["1-201"], area_of, 1, {2: ["2"]}) == []
    assert applicable_motions([1, 2, 3], {2: ["2"]}, ["1-101"]) == [1, 3]
    assert applicable_motions([1, 2, 3], {2: ["2"]}, ["1-201", "2-201"]) == [1, 2, 3]


def test_a_ballot_answers_the_scoped_motions_of_its_voter_only():
    specs = [MotionSpec(1, "resolution"), MotionSpec(2, "resolution", scoped=True)]
    only_first = [{"motion": 1, "choice": "agree"}]
    both = [*only_first, {"motion": 2, "choice": "oppose"}]
    assert check_choices(only_first, specs) and check_choices(both, specs)  # the voter is not known yet
    with pytest.raises(BallotError) as missing:
        check_choices([{"motion": 2, "choice": "oppose"}], specs)
    assert missing.value.code == "voting_cast_missing_motion"
    check_scope(only_first, {2: "2号楼"}, set())
    check_scope(both, {2: "2号楼"}, {2})
    with pytest.raises(BallotError) as outside:
        check_scope(both, {2: "2号楼"}, set())
    assert outside.value.code == "voting_cast_out_of_scope" and outside.value.values["scope"] == "2号楼"
    with pytest.raises(BallotError) as unanswered:
        check_scope(only_first, {2: "2号楼"}, {2})
    assert unanswered.value.code == "voting_cast_missing_motion"


def _record(votes: dict[int, tuple[str, str | None]]) -> dict:
    """A v1-shaped sealed record of the register above, under the national profile."""
    from plugins.jurisdictions.plugin import register_jurisdictions
    from plugins.voting.protocol.scope import attach_scopes

    national = next(p for p in register_jurisdictions() if p.code == "national")
    owners = {"O1": ["1-101"], "O2": ["1-102"], "O5": ["1-201", "2-201"], "O3": ["2-101"], "O4": ["2-102"]}
    areas = {r.split(",")[0]: int(r.split(",")[1].replace(".", "")) for r in ROWS}
    motions = [
        {
            "position": 1,
            "title": "续聘",
            "matter": "hire_firm",
            "kind": "resolution",
            "seats": 0,
            "candidates": [],
        },
        {
            "position": 2,
            "title": "2号楼电梯",
            "matter": "use_fund",
            "kind": "resolution",
            "seats": 0,
            "candidates": [],
            "scope": ["2"],
        },
    ]
    register = {
        "headcount_method": "court_rule",
        "units": [
            {
                "unit_code": c,
                "area_centi": a,
                "area_source": "register",
                "owner_key": "",
                "developer_unsold": False,
            }
            for c, a in areas.items()
        ],
        "voters": [
            {
                "voter_no": n,
                "serial": "",
                "units": codes,
                "area_centi": sum(areas[c] for c in codes),
                "heads": 1,
            }
            for n, codes in enumerate(owners.values(), start=1)
        ],
    }
    attach_scopes(register, motions)
    return {
        "meeting": {
            "meeting": "M",
            "title": "t",
            "voting_closes": "2030-01-01T00:00:00.000000Z",
            "motions": motions,
        },
        "rules": national.to_dict(),
        "register": register,
        "credentials": [],
        "ballots": [],
        "paper": [
            {
                "voter_no": n,
                "status": "counted",
                "choices": [{"motion": 1, "choice": c1}] + ([{"motion": 2, "choice": c2}] if c2 else []),
            }
            for n, (c1, c2) in votes.items()
        ],
    }


def test_the_tally_of_a_scoped_motion_counts_over_that_part_only():
    """Building 2: O3 (100.00), O4 (60.00) and O5's 2-201 (70.00) — 3 owners, 230.00 m². O3 and O5
    agree, O4 does not vote: 2 of 3 owners and 170.00 of 230.00 m² take part (two thirds: met), all
    agreeing — passed. The estate's motion counts over all five owners, 450.00 m²."""
    motion1, motion2 = compute_tally(
        _record({1: ("oppose", None), 3: ("agree", "agree"), 4: ("agree", "agree")})
    )["motions"]
    assert motion2["scope"] == {"prefixes": ["2"], "voters": 3}
    assert motion2["area"]["total"] == "230.00" and motion2["headcount"]["total"] == 3
    assert motion2["area"]["participating"] == "170.00" and motion2["headcount"]["participating"] == 2
    assert motion2["area"]["agree"] == "170.00" and motion2["participation_met"] and motion2["passed"]
    assert motion2["reason"].startswith("本事项由2号楼的业主表决（3 名表决人，专有部分面积 230.00 平方米）。")
    assert "（2/3）" in motion2["reason"] and "（170.00/230.00）" in motion2["reason"]
    assert (
        "scope" not in motion1 and motion1["area"]["total"] == "450.00" and motion1["headcount"]["total"] == 5
    )
    assert motion1["headcount"]["participating"] == 3
    # the part's quorum is its own: met here though the estate's (3 of 5 owners) is not
    assert motion2["participation_met"] and not motion1["participation_met"]
    # O3 alone of building 2 (100.00 of 230.00 m², 1 of 3 owners) is short of the part's quorum
    short = compute_tally(_record({1: ("agree", None), 2: ("agree", None), 4: ("agree", "agree")}))["motions"]
    assert not short[1]["participation_met"] and not short[1]["passed"]
    assert short[1]["headcount"]["participating"] == 1 and short[1]["area"]["participating"] == "100.00"


# --- through the database, on both backends -------------------------------------------------------


@pytest.fixture
async def scoped_meeting(db, estate):
    """An open meeting over the register above, with a motion of building 2; seeds and sheets by
    voter number."""
    from plugins.voting.services.meetings import meeting_summary

    data = meeting_file(TODAY - timedelta(days=20), motions=MOTIONS)
    m = await meeting_handle(estate, *await start_meeting(db, estate, ROWS, data))
    summary = await meeting_summary(m["id"])
    assert summary["motions"][1]["scope"] == ["2"] and summary["motions"][1]["scope_label"] == "2号楼"
    return m | {
        "seeds": {c.voter_no: seed for c, seed in zip(m["issued"], m["seeds"], strict=True)},
        "issued": {c.voter_no: c for c in m["issued"]},
    }


def _ballot(m: dict, voter_no: int, choices: list[dict]) -> dict:
    seed = m["seeds"][voter_no]
    ballot = {
        "protocol": "wuye-ballot-v1",
        "meeting": m["id"],
        "register_digest": m["digest"],
        "voter_key": public_key_hex(seed),
        "choices": choices,
    }
    return signed(m, seed, ballot)


async def _sheet(client, m: dict, voter_no: int) -> dict:
    from datetime import UTC, datetime

    seed = m["seeds"][voter_no]
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
    key = public_key_hex(seed)
    proof = sign(seed, sheet_message(m["id"], key, at)).hex()
    response = await client.post(f"/v/{m['id']}/sheet", json={"voter_key": key, "at": at, "signature": proof})
    assert response.status_code == 200, response.text
    return response.json()


AGREE_1 = {"motion": 1, "choice": "agree"}


async def test_a_scope_must_name_units_of_the_register_and_not_all_of_them(db, estate):
    """Checked on the draft as soon as the estate has a register (the form says so at once, naming the
    register's buildings), and again at publication (a draft written before the register came)."""
    from core import Invalid
    from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
    from plugins.voting.services.register import import_register

    cases = ((["9"], "voting_scope_no_units"), (["1", "2"], "voting_scope_whole_estate"))
    drafts = []
    for scope, code in cases:  # no register yet: the drafts are kept
        motions = [MOTIONS[0], {**MOTIONS[1], "scope": scope}]
        data = parse_meeting_file(encode(meeting_file(TODAY, motions=motions)))
        drafts.append((data, code, (await create_meeting(db, estate, "E1", data, "officer"))["meeting"]))
    await import_register(estate, "E1", register_csv(ROWS), "r.csv", "officer")
    for data, code, public_id in drafts:
        with pytest.raises(Invalid) as refused:
            await publish_meeting(db, estate, public_id, "officer", today=TODAY)
        assert refused.value.code == "voting_meeting_invalid"
        details = refused.value.details
        assert [d["code"] for d in details] == [code] and details[0]["field"] == "motions[2].scope"
        with pytest.raises(Invalid) as early:  # with the register in place: refused on the draft
            await create_meeting(db, estate, "E1", data, "officer")
        assert [d["code"] for d in early.value.details] == [code]
    typo = parse_meeting_file(
        encode(meeting_file(TODAY, motions=[MOTIONS[0], {**MOTIONS[1], "scope": ["2号楼"]}]))
    )
    with pytest.raises(Invalid) as named:
        await create_meeting(db, estate, "E1", typo, "officer")
    assert "本小区名册中的楼栋有：1、2" in named.value.details[0]["message"]
    listed = parse_meeting_file(
        encode(meeting_file(TODAY, motions=[MOTIONS[0], {**MOTIONS[1], "scope": ["2、2"]}]))
    )
    assert (await create_meeting(db, estate, "E1", listed, "officer"))["motions"][1]["scope"] == ["2"]
    bad = parse_meeting_file(encode(meeting_file(TODAY, motions=[{**MOTIONS[1], "scope": ["2 号楼!"]}])))
    with pytest.raises(Invalid) as malformed:
        await create_meeting(db, estate, "E1", bad, "officer")
    assert malformed.value.details[0]["code"] == "voting_scope_bad_prefix"


async def test_a_building_votes_alone_from_sheet_to_verified_bundle(db, client, scoped_meeting, tmp_path):
    m = scoped_meeting
    info = (await client.get(f"/v/{m['id']}/info")).json()
    assert "scope" not in info["motions"][0]
    assert info["motions"][1]["scope"] == ["2"] and info["motions"][1]["scope_label"] == "2号楼"
    assert (await _sheet(client, m, 1))["motions"] == [1]  # O1: building 1 only
    assert (await _sheet(client, m, 3))["motions"] == [1, 2]  # O5: a unit in each building

    # O1 may not answer building 2's motion; O3 must; O5 answers both
    outside = await client.post(
        f"/v/{m['id']}/ballots", json=_ballot(m, 1, [AGREE_1, {"motion": 2, "choice": "agree"}])
    )
    assert outside.status_code == 422 and outside.json()["code"] == "voting_cast_out_of_scope"
    assert "2号楼" in outside.json()["message"]
    unanswered = await client.post(f"/v/{m['id']}/ballots", json=_ballot(m, 4, [AGREE_1]))
    assert unanswered.status_code == 422 and unanswered.json()["code"] == "voting_cast_missing_motion"
    for voter_no, choices in (
        (1, [AGREE_1]),
        (4, [AGREE_1, {"motion": 2, "choice": "agree"}]),
        (3, [{"motion": 1, "choice": "oppose"}, {"motion": 2, "choice": "agree"}]),
    ):
        response = await client.post(f"/v/{m['id']}/ballots", json=_ballot(m, voter_no, choices))
        assert response.status_code == 201, response.text

    await close_voting(m)
    serial = {n: c.serial for n, c in m["issued"].items()}
    from core import WuyeError

    with pytest.raises(WuyeError) as misread:  # O2's sheet has no box for building 2's motion
        await enter_confirmed(
            db,
            m["estate"],
            m["id"],
            "counter",
            [PaperEntry(serial[2], {1: "同意", 2: "反对"})],
        )
    assert misread.value.code == "voting_cast_out_of_scope" and misread.value.status_code == 422
    await enter_confirmed(
        db,
        m["estate"],
        m["id"],
        "counter",
        [PaperEntry(serial[2], {1: "同意", 2: ""}), PaperEntry(serial[5], {1: "同意", 2: "反对"})],
    )
    sealed = await seal_meeting(db, m["estate"], m["id"], "officer")
    assert sealed["root"]

    bundle = tmp_path / "public.zip"
    bundle.write_bytes(await export_bundle(db, m["id"]))
    report = verify_bundle(bundle, workers=1)
    assert report.ok, report.discrepancies
    tally = {t["motion"]: t for t in report.tally["motions"]}
    # building 2: O3 100.00 and O5 70.00 agree, O4 60.00 opposes — all 3 of 3 take part
    assert tally[2]["scope"] == {"prefixes": ["2"], "voters": 3}
    assert tally[2]["area"] == {
        "total": "230.00",
        "participating": "230.00",
        "agree": "170.00",
        "oppose": "60.00",
        "abstain": "0.00",
        "not_voted": "0.00",
    }
    assert tally[2]["headcount"]["agree"] == 2 and tally[2]["passed"]
    assert tally[1]["headcount"] == {
        "total": 5,
        "participating": 5,
        "agree": 4,
        "oppose": 1,
        "abstain": 0,
        "not_voted": 0,
    }
    record = json.loads(zipfile.ZipFile(bundle).read("record.json"))
    assert (
        record["meeting"]["motions"][1]["scope"] == ["2"] and "scope" not in record["meeting"]["motions"][0]
    )
    shares = sorted(json.dumps(v["scopes"]) for v in record["register"]["voters"])
    assert shares.count("[]") == 2  # O1 and O2 own nothing in building 2

    full = tmp_path / "full.zip"
    full.write_bytes(await export_bundle(db, m["id"], full=True))
    assert verify_bundle(full, workers=1).ok

    # The operator re-signs the record with O5's share of building 2 raised: the seal holds, the
    # units do not give that share (full bundle), and the tally it claims is not the record's
    from plugins.voting.services.keys import meeting_key
    from plugins.voting.tables import VotingMeeting

    row = await VotingMeeting.select(VotingMeeting.id).where(VotingMeeting.public_id == m["id"]).first()
    seed, _ = await meeting_key(db, row["id"])

    def inflate(record):
        for voter in record["register"]["voters"]:
            for share in voter.get("scopes") or []:
                if share["area_centi"] == 7000:
                    share["area_centi"] = 7500

    forged = tmp_path / "forged.zip"
    forged.write_bytes(rewrite(full.read_bytes(), resealed(m["id"], seed, inflate)))
    codes = {d["code"] for d in verify_bundle(forged, workers=1).discrepancies}
    assert "register_scope_mismatch" in codes and "tally_mismatch" in codes, codes
    assert {"seal_signature_invalid", "seal_root_mismatch"}.isdisjoint(codes)


async def test_the_sheets_and_the_notice_say_who_decides_a_scoped_motion(db, scoped_meeting):
    from docx import Document

    from plugins.voting.services.delivery import notice_document

    m = scoped_meeting
    document = Document(io.BytesIO(m["docx"]))
    pages: list[list[str]] = [[]]
    for block in document.element.body.iter():
        if (
            block.tag.endswith("}br")
            and block.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "page"
        ):
            pages.append([])
        elif block.tag.endswith("}tc"):
            pages[-1].append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    assert len(pages) == 5
    # voter 1 (O1, building 1): dashes on building 2's motion; voter 4 (O3, building 2): boxes
    titles = [c for c in pages[0] if "2号楼电梯" in c]
    assert titles == ["使用维修资金更换2号楼电梯（仅由2号楼的业主表决）"]
    row = pages[0].index(titles[0])
    assert pages[0][row + 1 : row + 4] == ["—", "—", "—"]
    row = pages[3].index(titles[0])
    assert pages[3][row + 1 : row + 4] == ["□", "□", "□"]
    notice = Document(io.BytesIO(await notice_document(db, m["estate"], m["id"])))
    text = "\n".join(p.text for p in notice.paragraphs) + "".join(
        c.text for t in notice.tables for r in t.rows for c in r.cells
    )
    assert "使用维修资金更换2号楼电梯（仅由2号楼的业主表决）" in text


async def test_a_proxy_not_given_a_buildings_motion_leaves_it_out_and_the_record_verifies(
    db, client, scoped_meeting, tmp_path
):
    """O3 (building 2) authorises a proxy for motion 1 only: the proxy's sheet answers motion 1 alone
    — at the cast, in the sheet's state and for wuye verify — though O3 has a share of motion 2."""
    from plugins.voting.protocol.credentials import fragment_to_seed
    from plugins.voting.services.proxies import Authorisation, record_proxy
    from tests.plugins.voting.test_proxies import PDF

    m = scoped_meeting
    _, result = await record_proxy(
        db,
        m["estate"],
        m["id"],
        "officer",
        Authorisation(m["issued"][4].serial, "李受托", "310101198001011234", [1], {}, PDF, "a.pdf"),
    )
    (issued,) = result.issued
    m["seeds"][4] = fragment_to_seed(issued.url.partition("#")[2][2:])
    state = await _sheet(client, m, 4)
    assert state["motions"] == [1] and state["proxy"]["proxy_name"] == "李受托"
    beyond = await client.post(
        f"/v/{m['id']}/ballots", json=_ballot(m, 4, [AGREE_1, {"motion": 2, "choice": "agree"}])
    )
    assert beyond.status_code == 403 and beyond.json()["code"] == "voting_cast_proxy_motion"
    cast = await client.post(f"/v/{m['id']}/ballots", json=_ballot(m, 4, [AGREE_1]))
    assert cast.status_code == 201, cast.text
    await close_voting(m)
    await seal_meeting(db, m["estate"], m["id"], "officer")
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(await export_bundle(db, m["id"]))
    report = verify_bundle(bundle, workers=1)
    assert report.ok, report.discrepancies
