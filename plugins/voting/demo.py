"""Demo data for ``wuye demo`` / ``make run``: a register of 120 units, a published meeting with
printed ballot sheets (written to ``var/demo/``) and every sheet delivered."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core.districts import DistrictInfo
from core.runtime import current
from plugins.voting.ballots import print_ballots
from plugins.voting.delivery import record_delivery
from plugins.voting.meetings import create_meeting, parse_meeting_file, publish_meeting
from plugins.voting.schemas import MeetingIn
from plugins.voting.services import import_register
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
            {"title": "使用专项维修资金更换1号楼电梯（预算48万元）", "matter": "use_fund"},
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


async def populate(district: DistrictInfo, estate: dict[str, Any], actor: str) -> list[str]:
    runtime = current()
    created: list[str] = []
    if not await VotingUnit.exists().where(VotingUnit.estate == estate["id"]):
        result = await import_register(district, estate["code"], demo_register(), "demo-register.csv", actor)
        created.append(f"业主名册 {result['units']} 户")
    if await VotingMeeting.exists().where(VotingMeeting.estate == estate["id"]):
        return created
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    today = datetime.now(ZoneInfo(profile.timezone)).date()
    meeting = await create_meeting(district, estate["code"], demo_meeting(today), actor)
    public_id = meeting["meeting"]
    await publish_meeting(district, public_id, actor, today=today - timedelta(days=20))
    printed = await print_ballots(district, public_id, actor)
    folder = runtime.settings.var_dir / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ballots.docx").write_bytes(printed.docx)
    voters = await VotingVoter.select(VotingVoter.serial).where(
        VotingVoter.meeting == (await _meeting_id(public_id))
    )
    for voter in voters:
        await record_delivery(
            district,
            public_id,
            actor,
            serial=voter["serial"],
            method="in_person",
            delivered_on=today - timedelta(days=12),
            received_by="业主本人",
        )
    created.append(
        f"表决会议 {public_id}（已发布，{len(printed.issued)} 张表决票：{folder / 'ballots.docx'}）"
    )
    created.append(f"第一张表决票的二维码地址：{printed.issued[0].url}")
    return created


async def _meeting_id(public_id: str) -> int:
    row = await VotingMeeting.select(VotingMeeting.id).where(VotingMeeting.public_id == public_id).first()
    return int(row["id"])
