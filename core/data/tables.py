"""Core tables: districts, estates, per-district plugin settings, staff, sessions, audit, calendars."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class District(Table, tablename="core_district"):
    """A district (区) or sub-district (街道) office: the unit of enablement and access."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    slug = Varchar(length=64, unique=True)  #: URL segment, e.g. ``huangpu-wgl``
    name = Varchar(length=200)  #: e.g. 黄浦区外滩街道
    region = Varchar(length=200, default="")  #: e.g. 上海市黄浦区
    jurisdiction_code = Varchar(length=64, default="")  #: empty = the installation's default profile
    created_at = Timestamptz(default=TimestamptzNow())
    #: a training district (演练): its clock may be set, and everything it produces is marked 演练
    training = Boolean(default=False)
    clock_offset = BigInt(default=0)  #: seconds the district's clock runs ahead of real time (training only)


class Estate(Table, tablename="core_estate"):
    """A residential estate (小区) in a district."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    code = Varchar(length=64)  #: unique within the district
    name = Varchar(length=200)
    address = Varchar(length=400, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class DistrictPlugin(Table, tablename="core_district_plugin"):
    """Whether a duty is switched on for a district, and its district-level config."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    plugin = Varchar(length=64)
    enabled = Boolean(default=False)
    config = JSON(default="{}")
    updated_at = Timestamptz(default=TimestamptzNow())


class Staff(Table, tablename="core_staff"):
    """An office or committee account. Passwords are stored only as argon2 hashes."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    username = Varchar(length=64, unique=True)
    display_name = Varchar(length=100)
    password_hash = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class RoleGrant(Table, tablename="core_role_grant"):
    """A role held by a staff member, scoped to a district, an estate or a plugin object.

    Roles: ``city_admin`` (every district), ``district_officer`` (``district``),
    ``committee_member`` (``district`` + ``estate``), ``counter`` (``district`` + ``scope``, e.g.
    ``voting:meeting:12``).
    """

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    staff = ForeignKey(references=Staff, null=False)
    role = Varchar(length=32)
    district = ForeignKey(references=District, null=True)
    estate = ForeignKey(references=Estate, null=True)
    scope = Varchar(length=128, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class StaffSession(Table, tablename="core_staff_session"):
    """A console login. Only the SHA-256 of the cookie value is stored."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    token_hash = Varchar(length=64, unique=True)
    staff = ForeignKey(references=Staff, null=False)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class ApiToken(Table, tablename="core_api_token"):
    """A bearer token for the API. Only the SHA-256 of the token is stored."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    token_hash = Varchar(length=64, unique=True)
    staff = ForeignKey(references=Staff, null=False)
    label = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(null=True, default=None)
    revoked = Boolean(default=False)


class LoginFailure(Table, tablename="core_login_failure"):
    """One refused login, kept for the throttle's window (``core.identity.throttle``): counting rows in
    the database makes the limit hold across server workers and restarts. ``key`` is
    ``account:<username>`` or ``address:<client address>``."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    key = Varchar(length=200)
    at = Timestamptz()


class AuditEntry(Table, tablename="core_audit_log"):
    """Append-only, hash-chained record of every staff write (and reads of personal data).

    ``hash = SHA-256(prev_hash || canonical JSON of the entry)``; database triggers refuse UPDATE and
    DELETE; ``wuye audit verify`` recomputes the chain.
    """

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    seq = BigInt(unique=True)
    at = Timestamptz()
    actor = Varchar(length=200)
    district = Varchar(length=64, default="")
    action = Varchar(length=100)
    target = Varchar(length=400, default="")
    details = Text(default="{}")
    prev_hash = Varchar(length=64)
    entry_hash = Varchar(length=64, unique=True)


class CalendarYear(Table, tablename="core_calendar_year"):
    """An official working-day schedule for one year, loaded from the State Council notice."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    calendar = Varchar(length=16, default="cn")
    year = Integer()
    holidays = JSON(default="[]")  #: ISO dates off work
    workdays = JSON(default="[]")  #: ISO make-up working days (调休上班)
    source = Varchar(length=400, default="")
    sha256 = Varchar(length=64)
    loaded_by = Varchar(length=200, default="")
    loaded_at = Timestamptz(default=TimestamptzNow())


class TemplateOverride(Table, tablename="core_template_override"):
    """A district's own version of a document template (``"voting/ballot.docx"``)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    name = Varchar(length=200)
    content = Bytea()
    sha256 = Varchar(length=64)
    uploaded_by = Varchar(length=200, default="")
    uploaded_at = Timestamptz(default=TimestamptzNow())


class DocumentNumber(Table, tablename="core_document_number"):
    """A 发文字号 given to an issued document (``core.documents.numbers``): sequential per district,
    issuing office (``office``, the prefix, e.g. ``示范街房字``) and year; one per (district, kind,
    subject), so re-rendering a document shows the number it was first issued with."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    office = Varchar(length=64)  #: the prefix before 〔year〕
    year = Integer()
    seq = Integer()
    kind = Varchar(length=64)  #: e.g. ``voting.result``
    subject = Varchar(length=200)  #: what was issued, e.g. the meeting's public id
    number = Varchar(length=100)  #: the full text, e.g. 示范街房字〔2026〕3号
    issued_by = Varchar(length=200, default="")  #: the audit label of who issued it
    issued_at = Timestamptz(default=TimestamptzNow())
