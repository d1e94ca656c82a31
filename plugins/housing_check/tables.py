"""The housing_check plugin's tables (all prefixed ``housing_check_``).

Personal data (names, ID numbers, dwellings, findings, attachments) lives only here and is read only
through :mod:`plugins.housing_check.access`, which audits every read.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core import District, Staff


class HousingCheckEntrustment(Table, tablename="housing_check_entrustment"):
    """An entrustment letter (核查委托书) from a street's housing-security office."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    public_id = Varchar(length=32, unique=True)  #: HC-2026-0001, in URLs
    entrusting_office = Varchar(length=200)  #: 委托单位
    scheme = Varchar(length=32)  #: low_rent (廉租住房) | shared_ownership (共有产权保障住房)
    letter_no = Varchar(length=100)  #: 委托书编号
    received_on = Date()  #: 收到委托书之日; the period starts the day after (Civil Code Art. 201)
    jurisdiction = JSON(default="{}")  #: the profile's deadline and area rules, snapshotted at receipt
    status = Varchar(length=16, default="open")  #: open | reported
    source_filename = Varchar(length=255, default="")
    source_sha256 = Varchar(length=64, default="")
    created_by = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())
    reported_on = Date(null=True, default=None)
    met_deadline = Boolean(null=True, default=None)
    reported_by = Varchar(length=200, default="")


class HousingCheckOfficer(Table, tablename="housing_check_officer"):
    """A staff member assigned to an entrustment: only they (and supervisors) see its households."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    entrustment = ForeignKey(references=HousingCheckEntrustment, null=False)
    staff = ForeignKey(references=Staff, null=False)
    assigned_by = Varchar(length=200)
    assigned_at = Timestamptz(default=TimestamptzNow())


class HousingCheckHousehold(Table, tablename="housing_check_household"):
    """An applicant household (申请家庭) named in the letter."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    entrustment = ForeignKey(references=HousingCheckEntrustment, null=False)
    position = Integer()  #: 1, 2, … in the letter's order
    household_no = Varchar(length=64)  #: the entrusting office's number for it


class HousingCheckMember(Table, tablename="housing_check_member"):
    """A member of an applicant household (the applicant first)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    household = ForeignKey(references=HousingCheckHousehold, null=False)
    position = Integer()
    name = Varchar(length=100)
    id_number = Varchar(length=32)
    relation = Varchar(length=32)  #: 申请人, 配偶, 子女, …


class HousingCheckStep(Table, tablename="housing_check_step"):
    """One step of the check, in the seed's order: electronic → archive → visit."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    household = ForeignKey(references=HousingCheckHousehold, null=False)
    kind = Varchar(length=16)  #: electronic | archive | visit
    step_date = Date()
    officer = ForeignKey(references=Staff, null=False)
    result = Varchar(length=16)  #: resolved | unresolved | incomplete | none
    finding = Text()
    recorded_by = Varchar(length=200)
    recorded_at = Timestamptz(default=TimestamptzNow())


class HousingCheckAttachment(Table, tablename="housing_check_attachment"):
    """A file supporting a step (a comparison print-out, a tenancy certificate, a visit record)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    step = ForeignKey(references=HousingCheckStep, null=False)
    filename = Varchar(length=255)
    media_type = Varchar(length=100, default="application/octet-stream")
    size = BigInt()
    sha256 = Varchar(length=64)
    content = Bytea()
    uploaded_by = Varchar(length=200)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class HousingCheckDwelling(Table, tablename="housing_check_dwelling"):
    """A dwelling found: the household's home, another home of a member, or one given up for cash."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    household = ForeignKey(references=HousingCheckHousehold, null=False)
    kind = Varchar(length=16)  #: home | other | compensated
    address = Varchar(length=300)
    holder = Varchar(length=100, default="")  #: the member who holds or held it
    area = Varchar(length=20)  #: exact decimal text, m², at most 2 places ("56.78")
    area_type = Varchar(length=16)  #: building | living | usable
    source = Varchar(length=200)  #: where the area comes from (登记信息、权属档案、测绘报告、入户丈量)
    step = ForeignKey(references=HousingCheckStep, null=True)
    recorded_by = Varchar(length=200)
    recorded_at = Timestamptz(default=TimestamptzNow())


class HousingCheckReport(Table, tablename="housing_check_report"):
    """The issued 住房状况核查结果报告 (kept as issued, with its SHA-256)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    entrustment = ForeignKey(references=HousingCheckEntrustment, null=False, unique=True)
    content = Bytea()
    sha256 = Varchar(length=64)
    computation = JSON(default="{}")
    issued_on = Date()
    issued_by = Varchar(length=200)
    issued_at = Timestamptz(default=TimestamptzNow())
