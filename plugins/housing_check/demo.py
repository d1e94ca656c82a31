"""Demo data for ``wuye demo`` / ``make run``: two open entrustments in the demo district — one with its
first household checked (steps, an attachment, a home and a cash-compensated home), one just received —
so the deadline list has something in it. The demo officer (``officer``) is made the district's
housing-check supervisor, and a checking officer ``checker`` is assigned to both. Names and identity
numbers are invented (with valid check characters). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core import (
    DEMO_ACCOUNTS,
    Actor,
    DistrictInfo,
    Grant,
    RoleGrant,
    Runtime,
    Staff,
    Upload,
    create_staff,
    grant_role,
    staff_id,
    today_in,
)
from plugins.housing_check.messages import DEMO
from plugins.housing_check.rules import id_check_character
from plugins.housing_check.rules.intake import ParsedList
from plugins.housing_check.schemas import HouseholdIn, MemberIn
from plugins.housing_check.services import dwellings, entrustments, households, officers
from plugins.housing_check.services.access import SUPERVISOR_SCOPE
from plugins.housing_check.tables import HousingCheckEntrustment

CHECKER = ("checker", "住房核查员（演示）", "wuye-checker-2026")
OFFICE = "示范街道社区事务受理服务中心（住房保障）"


def person(name: str, birth: str, serial: str, relation: str) -> MemberIn:
    body = f"310101{birth}{serial}"
    return MemberIn(name, body + id_check_character(body), relation)


LETTERS: list[dict[str, Any]] = [
    {
        "scheme": "low_rent",
        "days_ago": 8,
        "households": [
            HouseholdIn(
                "LZ-01",
                [
                    person("陈建国", "19780312", "031", "申请人"),
                    person("刘秀英", "19800705", "042", "配偶"),
                    person("陈晓雨", "20060918", "026", "子女"),
                ],
            ),
            HouseholdIn(
                "LZ-02",
                [person("周明", "19851102", "017", "申请人"), person("吴婷", "19870421", "028", "配偶")],
            ),
        ],
    },
    {
        "scheme": "shared_ownership",
        "days_ago": 1,
        "households": [
            HouseholdIn("GY-01", [person("孙立", "19900630", "055", "申请人")]),
            HouseholdIn(
                "GY-02",
                [person("郑华", "19820115", "064", "申请人"), person("郑小军", "20100509", "013", "子女")],
            ),
        ],
    },
]


async def _accounts(district: DistrictInfo, actor: str) -> list[str]:
    """The demo officer supervises housing checks here; ``checker`` holds the checker role (it
    reaches only the work assigned to it)."""
    created = []
    officer = next(a[0] for a in DEMO_ACCOUNTS if a[3] == "district_officer")
    if not await RoleGrant.exists().where(
        (RoleGrant.staff == await staff_id(officer))
        & (RoleGrant.district == district.id)
        & (RoleGrant.scope == SUPERVISOR_SCOPE)
    ):
        await grant_role(actor, officer, "district_officer", district.slug, scope=SUPERVISOR_SCOPE)
        created.append(DEMO["supervisor"].format(username=officer))
    username, name, password = CHECKER
    if not await Staff.exists().where(Staff.username == username):
        await create_staff(actor, username, name, password)
        await grant_role(actor, username, "checker", district.slug)
        created.append(DEMO["checker"].format(username=username, name=name, password=password))
    return created


async def populate(district: DistrictInfo, estate: dict[str, Any], actor: str, runtime: Runtime) -> list[str]:
    created = await _accounts(district, actor)
    if await HousingCheckEntrustment.exists().where(HousingCheckEntrustment.district == district.id):
        return [*created, DEMO["exists"]]
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    today = today_in(profile)
    demo = Actor(
        0, actor, "演示数据", (Grant("district_officer", district.id, None, SUPERVISOR_SCOPE),), "cli"
    )
    ids = []
    for number, letter in enumerate(LETTERS, start=1):
        received = today - timedelta(days=letter["days_ago"])
        entry = await entrustments.create_entrustment(
            district,
            profile,
            demo,
            {
                "entrusting_office": OFFICE,
                "scheme": letter["scheme"],
                "letter_no": f"示保委〔{received.year}〕{number}号",
                "received_on": received.isoformat(),
            },
            ParsedList(households=letter["households"]),
        )
        await officers.assign_officers(district, demo, entry["entrustment"], [CHECKER[0]])
        ids.append(entry["entrustment"])
    await _first_household_checked(
        district, profile, demo, ids[0], today - timedelta(days=LETTERS[0]["days_ago"])
    )
    return [*created, DEMO["created"].format(count=len(ids), ids="、".join(ids))]


STEPS = (  # kind, days after receipt, result, finding, attachment
    (
        "electronic",
        1,
        "unresolved",
        "不动产登记系统无该户成员名下住房；公房管理系统显示承租示范路88弄3号402室公房，面积待核。",
        None,
    ),
    (
        "archive",
        2,
        "resolved",
        "调取公房租赁凭证和测绘报告，核实建筑面积；另查征收档案，陈建国曾于2015年选择货币补偿。",
        ("调档记录.txt", "公房租赁凭证、测绘报告、征收补偿协议（演示）"),
    ),
)
DWELLINGS = (  # kind, address, building area, source, holder
    ("home", "示范路88弄3号402室", "42.60", "测绘报告", "陈建国"),
    ("compensated", "老街17号", "18.30", "征收补偿档案", "陈建国"),
)


async def _first_household_checked(
    district: DistrictInfo, profile: Any, demo: Actor, public_id: str, received: date
) -> None:
    """The first household: compared, archives found, two dwellings (one given up for cash)."""
    detail = await entrustments.entrustment_detail(district, profile, demo, public_id)
    household = detail["household_list"][0]["household"]
    step: dict[str, Any] = {}
    for kind, days, result, finding, attachment in STEPS:
        files = (
            [Upload(filename=attachment[0], content=attachment[1].encode(), media_type="text/plain")]
            if attachment
            else []
        )
        step = await households.record_step(
            district, profile, demo, public_id, household,
            kind=kind, step_date=(received + timedelta(days=days)).isoformat(), result=result,
            finding=finding, officer=CHECKER[0], attachments=files,
        )  # fmt: skip
    for kind, address, area, source, holder in DWELLINGS:
        await dwellings.add_dwelling(
            district, demo, public_id, household, kind=kind, address=address, area=area,
            area_type="building", source=source, holder=holder, step=step["step"],
        )  # fmt: skip
