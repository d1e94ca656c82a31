"""Demo data for ``wuye demo`` / ``make run``: a register of 120 units, a published meeting with
printed ballot sheets (written to ``var/demo/``) and every sheet delivered."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import msgspec

from core import (
    DistrictInfo,
    NotFound,
    Runtime,
    add_estate,
    district_today,
    get_estate,
    set_district_clock,
    sign,
)
from plugins.voting.protocol.ballot import ballot_message
from plugins.voting.protocol.credentials import fragment_to_seed, public_key_hex
from plugins.voting.schemas import MeetingIn
from plugins.voting.services.announcement import announcement_document
from plugins.voting.services.ballots import print_ballots
from plugins.voting.services.cast import cast
from plugins.voting.services.delivery import open_voting, record_delivery
from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
from plugins.voting.services.paper import PaperEntry, enter_paper_ballots
from plugins.voting.services.register import import_register
from plugins.voting.services.scrutineers import register_scrutineer_key
from plugins.voting.services.seal import export_bundle, seal_meeting
from plugins.voting.tables import VotingMeeting, VotingUnit, VotingVoter

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def demo_register() -> bytes:
    """120 units in 3 buildings: one owner holds two units, four are the developer's unsold ones."""
    rng = random.Random(2026)
    rows = ["unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"]
    number = 0
    for building in (1, 2, 3):
        for floor in range(1, 11):
            for door in range(1, 5):
                number += 1
                code = f"{building}-{floor}{door:02d}"
                area = f"{rng.choice([68, 75, 89, 96, 112, 128])}.{rng.randint(0, 99):02d}"
                source = "register" if number % 10 else "survey"
                if building == 3 and floor == 10:
                    rows.append(f"{code},{area},contract,DEV,示范置业有限公司,,1")
                    continue
                owner = number if code != "2-102" else number - 1  # 2-101 and 2-102: one buyer
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                rows.append(f"{code},{area},{source},OWNER{owner:04d},{name},沪(2019)示字第{owner:06d}号,0")
    return ("\n".join(rows) + "\n").encode()


def demo_meeting(today: date) -> MeetingIn:
    meeting_day = today
    data = {
        "title": "示范花园2026年度业主大会会议",
        "kind": "regular",
        "location": "示范花园会所",
        "timetable": {
            "notice_date": (today - timedelta(days=20)).isoformat(),
            "delivery_deadline": (today - timedelta(days=10)).isoformat(),
            "meeting_date": meeting_day.isoformat(),
            "voting_closes": datetime.combine(today + timedelta(days=14), time(17, 0)).isoformat() + "+08:00",
            "count_date": (today + timedelta(days=15)).isoformat(),
        },
        "motions": [
            {"title": "续聘示范物业管理有限公司为本小区物业服务企业（三年）", "matter": "hire_firm"},
            # put to building 1's owners only: they share the lift's cost (Civil Code Art. 278)
            {"title": "使用专项维修资金更换1号楼电梯（预算48万元）", "matter": "use_fund", "scope": ["1"]},
            {"title": "利用小区共有部分设置电动自行车充电设施并收取费用", "matter": "change_common_use"},
            {
                "title": "选举第三届业主委员会委员",
                "matter": "elect_committee",
                "kind": "election",
                "seats": 3,
                "candidates": ["周建国", "吴敏", "郑晓红", "王立新", "冯海"],
            },
        ],
        "officials": [
            {"role": "scrutineer", "name": "陈监票"},
            {"role": "counter", "name": "林计票"},
            {"role": "caller", "name": "何唱票"},
        ],
    }
    return parse_meeting_file(msgspec.json.encode(data))


async def _clock_at(runtime: Runtime, district: DistrictInfo, actor: str, day: date, hour: int = 9) -> None:
    """Move the demo's training district's clock to ``day`` at ``hour`` o'clock (local time): the
    demo rehearses its meetings the way an office does, on the district's clock."""
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    moment = datetime.combine(day, time(hour), tzinfo=ZoneInfo(profile.timezone))
    await set_district_clock(runtime, actor, district, moment)


async def _real_today(runtime: Runtime, district: DistrictInfo, actor: str) -> date:
    """The demo district's clock back on real time; today's date there."""
    if district.training:
        await set_district_clock(runtime, actor, district, None)
    return await district_today(district, runtime.jurisdictions.get(district.jurisdiction_code))


async def populate(district: DistrictInfo, estate: dict[str, Any], actor: str, runtime: Runtime) -> list[str]:
    created: list[str] = []
    if not await VotingUnit.exists().where(VotingUnit.estate == estate["id"]):
        result = await import_register(district, estate["code"], demo_register(), "demo-register.csv", actor)
        created.append(f"业主名册 {result['units']} 户")
    if await VotingMeeting.exists().where(VotingMeeting.estate == estate["id"]):
        return created + await populate_closed(district, actor, runtime)
    today = await _real_today(runtime, district, actor)
    meeting = await create_meeting(runtime, district, estate["code"], demo_meeting(today), actor)
    public_id = meeting["meeting"]
    await _clock_at(runtime, district, actor, today - timedelta(days=20))  # the notice's day
    await publish_meeting(runtime, district, public_id, actor)
    printed = await print_ballots(runtime, district, public_id, actor)
    folder = runtime.settings.var_dir / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ballots.docx").write_bytes(printed.docx)
    voters = await VotingVoter.select(VotingVoter.serial).where(
        VotingVoter.meeting == (await _meeting_id(public_id))
    )
    await _clock_at(runtime, district, actor, today - timedelta(days=12), hour=10)  # the sheets go out
    for voter in voters:
        await record_delivery(
            runtime,
            district,
            public_id,
            actor,
            serial=voter["serial"],
            method="in_person",
            delivered_on=today - timedelta(days=12),
            received_by="业主本人",
        )
    await _real_today(runtime, district, actor)
    created.append(
        f"表决会议 {public_id}（已发布，{len(printed.issued)} 张表决票：{folder / 'ballots.docx'}）"
    )
    created.append(f"第一张表决票的二维码地址：{printed.issued[0].url}")
    return created + await populate_closed(district, actor, runtime)


async def _meeting_id(public_id: str) -> int:
    row = await VotingMeeting.select(VotingMeeting.id).where(VotingMeeting.public_id == public_id).first()
    return int(row["id"])


CLOSED_ESTATE = "DEMO2"
#: the demo scrutineer's passphrase (a real one is typed by the scrutineer and never stored)
DEMO_PASSPHRASE = "demo-监票口令"
CLOSED_VOTERS = 300


def closed_register() -> bytes:
    """300 units with one owner each, in 5 buildings."""
    rng = random.Random(2025)
    rows = ["unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"]
    for number in range(CLOSED_VOTERS):
        building, rest = divmod(number, 60)
        code = f"{building + 1}-{rest // 4 + 1}{rest % 4 + 1:02d}"
        area = f"{rng.choice([72, 85, 90, 101, 118, 136])}.{rng.randint(0, 99):02d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        rows.append(f"{code},{area},register,B{number:04d},{name},沪(2018)示字第{number:06d}号,0")
    return ("\n".join(rows) + "\n").encode()


def closed_meeting(today: date) -> MeetingIn:
    closes = today - timedelta(days=1)
    meeting_day = closes - timedelta(days=14)
    data = {
        "title": "示范花园二期2026年第一次业主大会会议",
        "kind": "regular",
        "location": "二期活动室",
        "timetable": {
            "notice_date": (meeting_day - timedelta(days=20)).isoformat(),
            "delivery_deadline": (meeting_day - timedelta(days=10)).isoformat(),
            "meeting_date": meeting_day.isoformat(),
            "voting_closes": datetime.combine(closes, time(17, 0)).isoformat() + "+08:00",
            "count_date": today.isoformat(),
        },
        "motions": [
            {"title": "选聘示范物业管理有限公司为本小区物业服务企业（三年）", "matter": "hire_firm"},
            {"title": "使用专项维修资金维修2号楼屋面防水（预算26万元）", "matter": "use_fund"},
            {"title": "将小区东侧绿地改建为机动车停车位", "matter": "change_common_use"},
            {
                "title": "选举第一届业主委员会委员",
                "matter": "elect_committee",
                "kind": "election",
                "seats": 3,
                "candidates": ["钱立群", "孙慧", "李国强", "周敏"],
            },
        ],
        "officials": [
            {"role": "scrutineer", "name": "陆监票"},
            {"role": "counter", "name": "沈计票"},
            {"role": "caller", "name": "韩唱票"},
        ],
    }
    return parse_meeting_file(msgspec.json.encode(data))


def _simulated_choices(rng: random.Random) -> list[dict[str, Any]]:
    def pick(weights: tuple[int, int, int]) -> str:
        return rng.choices(["agree", "oppose", "abstain"], weights=weights)[0]

    candidates = ["c1", "c2", "c3", "c4"]
    chosen = [c for c, p in zip(candidates, (0.8, 0.7, 0.55, 0.3), strict=True) if rng.random() < p][:3]
    return [
        {"motion": 1, "choice": pick((80, 12, 8))},
        {"motion": 2, "choice": pick((70, 20, 10))},
        {"motion": 3, "choice": pick((55, 35, 10))},
        {"motion": 4, "candidates": chosen},
    ]


async def populate_closed(district: DistrictInfo, actor: str, runtime: Runtime) -> list[str]:
    """A second estate with a meeting that has been voted (about 60% online, 20% on paper, a few
    owners both ways), sealed, tallied, announced and exported to ``var/demo/``."""
    try:
        await get_estate(district, CLOSED_ESTATE)
        return []
    except NotFound:
        estate = await add_estate(runtime, actor, district, CLOSED_ESTATE, "示范花园二期", "示范路 99 弄")
    today = await _real_today(runtime, district, actor)
    await import_register(district, estate["code"], closed_register(), "demo2-register.csv", actor)
    meeting = await create_meeting(runtime, district, estate["code"], closed_meeting(today), actor)
    public_id = meeting["meeting"]
    row = await VotingMeeting.select().where(VotingMeeting.public_id == public_id).first()
    await _clock_at(runtime, district, actor, row["notice_date"])
    await publish_meeting(runtime, district, public_id, actor)
    printed = await print_ballots(runtime, district, public_id, actor, workers=1)
    # the meeting day: the vote opens and the simulated online ballots below arrive
    await _clock_at(runtime, district, actor, row["meeting_date"])
    await open_voting(runtime, district, public_id, actor, "演示数据：模拟送达")
    rng = random.Random(7)
    info_digest = (
        row["register_digest"]
        or (
            await VotingMeeting.select(VotingMeeting.register_digest)
            .where(VotingMeeting.id == row["id"])
            .first()
        )["register_digest"]
    )
    online = paper = both = 0
    entries: list[PaperEntry] = []
    for index, credential in enumerate(printed.issued):
        roll = rng.random()
        choices = _simulated_choices(rng)
        two_ways = index % 50 == 7  # a few owners vote online and also hand in their sheet
        if roll < 0.62 or two_ways:
            seed = fragment_to_seed(urlsplit(credential.url).fragment[2:])
            ballot = {
                "protocol": "wuye-ballot-v1",
                "meeting": public_id,
                "register_digest": info_digest,
                "voter_key": public_key_hex(seed),
                "choices": choices,
            }
            body = {"ballot": ballot, "signature": sign(seed, ballot_message(public_id, ballot)).hex()}
            await cast(runtime, public_id, body)
            online += 1
        if 0.62 <= roll < 0.82 or two_ways:
            words = {"agree": "同意", "oppose": "反对", "abstain": "弃权"}
            values: dict[int, str] = {}
            for choice in choices:
                values[choice["motion"]] = (
                    words[choice["choice"]]
                    if "choice" in choice
                    else "、".join(
                        {"c1": "钱立群", "c2": "孙慧", "c3": "李国强", "c4": "周敏"}[c]
                        for c in choice["candidates"]
                    )
                )
            entries.append(PaperEntry(credential.serial, values))
            paper += 1
            both += two_ways
    # the count day, after the vote closed: the scrutineer signs in to the count (their key, §8.2),
    # then confirms every sheet entered, and the board is sealed
    await _clock_at(runtime, district, actor, today)
    await register_scrutineer_key(district, public_id, "demo:陆监票", "陆监票", DEMO_PASSPHRASE)
    await enter_paper_ballots(
        runtime,
        district,
        public_id,
        "demo:沈计票",
        entries,
        scrutineer="陆监票",
        passphrase=DEMO_PASSPHRASE,
    )
    sealed = await seal_meeting(runtime, district, public_id, actor)
    folder = runtime.settings.var_dir / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "result-bundle.zip").write_bytes(await export_bundle(runtime, public_id))
    (folder / "result.docx").write_bytes(await announcement_document(runtime, district, public_id, actor))
    await _real_today(runtime, district, actor)
    return [
        f"已封存的表决会议 {public_id}（示范花园二期：网上表决 {online} 张，纸质 {paper} 张，"
        f"其中 {both} 户两种方式都用了）",
        f"表决结果：{runtime.settings.base_url}/verify/{public_id}；哈希根 {sealed['root']}",
        f"表决记录包：{folder / 'result-bundle.zip'}（用 wuye verify 核验）；"
        f"结果公告：{folder / 'result.docx'}",
    ]
