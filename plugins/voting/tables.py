"""The voting plugin's tables (all prefixed ``voting_``)."""

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

from core import District, Estate, Staff


class VotingUnit(Table, tablename="voting_unit"):
    """The live electoral register of an estate: one row per exclusive unit (专有部分)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    estate = ForeignKey(references=Estate, null=False)
    unit_code = Varchar(length=64)
    area_centi = BigInt()  #: exclusive area in hundredths of a m²
    area_source = Varchar(length=16)  #: register | survey | contract (法释〔2009〕7号 第八条)
    owner_key = Varchar(length=128)  #: stable id of the natural or legal person
    owner_name = Varchar(length=200)
    certificate_no = Varchar(length=128, default="")
    developer_unsold = Boolean(default=False)


class VotingRegisterImport(Table, tablename="voting_register_import"):
    """One import of an estate's register (the file's SHA-256, who, when)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    estate = ForeignKey(references=Estate, null=False)
    filename = Varchar(length=255, default="")
    sha256 = Varchar(length=64)
    units = Integer()
    imported_by = Varchar(length=200)
    imported_at = Timestamptz(default=TimestamptzNow())


class VotingMeeting(Table, tablename="voting_meeting"):
    """An owners' assembly meeting (业主大会会议) of one estate, voted in writing."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    district = ForeignKey(references=District, null=False)
    estate = ForeignKey(references=Estate, null=False)
    public_id = Varchar(length=32, unique=True)  #: in public URLs: /v/{public_id}, /verify/{public_id}
    title = Varchar(length=200)
    kind = Varchar(length=16, default="regular")  #: first | regular | special
    status = Varchar(length=16, default="draft")  #: draft | published | open | closed | sealed
    notice_date = Date()  #: 公告日
    delivery_deadline = Date()  #: ballots delivered to all owners by this day
    meeting_date = Date()  #: 会议召开日 (the vote opens)
    voting_closes = Timestamptz()  #: the end of the voting window
    count_date = Date()  #: public count (唱票、计票、监票)
    location = Varchar(length=200, default="")
    headcount_method = Varchar(length=32, default="")  #: snapshot of the profile's rule at publication
    jurisdiction_code = Varchar(length=64, default="")
    rules_snapshot = JSON(default="{}")  #: the jurisdiction profile as published
    register_digest = Varchar(length=64, default="")
    published_at = Timestamptz(null=True, default=None)
    published_by = Varchar(length=200, default="")
    opened_at = Timestamptz(null=True, default=None)  #: when the vote was opened (in the sealed record)
    delivery_override = Text(default="")  #: an officer's reason to open voting with delivery incomplete
    created_by = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class VotingMotion(Table, tablename="voting_motion"):
    """A motion put to the meeting: a resolution (agree/oppose/abstain) or an election."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    position = Integer()  #: 1-based order on the ballot
    title = Varchar(length=200)
    description = Text(default="")
    matter = Varchar(length=32)  #: Civil Code Art. 278 matter type; the profile maps it to a rule
    kind = Varchar(length=16, default="resolution")  #: resolution | election
    seats = Integer(default=0)  #: elections: a voter chooses at most this many candidates
    candidates = JSON(default="[]")  #: elections: [{"id": "c1", "name": "..."}]
    #: unit-code prefixes of the part of the estate that decides it ([]: every owner); protocol/scope.py
    scope = JSON(default="[]")


class VotingOfficial(Table, tablename="voting_official"):
    """A scrutineer (监票), counter (计票) or caller (唱票) of a meeting; never a candidate."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    role = Varchar(length=16)  #: scrutineer | counter | caller
    name = Varchar(length=100)
    staff = ForeignKey(references=Staff, null=True)


class VotingVoter(Table, tablename="voting_voter"):
    """A vote-holder of the register frozen at publication."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()  #: 1..n in register order
    serial = Varchar(length=16)  #: short code printed on the sheet, for paper ballots
    name = Varchar(length=400)
    owner_key = Varchar(length=160)
    unit_codes = JSON(default="[]")
    area_centi = BigInt()
    heads = Integer(default=1)


class VotingFrozenUnit(Table, tablename="voting_frozen_unit"):
    """A unit as it stood in the register when the meeting was published."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()
    unit_code = Varchar(length=64)
    area_centi = BigInt()
    area_source = Varchar(length=16)
    owner_key = Varchar(length=128)
    owner_name = Varchar(length=200)
    certificate_no = Varchar(length=128, default="")
    developer_unsold = Boolean(default=False)


class VotingFrozenRegister(Table, tablename="voting_frozen_register"):
    """The register section of the meeting's sealed record (canonical JSON), written at publication
    from the same values as its voting_voter and voting_frozen_unit rows, which never change after: the
    seal reads one text instead of two tables of a row per unit and per voter."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False, unique=True)
    section = Text()


class VotingCredential(Table, tablename="voting_credential"):
    """A voter's ballot key. Only the PUBLIC key is stored; the secret exists only on the printed sheet."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()
    version = Integer(default=1)  #: 1 for the first printing; reprints count up
    public_key = Varchar(length=64, unique=True)  #: Ed25519 public key, lowercase hex
    issued_at = Timestamptz(default=TimestamptzNow())
    issued_by = Varchar(length=200, default="")
    revoked_at = Timestamptz(null=True, default=None)
    revoked_reason = Varchar(length=400, default="")
    revoked_by = Varchar(length=200, default="")
    #: a sheet issued to a proxy (委托投票): the ``number`` of its :class:`VotingProxy`, else null
    proxy = Integer(null=True, default=None)


class VotingDelivery(Table, tablename="voting_delivery"):
    """How a voter's ballot sheet was delivered (送达记录)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()
    method = Varchar(length=16)  #: in_person (signed by the owner) | door (mailbox/door, two witnesses)
    delivered_on = Date()
    received_by = Varchar(length=100, default="")  #: in person: who signed
    witness_1 = Varchar(length=100, default="")
    witness_2 = Varchar(length=100, default="")
    note = Varchar(length=400, default="")
    recorded_by = Varchar(length=200, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


class VotingMeetingKey(Table, tablename="voting_meeting_key"):
    """The meeting's own Ed25519 key: signs receipts and the sealed record. The private key is kept
    wrapped (AES-256-GCM) under the installation's secret key; the public key is published."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False, unique=True)
    public_key = Varchar(length=64)
    wrapped_secret = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())


class VotingBallot(Table, tablename="voting_ballot"):
    """A signed online ballot, exactly as received (one per voter and meeting)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()
    public_key = Varchar(length=64)
    ballot = Text()  #: the ballot object, RFC 8785 canonical JSON
    signature = Varchar(length=128)  #: Ed25519 signature, lowercase hex
    ballot_hash = Varchar(length=64, unique=True)  #: SHA-256 of the signed message
    received_at = Timestamptz()


class VotingPaperBallot(Table, tablename="voting_paper_ballot"):
    """A paper ballot entered at the public count, as read from the sheet.

    ``status``: ``counted``; ``conflict_online`` (the voter also voted online: the profile's
    ``dual_ballot`` rule decides which counts); ``revoked`` (the sheet had been revoked: never counts);
    ``late`` (handed in after voting closed: never counts).
    """

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()
    sheet_serial = Varchar(length=24)  #: the serial printed on the sheet (voter serial, ``.N`` on reissues)
    version = Integer(default=1)  #: which printing of the voter's sheet
    choices = Text()  #: the choices, RFC 8785 JSON in the ballot protocol's form
    status = Varchar(length=24, default="counted")
    entered_by = Varchar(length=200)  #: the counter (计票人) who typed it
    confirmed_by = Varchar(length=100)  #: the scrutineer (监票人) who confirmed it
    entered_at = Timestamptz()
    source = Varchar(length=16, default="console")  #: console | count_sheet
    #: the scrutineer's confirmation (docs/protocol.md §8.2): their key, the salt of the sheet
    #: commitment, their Ed25519 signature of the confirmation statement (hex; empty before §8.2)
    confirmation_key = Varchar(length=64, default="")
    confirmation_salt = Varchar(length=32, default="")
    confirmation_signature = Varchar(length=128, default="")
    #: when the sheet was handed in (交回), to the minute, as the counter read it off the ballot box's log;
    #: the ``dual_ballot`` rule ``first`` compares it with the online ballot's arrival
    handed_in_at = Timestamptz(null=True, default=None)


class VotingSeal(Table, tablename="voting_seal"):
    """The sealed bulletin board of a closed meeting: the record, its hash root and the meeting
    key's signature over it. Written once; nothing can be cast or entered afterwards."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False, unique=True)
    root = Varchar(length=64)
    signature = Varchar(length=128)
    record = Text()  #: the sealed record, RFC 8785 JSON (docs/protocol.md "Sealed record")
    statement = Text(default="{}")  #: the signed seal statement (docs/protocol.md §9)
    tally = Text(default="{}")  #: the tally computed from the record
    announced_at = Timestamptz(null=True, default=None)  #: when the result announcement was issued
    announced_by = Varchar(length=200, default="")
    #: the preliminary result notice (初步统计结果公示), when one was issued, and its objection period
    preliminary_at = Timestamptz(null=True, default=None)
    preliminary_by = Varchar(length=200, default="")
    objections_until = Date(null=True, default=None)  #: the last day objections are received
    sealed_at = Timestamptz()
    sealed_by = Varchar(length=200)


class VotingObjection(Table, tablename="voting_objection"):
    """An owner's objection to the preliminary result (询异), received in its period, and the answer
    given to it. Numbered per meeting; the final announcement waits until every one is answered."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    number = Integer()  #: 1, 2, … per meeting
    received_on = Date()
    submitted_by = Varchar(length=100)  #: the owner (or their agent) as they signed it
    unit = Varchar(length=64, default="")  #: their unit, as written
    content = Text()
    recorded_by = Varchar(length=200)
    recorded_at = Timestamptz()
    answer = Text(default="")
    answered_by = Varchar(length=200, default="")
    answered_at = Timestamptz(null=True, default=None)


class VotingExtension(Table, tablename="voting_extension"):
    """The voting period extended while open (延期公告): from when to when, why, by whom."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    old_closes = Timestamptz()
    new_closes = Timestamptz()
    old_count_date = Date()
    new_count_date = Date()
    reason = Text()
    extended_by = Varchar(length=200)
    extended_at = Timestamptz()


class VotingHead(Table, tablename="voting_head"):
    """A signed head of the meeting's board (docs/protocol.md §12): the public record's section digests
    as they stood at ``at``, signed by the meeting key. Only ever inserted (append-only): the sealed
    bundle publishes every one, and ``wuye verify`` checks each against the sealed record."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    at = Timestamptz()  #: the moment the head describes (``head.at``)
    head = Text()  #: the signed head, RFC 8785 JSON
    signature = Varchar(length=128)  #: the meeting key's Ed25519 signature, hex
    trigger = Varchar(length=16, default="manual")  #: manual | cli | open | close | auto
    signed_by = Varchar(length=200, default="")
    signed_at = Timestamptz(default=TimestamptzNow())


class VotingProxy(Table, tablename="voting_proxy"):
    """A written authorisation (授权委托书) for a proxy to vote for one voter: who, for which motions,
    with which instructions, and the scan of the signed paper. Recording it revokes the voter's sheet
    and issues one to the proxy (its credential names this row's ``number``)."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    number = Integer()  #: 1, 2, … per meeting: the authorisation
    voter_no = Integer()  #: the principal (委托人)
    proxy_no = Integer()  #: 1, 2, … per meeting: the proxy as a person (the same for all their principals)
    proxy_name = Varchar(length=100)
    proxy_id_digest = Varchar(
        length=64
    )  #: SHA-256 of the meeting and the proxy's ID number (never the number)
    proxy_id_tail = Varchar(length=4, default="")  #: its last four characters, to tell people apart
    motions = Text()  #: the motions authorised: positions, JSON
    instructions = Text(default="")  #: the principal's instructions (RFC 8785 choices), or empty
    version = Integer()  #: the credential version issued to the proxy
    scan = Bytea()  #: the signed authorisation as scanned (PDF, JPEG or PNG)
    scan_name = Varchar(length=200, default="")
    scan_type = Varchar(length=64, default="")
    scan_sha256 = Varchar(length=64)
    recorded_by = Varchar(length=200)
    recorded_at = Timestamptz()


class VotingTransfer(Table, tablename="voting_transfer"):
    """An ownership transfer (产权转移) of a voter's flat during the vote, as the office recorded it.
    Under the profile's ``voting.ownership_transfer`` rule (``ballot_stands``): a ballot the old owner
    cast stands and nothing is reissued; otherwise the old sheet is revoked and one is printed for the
    new owner (``version``). The frozen register is not changed: the flat's area and headcount stay."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    voter_no = Integer()
    new_owner = Varchar(length=100)
    transferred_on = Date()  #: the day the transfer was registered (不动产登记)
    evidence = Varchar(length=200, default="")  #: what the office saw (e.g. 不动产权证书号)
    outcome = Varchar(length=16)  #: ballot_stands | reissued
    version = Integer(null=True, default=None)  #: the sheet printed for the new owner, if any
    recorded_by = Varchar(length=200)
    recorded_at = Timestamptz()


class VotingScrutineerKey(Table, tablename="voting_scrutineer_key"):
    """A scrutineer's (监票人) own Ed25519 key for one meeting, made at their first sign-in to the count
    (docs/protocol.md §8.2). The private key is stored only encrypted under a passphrase the scrutineer
    types (scrypt, then AES-256-GCM): the database alone cannot sign with it."""

    id: Serial  #: the primary key Piccolo adds (declared for the type checker)

    meeting = ForeignKey(references=VotingMeeting, null=False)
    name = Varchar(length=100)  #: the scrutineer, as named among the meeting's officials
    role = Varchar(length=16, default="scrutineer")
    public_key = Varchar(length=64, unique=True)  #: Ed25519, lowercase hex
    kdf_salt = Varchar(length=32)  #: scrypt salt, hex
    wrapped_secret = Varchar(length=200)  #: AES-256-GCM nonce || ciphertext of the seed, hex
    registered_at = Timestamptz()
    registered_by = Varchar(length=200, default="")  #: the console session it was made from
