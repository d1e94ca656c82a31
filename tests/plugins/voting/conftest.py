"""Shared voting fixtures: a district with an estate, a register where the headcount rules differ,
and a meeting file whose timetable is legal from today."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec
import pytest

from core.district_services import add_district, add_estate, switch_plugin
from core.signing import sign
from core.testing import office_today
from plugins.voting.protocol.ballot import ballot_message
from plugins.voting.protocol.credentials import public_key_hex
from plugins.voting.services.paper import PaperEntry, enter_paper_ballots
from plugins.voting.services.scrutineers import register_scrutineer_key
from plugins.voting.tables import VotingHead, VotingMeeting, VotingScrutineerKey, VotingVoter

HEADER = "unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"
REGISTER_ROWS = [
    "1-101,90.00,register,O1,张三,C1,0",
    "1-102,80.00,register,O1,张三,C2,0",
    "1-201,70.00,survey,O2,李四,C3,0",
    "1-202,60.00,survey,O2,李四,C3,0",
    "1-301,50.00,contract,DEV,示范置业有限公司,,1",
    "1-302,40.00,contract,DEV,示范置业有限公司,,1",
    "2-101,100.55,register,O3,王五,C4,0",
]


#: the test meetings' scrutineer and the passphrase their key is kept under (docs/protocol.md §8.2)
SCRUTINEER = "周监票"
PASSPHRASE = "周监票的口令"


async def scrutineer_signs_in(
    district, public_id: str, name: str = SCRUTINEER, *, now: datetime | None = None
) -> str:
    """The scrutineer's first sign-in to the count (their key made, kept under ``PASSPHRASE``); a later
    call finds the key already there. Returns the public key."""
    existing = (
        await VotingScrutineerKey.select(VotingScrutineerKey.public_key)
        .where((VotingScrutineerKey.name == name) & (VotingScrutineerKey.meeting.public_id == public_id))
        .first()
    )
    if existing is not None:
        return existing["public_key"]
    if now is not None:
        now -= timedelta(seconds=1)  # registered before the entries it confirms
    key = await register_scrutineer_key(district, public_id, "test:监票", name, PASSPHRASE, now=now)
    return key["public_key"]


async def enter_confirmed(runtime, district, public_id: str, actor: str, entries, **kwargs):
    """``enter_paper_ballots`` with the entries confirmed by the scrutineer (default ``周监票``), whose
    key is made on first use: the one way the tests enter paper ballots through the service."""
    scrutineer = kwargs.pop("scrutineer", SCRUTINEER)
    await scrutineer_signs_in(district, public_id, scrutineer, now=kwargs.get("now"))
    return await enter_paper_ballots(
        runtime, district, public_id, actor, entries, scrutineer=scrutineer, passphrase=PASSPHRASE, **kwargs
    )


async def confirm_rows(district, public_id: str, records: list[dict], name: str = SCRUTINEER) -> None:
    """Paper rows a set-up inserts directly (benchmarks), signed in place as the service signs them,
    by a key registered just before the first of them."""
    from plugins.voting.services.meetings import get_meeting
    from plugins.voting.services.scrutineers import confirm_entries

    await scrutineer_signs_in(district, public_id, name, now=min(r["entered_at"] for r in records))
    await confirm_entries(await get_meeting(public_id), records, name, PASSPHRASE, "test:计票")


@pytest.fixture
async def scrutineer_key(open_meeting):
    """周监票 has signed in to the count of ``open_meeting`` (their key, under ``PASSPHRASE``)."""
    return await scrutineer_signs_in(open_meeting["estate"], open_meeting["id"])


def register_csv(rows: list[str] | None = None) -> bytes:
    return ("\n".join([HEADER, *(REGISTER_ROWS if rows is None else rows)]) + "\n").encode()


def meeting_file(start: date | None = None, **overrides: object) -> dict:
    start = start or datetime.now(ZoneInfo("Asia/Shanghai")).date()
    meeting_day = start + timedelta(days=20)
    data = {
        "title": "示范花园2027年第一次业主大会会议",
        "kind": "regular",
        "location": "小区会所",
        "timetable": {
            "notice_date": start.isoformat(),
            "delivery_deadline": (start + timedelta(days=10)).isoformat(),
            "meeting_date": meeting_day.isoformat(),
            "voting_closes": datetime.combine(meeting_day + timedelta(days=14), time(17, 0)).isoformat()
            + "+08:00",
            "count_date": (meeting_day + timedelta(days=15)).isoformat(),
        },
        "motions": [
            {"title": "续聘示范物业管理有限公司", "matter": "hire_firm"},
            {"title": "使用维修资金更换1号楼电梯", "matter": "use_fund", "description": "预算 48 万元"},
            {
                "title": "选举第三届业主委员会委员",
                "matter": "elect_committee",
                "kind": "election",
                "seats": 2,
                "candidates": ["赵一", "钱二", "孙三"],
            },
        ],
        "officials": [
            {"role": "scrutineer", "name": "周监票"},
            {"role": "counter", "name": "吴计票"},
            {"role": "caller", "name": "郑唱票"},
        ],
    }
    data.update(overrides)
    return data


def encode(data: dict) -> bytes:
    return msgspec.json.encode(data)


async def district_with_estate(db, *, training: bool = False):
    district = await add_district(db, "test", "alpha", "甲街道", training=training)
    await add_estate(db, "test", district, "E1", "示范花园")
    await switch_plugin(db, "test", district, "voting", True)
    return district


@pytest.fixture
async def estate(db):
    return await district_with_estate(db)


@pytest.fixture
async def training(db):
    """The same district and estate as ``estate``, as a training district (演练): a test that needs a
    moment sets the district's clock with :func:`clock_at`, as an office rehearsing does, rather than
    handing a service an internal ``today=`` or ``now=``."""
    return await district_with_estate(db, training=True)


async def clock_at(db, district, moment: date | datetime, hour: int = 9) -> None:
    """Set the training district's clock to ``moment`` (a day: at ``hour`` o'clock, Beijing time)."""
    from core.clock import set_district_clock

    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(hour), tzinfo=ZoneInfo("Asia/Shanghai"))
    await set_district_clock(db, "test", district, moment)


TODAY = office_today()


async def start_meeting(db, estate, rows: list[str] | None = None, data: dict | None = None):
    """Register, meeting (published 20 days ago), sheets printed and delivered, voting open: the
    meeting's public id and what printing issued."""
    from plugins.voting.services.ballots import print_ballots
    from plugins.voting.services.delivery import open_voting, record_delivery
    from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
    from plugins.voting.services.register import import_register

    await import_register(estate, "E1", register_csv(rows), "r.csv", "officer")
    data = data or meeting_file(TODAY - timedelta(days=20))
    created = await create_meeting(db, estate, "E1", parse_meeting_file(encode(data)), "o")
    public_id = created["meeting"]
    if estate.training:  # a training district: its clock is set to each day, as an office rehearses
        await clock_at(db, estate, TODAY - timedelta(days=20))
        await publish_meeting(db, estate, public_id, "officer")
    else:
        await publish_meeting(db, estate, public_id, "officer", today=TODAY - timedelta(days=20))
    printed = await print_ballots(db, estate, public_id, "officer", workers=1)
    if estate.training:
        await clock_at(db, estate, TODAY - timedelta(days=12))
    for credential in printed.issued:
        await record_delivery(
            db,
            estate,
            public_id,
            "o",
            serial=credential.serial,
            method="in_person",
            delivered_on=TODAY - timedelta(days=12),
            received_by="本人",
        )
    if estate.training:
        await clock_at(db, estate, TODAY)
    await open_voting(db, estate, public_id, "officer")
    return public_id, printed


@pytest.fixture
async def open_meeting(db, estate):
    """An open meeting with four voters and their seeds (and the printed credentials)."""
    return await meeting_handle(estate, *await start_meeting(db, estate))


@pytest.fixture
async def rehearsed_meeting(db, training):
    """``open_meeting`` in a training district, its clock at 09:00 of the meeting day: a test moves
    the clock on (:func:`clock_at`) instead of handing a service ``now=``."""
    return await meeting_handle(training, *await start_meeting(db, training))


async def meeting_handle(estate, public_id: str, printed) -> dict:
    """What the tests hold of an open meeting: its id, register digest, the sheets' seeds and
    credentials in print order, and the printed sheets."""
    from urllib.parse import urlsplit

    from plugins.voting.protocol.credentials import fragment_to_seed
    from plugins.voting.services.meetings import get_meeting

    seeds = [fragment_to_seed(urlsplit(c.url).fragment[2:]) for c in printed.issued]
    meeting = await get_meeting(public_id)
    return {
        "id": public_id,
        "seeds": seeds,
        "digest": meeting["register_digest"],
        "estate": estate,
        "issued": printed.issued,
        "docx": printed.docx,
    }


def make_ballot(meeting: dict, seed: bytes, changes: dict | None = None) -> dict:
    ballot = {
        "protocol": "wuye-ballot-v1",
        "meeting": meeting["id"],
        "register_digest": meeting["digest"],
        "voter_key": public_key_hex(seed),
        "choices": [
            {"motion": 1, "choice": "agree"},
            {"motion": 2, "choice": "oppose"},
            {"motion": 3, "candidates": ["c1", "c3"]},
        ],
    }
    ballot.update(changes or {})
    return ballot


def signed(meeting: dict, seed: bytes, ballot: dict) -> dict:
    return {"ballot": ballot, "signature": sign(seed, ballot_message(meeting["id"], ballot)).hex()}


async def post(client, meeting, body, **kwargs):
    return await client.post(f"/v/{meeting['id']}/ballots", json=body, **kwargs)


async def close_voting(meeting: dict) -> None:
    """The deadline moved to now (time passing, for a test). The heads signed before describe the
    meeting with its old deadline (docs/protocol.md §12), which no real meeting can change once
    published: they go with it."""
    await VotingMeeting.update({VotingMeeting.voting_closes: datetime.now(UTC)}).where(
        VotingMeeting.public_id == meeting["id"]
    )
    await forget_heads(meeting["id"])


async def forget_heads(public_id: str) -> None:
    row = await VotingMeeting.select(VotingMeeting.id).where(VotingMeeting.public_id == public_id).first()
    await VotingHead.delete().where(VotingHead.meeting == row["id"])


def choices(first: str, second: str, elected: list[str]) -> dict:
    return {
        "choices": [
            {"motion": 1, "choice": first},
            {"motion": 2, "choice": second},
            {"motion": 3, "candidates": elected},
        ]
    }


async def vote_online(client, m: dict) -> None:
    """Voters 1 and 2 vote online (their receipts kept in ``m["receipts"]``)."""
    m["receipts"] = []
    for index, change in (
        (0, choices("agree", "oppose", ["c1"])),
        (1, choices("oppose", "agree", ["c1", "c2"])),
    ):
        seed = m["seeds"][index]
        response = await post(client, m, signed(m, seed, make_ballot(m, seed, change)))
        assert response.status_code == 201, response.text
        m["receipts"].append(response.json())


@pytest.fixture
async def voted(db, client, open_meeting):
    """Voters 1 and 2 online, voter 3 on paper, voter 1 also on paper (a conflict); voter 4 abstains
    from returning anything."""
    m = open_meeting
    await vote_online(client, m)
    await close_voting(m)
    serials = [
        r["serial"] for r in await VotingVoter.select(VotingVoter.serial).order_by(VotingVoter.voter_no)
    ]
    await enter_confirmed(
        db,
        m["estate"],
        m["id"],
        "counter",
        [
            PaperEntry(serials[2], {1: "同意", 2: "同意", 3: "赵一"}),
            PaperEntry(serials[0], {1: "反对", 2: "反对", 3: ""}),
        ],
    )
    return m
