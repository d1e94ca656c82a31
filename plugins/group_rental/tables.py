"""The group_rental plugin's tables (all prefixed ``group_rental_``)."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
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

from core import District


class GroupRentalCase(Table, tablename="group_rental_case"):
    """One flat reported (complaint) or found (inspection), from the first visit to closing or hand-over."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    public_id = Varchar(length=32, unique=True)  #: QZ-2026-0001
    address = Varchar(length=300)
    estate = Varchar(length=64, default="")  #: estate code, when the flat is in a registered estate
    source = Varchar(length=16, default="complaint")  #: complaint | inspection
    complaint = Text(default="")
    party = Varchar(length=200, default="")  #: the landlord / agency the order is addressed to
    status = Varchar(length=16, default="open")
    #: open | no_violation | determined | ordered | served | rectified | unrectified | escalated
    jurisdiction_code = Varchar(length=64, default="")
    rules_snapshot = JSON(default="{}")  #: the profile's group-rental values when the case opened
    created_by = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class GroupRentalInspection(Table, tablename="group_rental_inspection"):
    """A joint inspection (认定) or a re-inspection (复查) of the flat, with the determination it led to."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    case = ForeignKey(references=GroupRentalCase, null=False)
    kind = Varchar(length=16, default="initial")  #: initial | reinspection
    inspected_on = Date()
    inspectors = JSON(default="[]")  #: names of the officers
    police_present = Boolean(default=False)
    committee_present = Boolean(default=False)  #: residents' committee (居委会)
    property_present = Boolean(default=False)  #: property firm (物业)
    flat = JSON(default="{}")  #: collective_dormitory, agency_managed, rooms (see rules.parse_flat)
    determination = JSON(default="{}")
    group_rental = Boolean(default=False)
    notes = Text(default="")
    recorded_by = Varchar(length=200, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


class GroupRentalPhoto(Table, tablename="group_rental_photo"):
    """A photograph kept as evidence (inspection or posting on the door), with its SHA-256."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    case = ForeignKey(references=GroupRentalCase, null=False)
    purpose = Varchar(length=16, default="inspection")  #: inspection | posting
    filename = Varchar(length=255, default="")
    content_type = Varchar(length=64, default="image/jpeg")
    sha256 = Varchar(length=64)
    size = Integer(default=0)
    content = Bytea()
    caption = Varchar(length=200, default="")
    uploaded_by = Varchar(length=200, default="")
    uploaded_at = Timestamptz(default=TimestamptzNow())


class GroupRentalOrder(Table, tablename="group_rental_order"):
    """A rectification order (责令改正通知书). Served orders are frozen: they can only be superseded."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    case = ForeignKey(references=GroupRentalCase, null=False)
    number = Integer()  #: 1, 2, … within the case
    doc_number = Varchar(length=64, default="")  #: 文号
    status = Varchar(length=16, default="draft")  #: draft | served | superseded
    addressee = Varchar(length=200)
    issuing_office = Varchar(length=200)
    issued_on = Date()
    deadline = Date()
    deadline_provisional = Boolean(default=False)
    inspection = ForeignKey(references=GroupRentalInspection, null=False)
    findings = JSON(default="[]")
    legal_basis = JSON(default="[]")
    superseded_by = Integer(null=True, default=None)  #: number of the order that replaced it
    docx = Bytea(null=True, default=None)  #: the exact document served (kept when served)
    docx_sha256 = Varchar(length=64, default="")
    created_by = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class GroupRentalService(Table, tablename="group_rental_service"):
    """How an order was served (送达): a signed receipt, or posting on the door with photographs."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    order = ForeignKey(references=GroupRentalOrder, null=False, unique=True)
    method = Varchar(length=16)  #: signed | posted
    served_at = Timestamptz()
    received_by = Varchar(length=100, default="")  #: signed: who signed the receipt
    served_by = Varchar(length=200, default="")  #: the officers who served it
    photos = JSON(default="[]")  #: posted: SHA-256 of the posting photos
    note = Varchar(length=400, default="")
    recorded_by = Varchar(length=200, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


class GroupRentalEscalation(Table, tablename="group_rental_escalation"):
    """A hand-over of an unrectified case to the district housing department (移送区房管部门), once per
    case. The zip is kept byte for byte, so every later download is the package that was handed over."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    case = ForeignKey(references=GroupRentalCase, null=False)
    recipient = Varchar(length=200)
    package_sha256 = Varchar(length=64)
    package = Bytea(null=True, default=None)  #: the zip as built (null: handed over before it was kept)
    files = JSON(default="[]")
    created_by = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())
