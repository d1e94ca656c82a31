"""Request and file formats of the voting plugin (msgspec Structs)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

import msgspec

#: No control characters (a NUL in a title would print invisibly on every ballot); tab and line
#: breaks only in the long texts.
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
_PRINTABLE_LINES = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text200 = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=_PRINTABLE)]
Name100 = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=_PRINTABLE)]

#: Civil Code Art. 278 ¶1 matter types (``other`` = item 9, other major matters of common ownership);
#: ``fund_covenant``, the maintenance-fund covenant (专项维修资金管理规约), is a covenant the national
#: rule treats as one (item 2) and some local rules put to a higher threshold (seed 000 §9 规范（六）).
Matter = Literal[
    "rules_of_procedure",
    "covenant",
    "fund_covenant",
    "elect_committee",
    "hire_firm",
    "use_fund",
    "raise_fund",
    "alter_rebuild",
    "change_common_use",
    "other",
]
MATTERS: tuple[str, ...] = get_args(Matter)
MATTER_TITLES = {
    "rules_of_procedure": "制定和修改业主大会议事规则",
    "covenant": "制定和修改管理规约",
    "fund_covenant": "制定和修改专项维修资金管理规约",
    "elect_committee": "选举业主委员会或者更换业主委员会成员",
    "hire_firm": "选聘和解聘物业服务企业或者其他管理人",
    "use_fund": "使用建筑物及其附属设施的维修资金",
    "raise_fund": "筹集建筑物及其附属设施的维修资金",
    "alter_rebuild": "改建、重建建筑物及其附属设施",
    "change_common_use": "改变共有部分的用途或者利用共有部分从事经营活动",
    "other": "有关共有和共同管理权利的其他重大事项",
}


class Timetable(msgspec.Struct, forbid_unknown_fields=True):
    notice_date: date  #: 公告日: ballot content and officials published
    delivery_deadline: date  #: ballots delivered to every owner by this day
    meeting_date: date  #: 会议召开日: the vote opens
    voting_closes: datetime  #: end of the voting window (with time zone)
    count_date: date  #: public count


class MotionIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Text200
    matter: Matter
    description: Annotated[str, msgspec.Meta(max_length=4000, pattern=_PRINTABLE_LINES)] = ""
    kind: Literal["resolution", "election"] = "resolution"
    seats: Annotated[int, msgspec.Meta(ge=0, le=50)] = 0
    candidates: list[Name100] = []
    #: the part of the estate that decides it: unit-code prefixes (``["2"]``: building 2; ``["3-2"]``:
    #: building 3, entrance 2); empty: every owner (plugins/voting/protocol/scope.py)
    scope: Annotated[list[Annotated[str, msgspec.Meta(max_length=64)]], msgspec.Meta(max_length=50)] = []


class OfficialIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Literal["scrutineer", "counter", "caller"]
    name: Name100


class MeetingIn(msgspec.Struct, forbid_unknown_fields=True):
    """The meeting file of ``wuye voting meeting create`` (and the console's form)."""

    title: Text200
    timetable: Timetable
    motions: Annotated[list[MotionIn], msgspec.Meta(min_length=1, max_length=50)]
    officials: list[OfficialIn] = []
    kind: Literal["first", "regular", "special"] = "regular"
    location: Annotated[str, msgspec.Meta(max_length=200, pattern=_PRINTABLE)] = ""


class DeliveryIn(msgspec.Struct, forbid_unknown_fields=True):
    serial: Annotated[str, msgspec.Meta(min_length=1, max_length=24)]
    method: Literal["in_person", "door"]
    delivered_on: date
    received_by: Annotated[str, msgspec.Meta(max_length=100)] = ""
    witness_1: Annotated[str, msgspec.Meta(max_length=100)] = ""
    witness_2: Annotated[str, msgspec.Meta(max_length=100)] = ""
    note: Annotated[str, msgspec.Meta(max_length=400)] = ""
    #: replace the sheet's delivery record (without it a second registration is refused: 409)
    correct: bool = False


class OpenIn(msgspec.Struct, forbid_unknown_fields=True):
    override_reason: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class PrintIn(msgspec.Struct, forbid_unknown_fields=True):
    voters: Annotated[list[Annotated[int, msgspec.Meta(ge=1)]], msgspec.Meta(max_length=10000)] = []
    reprint_all: bool = False


class PaperIn(msgspec.Struct, forbid_unknown_fields=True):
    """One paper sheet as read at the count: what it says per motion (keyed by motion number)."""

    serial: Annotated[str, msgspec.Meta(min_length=1, max_length=24)]
    scrutineer: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    #: the scrutineer's own passphrase, which opens their key to sign the entry (docs/protocol.md §8.2)
    passphrase: Annotated[str, msgspec.Meta(max_length=200)] = ""
    choices: Annotated[
        dict[Annotated[str, msgspec.Meta(max_length=4)], Annotated[str, msgspec.Meta(max_length=2000)]],
        msgspec.Meta(max_length=200),
    ] = {}
    #: when the sheet was handed in (交回时间), e.g. ``2026-12-20 14:30`` in the district's time
    handed_in: Annotated[str, msgspec.Meta(max_length=40)] = ""


class ScrutineerKeyIn(msgspec.Struct, forbid_unknown_fields=True):
    """A scrutineer's first sign-in to the count: their name and the passphrase their key is kept under."""

    scrutineer: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    passphrase: Annotated[str, msgspec.Meta(max_length=200)]


class TransferIn(msgspec.Struct, forbid_unknown_fields=True):
    """An ownership transfer during the vote (services/transfers.py)."""

    serial: Annotated[str, msgspec.Meta(min_length=1, max_length=24)]
    new_owner: Annotated[str, msgspec.Meta(max_length=100)]
    transferred_on: date
    evidence: Annotated[str, msgspec.Meta(max_length=200)] = ""
    #: the old owner has already handed in a paper sheet (their vote stands)
    paper_returned: bool = False


class RevokeIn(msgspec.Struct, forbid_unknown_fields=True):
    serial: Annotated[str, msgspec.Meta(min_length=1, max_length=24)]
    reason: Annotated[str, msgspec.Meta(max_length=400)] = ""


class SheetProof(msgspec.Struct, forbid_unknown_fields=True):
    """An owner's proof of holding a sheet's key (docs/protocol.md §5.1): the key signs
    ``wuye-sheet-v1 0x00 meeting 0x00 {"at", "voter_key"}``; ``at`` is now, in UTC."""

    voter_key: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    at: Annotated[str, msgspec.Meta(max_length=32, examples=["2026-12-03T09:25:40.341Z"])]
    signature: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{128}$")]


class CastIn(msgspec.Struct, forbid_unknown_fields=True):
    """A signed ballot as an owner's client posts it (docs/protocol.md): ``ballot`` is checked by the
    protocol's own rules (``protocol.ballot.check_ballot``), ``signature`` is its Ed25519 signature
    in hex."""

    ballot: dict[str, Any]
    signature: str


class ReceiptIn(msgspec.Struct):
    """A receipt to check, in one of three forms: the receipt as the ballot page saves it
    (``receipt`` and ``signature``, ``meeting_key`` beside them), the receipt link of its QR code
    (``link`` alone), or a ballot hash (``ballot_hash`` alone)."""

    receipt: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    signature: str | msgspec.UnsetType = msgspec.UNSET
    meeting_key: str | msgspec.UnsetType = msgspec.UNSET
    link: str | msgspec.UnsetType = msgspec.UNSET
    ballot_hash: str | msgspec.UnsetType = msgspec.UNSET

    def sent(self) -> dict[str, Any]:
        """The fields the client sent, as it sent them."""
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not msgspec.UNSET}


class ObjectionIn(msgspec.Struct, forbid_unknown_fields=True):
    """An owner's objection to the preliminary result, as received (询异)."""

    received_on: date
    submitted_by: Name100
    content: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=_PRINTABLE_LINES)]
    unit: Annotated[str, msgspec.Meta(max_length=64, pattern=_PRINTABLE)] = ""


class ObjectionAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    answer: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=_PRINTABLE_LINES)]


class ExtendIn(msgspec.Struct, forbid_unknown_fields=True):
    """A later close of an open vote (延期), with the count day after it and why."""

    voting_closes: datetime
    count_date: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=_PRINTABLE_LINES)]
