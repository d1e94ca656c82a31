"""Proxies (委托投票, #18 point 1): a written authorisation recorded for a voter (who, which motions,
the owner's instructions, the scan kept), the proxy's sheet printed in its place; the proxy votes
online or on paper within the authorisation; the profile's cap on owners per proxy (Weifang: 3) and
"votes as instructed" (Shanghai 2020) enforced at the cast, the count and by the verifier."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document

from core import WuyeError
from core.data.tables import AuditEntry
from core.district_services import add_district, add_estate, switch_plugin
from core.testing import login, office_today
from plugins.voting.protocol.credentials import code_to_seed, public_key_hex
from plugins.voting.protocol.proxy import over_cap, proxy_problem, proxy_specs
from plugins.voting.protocol.verifier import verify_bundle
from plugins.voting.services.paper import PaperEntry
from plugins.voting.services.proxies import Authorisation, list_proxies, parse_instructions, record_proxy
from plugins.voting.services.seal import export_bundle, seal_meeting
from plugins.voting.tables import VotingCredential, VotingProxy, VotingVoter
from tests.plugins.voting.conftest import close_voting, enter_confirmed, meeting_handle, signed, start_meeting
from tests.plugins.voting.test_seal import resealed, rewrite

TODAY = office_today()
ROWS = [f"1-{100 + n},{80 + n}.00,register,O{n},业主{n},C{n},0" for n in range(1, 7)]
PDF = b"%PDF-1.4\n% signed authorisation\n"
WEIFANG_ID = "370702198001011234"
#: the meeting file's motions: 1 hire the firm, 2 use the fund, 3 elect two of 赵一 (c1), 钱二 (c2), 孙三 (c3)
ALL = [
    {"motion": 1, "choice": "agree"},
    {"motion": 2, "choice": "oppose"},
    {"motion": 3, "candidates": ["c1", "c2"]},
]


def test_a_proxy_answers_within_the_authorisation_and_as_instructed():
    free = {"motions": [1, 2], "instructions": None}
    assert proxy_problem(ALL[:2], free) is None
    assert proxy_problem(ALL, free) == "voting_cast_proxy_motion"
    bound = {"motions": [1, 3], "instructions": [ALL[0], {"motion": 3, "candidates": ["c2", "c1"]}]}
    assert proxy_problem([ALL[0], ALL[2]], bound) is None  # the candidates in any order
    assert proxy_problem([ALL[0]], bound) == "voting_cast_proxy_instructions"
    # an instruction for one motion only: the other authorised motions are the proxy's to answer
    partial = {"motions": [1, 2], "instructions": [ALL[0]]}
    assert proxy_problem(ALL[:2], partial) is None
    assert (
        proxy_problem([{"motion": 1, "choice": "abstain"}, ALL[1]], partial)
        == "voting_cast_proxy_instructions"
    )
    assert (
        proxy_problem([{"motion": 1, "choice": "oppose"}, ALL[2]], bound) == "voting_cast_proxy_instructions"
    )
    from plugins.voting.protocol.ballot import MotionSpec

    specs = proxy_specs([MotionSpec(1, "resolution"), MotionSpec(2, "resolution")], [1])
    assert [s.scoped for s in specs] == [False, True]
    credentials = [{"voter_no": n, "proxy": {"proxy_no": 1 if n < 5 else 2}} for n in range(1, 7)]
    credentials.append({"voter_no": 1, "proxy": {"proxy_no": 1}})  # a reprint: the same principal
    assert (
        over_cap(credentials, 3) == [(1, 4)]
        and over_cap(credentials, 4) == []
        and not over_cap(credentials, None)
    )


def test_instructions_read_as_the_clerk_types_them():
    assert parse_instructions("1=同意；3=赵一、钱二") == {1: "同意", 3: "赵一、钱二"}
    assert parse_instructions("1：反对\n2:弃权") == {1: "反对", 2: "弃权"}
    assert parse_instructions('{"2": "同意"}') == {2: "同意"} and parse_instructions(" ") == {}
    with pytest.raises(WuyeError) as bad:
        parse_instructions("第一项同意")
    assert bad.value.code == "voting_proxy_bad_instruction"


async def _district(db, slug: str, name: str, jurisdiction: str):
    district = await add_district(db, "test", slug, name, jurisdiction=jurisdiction)
    await add_estate(db, "test", district, "E1", "示范花园")
    await switch_plugin(db, "test", district, "voting", True)
    return district


async def _meeting(db, district) -> dict:
    m = await meeting_handle(district, *await start_meeting(db, district, ROWS))
    return m | {"serial": {c.voter_no: c.serial for c in m["issued"]}}


@pytest.fixture
async def weifang(db):
    return await _meeting(db, await _district(db, "wf", "潍坊街道", "weifang"))


def authorise(
    m: dict, voter_no: int, name: str = "李受托", proxy_id: str = WEIFANG_ID, **kw
) -> Authorisation:
    return Authorisation(
        serial=m["serial"][voter_no],
        proxy_name=name,
        proxy_id=proxy_id,
        motions=kw.get("motions", [1, 2]),
        instructions=kw.get("instructions", {}),
        scan=kw.get("scan", PDF),
        scan_name="委托书.pdf",
    )


def ballot(m: dict, seed: bytes, choices: list[dict]) -> dict:
    body = {
        "protocol": "wuye-ballot-v1",
        "meeting": m["id"],
        "register_digest": m["digest"],
        "voter_key": public_key_hex(seed),
        "choices": choices,
    }
    return signed(m, seed, body)


async def cast(client, m: dict, seed: bytes, choices: list[dict]):
    return await client.post(f"/v/{m['id']}/ballots", json=ballot(m, seed, choices))


async def test_a_proxy_votes_online_within_the_authorisation_and_the_cap_holds(db, client, weifang):
    m = weifang
    summary, printed = await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, 1))
    assert summary["number"] == 1 and summary["proxy_no"] == 1 and summary["motions"] == [1, 2]
    assert summary["proxy_id_tail"] == "1234" and summary["serial"] == m["serial"][1]
    (sheet,) = printed.issued
    assert sheet.voter_no == 1 and sheet.version == 2 and sheet.serial == summary["proxy_sheet"]
    seed = code_to_seed(sheet.code)

    # the owner's own sheet is revoked; the proxy's answers the authorised motions only
    own = await cast(client, m, m["seeds"][0], ALL)
    assert own.status_code == 403 and own.json()["code"] == "voting_cast_revoked", own.text
    beyond = await cast(client, m, seed, ALL)
    assert beyond.status_code == 403 and beyond.json()["code"] == "voting_cast_proxy_motion"
    assert "授权委托书" in beyond.json()["message"]
    accepted = await cast(client, m, seed, ALL[:2])
    assert accepted.status_code == 201, accepted.text

    # Weifang Art. 32: one proxy holds at most three owners' authorisations
    for voter_no in (2, 3):
        more, _ = await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, voter_no))
        assert more["proxy_no"] == 1
    with pytest.raises(WuyeError) as capped:
        await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, 4, proxy_id=WEIFANG_ID.lower()))
    assert capped.value.code == "voting_proxy_cap" and capped.value.status_code == 409
    assert "潍坊市物业管理条例》第三十二条" in capped.value.message and "3 名" in capped.value.message
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 3
    other, _ = await record_proxy(
        db, m["estate"], m["id"], "officer", authorise(m, 4, "王受托", "370702199001015678")
    )
    assert other["proxy_no"] == 2 and other["number"] == 4

    # one authorisation per voter; none for a voter who has voted online
    with pytest.raises(WuyeError) as again:
        await record_proxy(
            db, m["estate"], m["id"], "officer", authorise(m, 1, "王受托", "370702199001015678")
        )
    assert again.value.code == "voting_proxy_exists"
    assert (await cast(client, m, m["seeds"][4], ALL)).status_code == 201
    with pytest.raises(WuyeError) as voted:
        await record_proxy(
            db, m["estate"], m["id"], "officer", authorise(m, 5, "王受托", "370702199001015678")
        )
    assert voted.value.code == "voting_proxy_voted" and voted.value.status_code == 409
    assert await VotingProxy.count() == 4
    listed = await list_proxies(db, m["estate"], m["id"])
    assert [(p["number"], p["proxy_no"], p["proxy_name"]) for p in listed] == [
        (1, 1, "李受托"),
        (2, 1, "李受托"),
        (3, 1, "李受托"),
        (4, 2, "王受托"),
    ]
    stored = await VotingProxy.select(VotingProxy.proxy_id_digest).first()
    assert WEIFANG_ID not in json.dumps(stored) and len(stored["proxy_id_digest"]) == 64


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"scan": b"not a scan"}, "voting_proxy_scan_type"),
        ({"scan": b""}, "voting_proxy_no_scan"),
        ({"proxy_id": "12-34"}, "voting_proxy_bad_id"),
        ({"name": "业主1"}, "voting_proxy_self"),
        ({"motions": [1, 9]}, "voting_proxy_unknown_motion"),
        ({"instructions": {3: "赵一"}}, "voting_proxy_bad_instruction"),  # not an authorised motion
        ({"motions": [1], "instructions": {1: "也许"}}, "voting_proxy_bad_instruction"),
    ],
)
async def test_a_bad_authorisation_is_refused_and_nothing_changes(db, weifang, change, code):
    m = weifang
    kw = {k: v for k, v in change.items() if k not in {"name", "proxy_id"}}
    data = authorise(m, 1, change.get("name", "李受托"), change.get("proxy_id", WEIFANG_ID), **kw)
    with pytest.raises(WuyeError) as refused:
        await record_proxy(db, m["estate"], m["id"], "officer", data)
    assert refused.value.code == code and refused.value.status_code == 400
    assert await VotingProxy.count() == 0
    assert await VotingCredential.count().where(VotingCredential.revoked_at.is_not_null()) == 0


def _texts(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_the_console_api_records_an_authorisation_and_keeps_its_scan(
    db, client, weifang, staff_factory
):
    m = weifang
    await staff_factory("officer_wf", "district_officer", "wf")
    csrf = await login(client, "officer_wf")
    url = f"/d/wf/voting/meetings/{m['id']}/proxies"
    form = {
        "serial": m["serial"][2],
        "proxy_name": "李受托",
        "proxy_id": WEIFANG_ID,
        "motions": "1、2",
        "instructions": "1=同意",
    }
    bad = await client.post(
        url, data=form, files={"scan": ("a.txt", b"hello", "text/plain")}, headers={"X-CSRF-Token": csrf}
    )
    assert bad.status_code == 400 and bad.json()["code"] == "voting_proxy_scan_type"
    assert "PDF" in bad.json()["message"] and await VotingProxy.count() == 0
    twice = []
    for _ in range(2):  # a clerk who clicks twice gets one authorisation and a clear refusal
        twice.append(
            await client.post(
                url,
                data=form,
                files={"scan": ("委托书.pdf", PDF, "application/pdf")},
                headers={"X-CSRF-Token": csrf},
            )
        )
    response, second = twice
    assert response.status_code == 201, response.text
    assert second.status_code == 409 and second.json()["code"] == "voting_proxy_exists"
    assert response.headers["x-wuye-proxy"] == "1"
    text = _texts(response.content)
    assert "业主2（委托人）" in text and "受托人：李受托" in text and "第1项同意" in text
    (issued,) = [r for r in await VotingCredential.select().where(VotingCredential.proxy.is_not_null())]
    assert issued["version"] == 2 and issued["revoked_at"] is None
    listed = (await client.get(url)).json()
    assert listed[0]["instructions"] == [{"motion": 1, "choice": "agree"}]
    assert listed[0]["proxy_sheet"] == f"{m['serial'][2]}.2" or listed[0]["proxy_sheet"].startswith(
        m["serial"][2]
    )
    scan = await client.get(f"{url}/1/scan")
    assert (
        scan.status_code == 200
        and scan.content == PDF
        and scan.headers["content-type"].startswith("application/pdf")
    )
    assert await AuditEntry.count().where(AuditEntry.action == "voting.proxy_scan_read") == 1
    missing = await client.get(f"{url}/9/scan")
    assert missing.status_code == 404 and missing.json()["code"] == "voting_proxy_not_found"

    # another district's officer sees none of it
    await add_district(db, "test", "beta", "乙街道")
    await staff_factory("officer_b", "district_officer", "beta")
    csrf_b = await login(client, "officer_b")
    for path in (url, f"{url}/1/scan"):
        assert (await client.get(path)).status_code in {403, 404}
    refused = await client.post(
        url,
        data={**form, "serial": m["serial"][3]},
        files={"scan": ("a.pdf", PDF, "application/pdf")},
        headers={"X-CSRF-Token": csrf_b},
    )
    assert refused.status_code in {403, 404} and await VotingProxy.count() == 1


async def test_proxy_sheets_count_on_paper_and_the_verifier_checks_the_cap(db, client, weifang, tmp_path):
    m = weifang
    _, first = await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, 1))
    seed = code_to_seed(first.issued[0].code)
    assert (await cast(client, m, seed, ALL[:2])).status_code == 201
    _, paper = await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, 2, motions=[1]))
    await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, 3, "王受托", "370702199001015678"))
    await close_voting(m)
    sheet = paper.issued[0].serial
    with pytest.raises(WuyeError) as beyond:  # a mark on a motion outside the authorisation
        await enter_confirmed(
            db,
            m["estate"],
            m["id"],
            "counter",
            [PaperEntry(sheet, {1: "同意", 2: "反对", 3: ""})],
        )
    assert beyond.value.code == "voting_cast_proxy_motion"
    await enter_confirmed(
        db,
        m["estate"],
        m["id"],
        "counter",
        [
            PaperEntry(sheet, {1: "同意", 2: "", 3: ""}),
            PaperEntry(m["serial"][4], {1: "反对", 2: "同意", 3: "赵一"}),
        ],
    )
    await seal_meeting(db, m["estate"], m["id"], "officer")
    full = tmp_path / "full.zip"
    full.write_bytes(await export_bundle(db, m["id"], full=True))
    report = verify_bundle(full, workers=1)
    assert report.ok, report.discrepancies
    record = json.loads(zipfile.ZipFile(full).read("record.json"))
    proxies = [c["proxy"] for c in record["credentials"] if c.get("proxy")]
    assert sorted(p["motions"] for p in proxies) == [[1], [1, 2], [1, 2]]
    assert sorted(p["proxy_no"] for p in proxies) == [1, 1, 2]
    assert all(len(p["scan_sha256"]) == 64 for p in proxies)
    assert WEIFANG_ID not in json.dumps(record, ensure_ascii=False)
    tally = {t["motion"]: t for t in report.tally["motions"]}
    # the sheet that answers motion 1 only: motion 2 is an abstention (§9.3: a motion left out)
    assert tally[1]["headcount"]["participating"] == 3 and tally[2]["headcount"]["abstain"] == 1
    public = tmp_path / "public.zip"
    public.write_bytes(await export_bundle(db, m["id"]))
    assert verify_bundle(public, workers=1).ok

    # the operator re-signs the record with a fourth owner given to proxy 1 (over Weifang's cap of 3)
    # and a proxy's ballot widened beyond its authorisation: the seal holds, the verifier names both
    from plugins.voting.services.keys import meeting_key
    from plugins.voting.tables import VotingMeeting

    row = await VotingMeeting.select(VotingMeeting.id).where(VotingMeeting.public_id == m["id"]).first()
    meeting_seed, _ = await meeting_key(db, row["id"])

    def forge(record):
        for credential in record["credentials"]:
            if credential.get("proxy"):
                credential["proxy"]["proxy_no"] = 1
                credential["proxy"]["motions"] = [1]
        proxied = {c["voter_no"] for c in record["credentials"] if c.get("proxy")}
        spare = next(c for c in record["credentials"] if c["voter_no"] not in proxied)
        spare["proxy"] = dict(proxies[0], proxy_no=1)

    forged = tmp_path / "forged.zip"
    forged.write_bytes(rewrite(public.read_bytes(), resealed(m["id"], meeting_seed, forge)))
    codes = {d["code"] for d in verify_bundle(forged, workers=1).discrepancies}
    assert {"proxy_over_cap", "ballot_beyond_proxy"} <= codes, codes
    assert {"seal_signature_invalid", "seal_root_mismatch"}.isdisjoint(codes)


@pytest.fixture
async def shanghai(db):
    return await _meeting(db, await _district(db, "sh", "上海某街道", "shanghai-2020"))


async def test_under_shanghai_2020_the_proxy_votes_as_instructed(db, client, shanghai):
    m = shanghai
    with pytest.raises(WuyeError) as unsaid:
        await record_proxy(db, m["estate"], m["id"], "officer", authorise(m, 1))
    assert unsaid.value.code == "voting_proxy_instructions_required"
    assert await VotingProxy.count() == 0
    summary, printed = await record_proxy(
        db,
        m["estate"],
        m["id"],
        "officer",
        authorise(m, 1, motions=[1, 3], instructions={1: "同意", 3: "赵一、钱二"}),
    )
    assert summary["instructions"] == [ALL[0], {"motion": 3, "candidates": ["c1", "c2"]}]
    assert "第1项同意；第3项赵一、钱二" in _texts(printed.docx)
    seed = code_to_seed(printed.issued[0].code)
    wrong = await cast(client, m, seed, [{"motion": 1, "choice": "oppose"}, ALL[2]])
    assert wrong.status_code == 403 and wrong.json()["code"] == "voting_cast_proxy_instructions"
    assert (
        await cast(client, m, seed, [ALL[0], {"motion": 3, "candidates": ["c2", "c1"]}])
    ).status_code == 201
    assert await VotingVoter.count() == 6
