"""``wuye verify BUNDLE.zip``: re-check a sealed meeting from its exported bundle alone.

Pure: it imports no database layer (a test proves it), only the protocol, the record's hashing, the
tally and the messages. It checks the seal (root and signature), every section against the seal, the
register digest and the grouping of units into voters, every credential, every online ballot (hash,
signature, key, one per voter, on time, not after revocation), every paper entry (one per sheet, the
status it must have, confirmed by a scrutineer), and recomputes the tally. Signatures are verified on
both cores when there are many.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import msgspec

from core import is_plain_json, message, verify_signature
from plugins.voting.messages import SECTION_NAMES
from plugins.voting.protocol.ballot import (
    BallotError,
    MotionSpec,
    ballot_message,
    check_ballot,
    check_choices,
    check_scope,
)
from plugins.voting.protocol.confirmation import confirmation_problem
from plugins.voting.protocol.heads import (
    HEAD_PROTOCOL,
    HEAD_SECTIONS,
    check_heads,
    head_digests,
    head_message,
)
from plugins.voting.protocol.proxy import over_cap, proxy_problem, proxy_specs
from plugins.voting.protocol.published import open_deliveries, open_paper, open_register, sheet_label
from plugins.voting.protocol.record import (
    RECORD_PROTOCOL,
    RECORD_V2,
    SEAL_OF,
    SECTIONS,
    ballot_leaf,
    merkle_root,
    quiet_gc,
    seal_message,
    section_digest,
    section_digests,
)
from plugins.voting.protocol.rules import (
    Unit,
    group_key,
    grouping_holds,
    register_digest,
    register_rows_digest,
)
from plugins.voting.protocol.scope import scope_label, scope_of, scoped_positions, voter_scopes
from plugins.voting.protocol.tally import compute_tally, rule_value

PARALLEL_FROM = 2000  #: ballots: below this, one process is quicker than starting a pool
METHOD_NAMES = {
    "court_rule": "司法解释（一人多套计一人）",
    "per_unit": "按套计",
    "per_certificate": "按产权证计",
}


@dataclass(frozen=True)
class Pins:
    """Fingerprints the verifier holds from outside the bundle (the printed meeting notice): the
    meeting key and the register digest, each a hex prefix of at least 16 characters (the notice's
    four groups of four), or the whole value. A bundle re-signed under another key fails them."""

    meeting_key: str = ""
    register_digest: str = ""
    #: the scrutineers' key fingerprints written into the count's signed minutes (§8.2): when given,
    #: the record's scrutineer keys must be exactly these
    scrutineer_keys: tuple[str, ...] = ()

    @staticmethod
    def normalise(value: str, what: str) -> str:
        """``3f2a 9c1b 0d4e 7788`` (spaces, no-break spaces, upper case allowed) → ``3f2a9c1b0d4e7788``."""
        text = "".join((value or "").split()).replace("\u00a0", "").lower()
        if len(text) < 16 or any(c not in "0123456789abcdef" for c in text):
            raise BundleError("pin_too_short", what=what, value=(value or "")[:80])
        return text


def _short(value: str) -> str:
    head = (value or "")[:16]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def _check_pins(report: Report, pins: Pins, meeting: dict[str, Any]) -> None:
    key, digest = str(meeting.get("meeting_key", "")), str(meeting.get("register_digest", ""))
    if pins.meeting_key and not key.startswith(pins.meeting_key):
        report.add("pinned_key_mismatch", pinned=_short(pins.meeting_key), found=_short(key))
    if pins.scrutineer_keys:
        listed = meeting.get("scrutineer_keys")
        keys = [k for k in listed if isinstance(k, dict)] if isinstance(listed, list) else []
        for k in keys:
            public = str(k.get("public_key", ""))
            if not any(public.startswith(pin) for pin in pins.scrutineer_keys):
                report.add("pinned_scrutineer_key_unknown", name=k.get("name") or "—", found=_short(public))
        for pin in pins.scrutineer_keys:
            if not any(str(k.get("public_key", "")).startswith(pin) for k in keys):
                report.add("pinned_scrutineer_key_missing", pinned=_short(pin))
    if pins.register_digest and not digest.startswith(pins.register_digest):
        report.add("pinned_register_mismatch", pinned=_short(pins.register_digest), found=_short(digest))


class BundleError(Exception):
    """The bundle cannot be read at all (exit code 2)."""

    def __init__(self, code: str, **values: Any) -> None:
        self.code = code
        self.message = message(code, **values)
        super().__init__(self.message)


@dataclass
class Report:
    meeting: str = ""
    root: str = ""
    checked: dict[str, int] = field(default_factory=dict)
    discrepancies: list[dict[str, Any]] = field(default_factory=list)
    tally: dict[str, Any] | None = None
    snapshot: bool = False  #: a snapshot of the open board (head.json), not a sealed bundle
    at: str = ""  #: the snapshot head's time, or the seal's
    meeting_key: str = ""
    rehearsal: bool = False  #: a training district's record (``meeting.rehearsal``): never a real result

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def add(self, code: str, **values: Any) -> None:
        self.discrepancies.append(_discrepancy(code, values))

    def insert(self, at: int, found: list[tuple[str, dict[str, Any]]]) -> None:
        """Discrepancies found elsewhere (the pool), put where their checks come in the report."""
        self.discrepancies[at:at] = [_discrepancy(code, values) for code, values in found]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "meeting": self.meeting,
            "root": self.root,
            "checked": self.checked,
            "discrepancies": self.discrepancies,
            "tally": self.tally,
            "snapshot": self.snapshot,
            "at": self.at,
            "rehearsal": self.rehearsal,
        }


def _discrepancy(code: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "message": message(code, **values), **values}


class _Head(msgspec.Struct):
    """What checking the online ballots needs of a record (the rest is skipped, not decoded): the
    meeting, the credentials, and each online ballot as its undecoded JSON text."""

    meeting: dict[str, Any]
    credentials: list[dict[str, Any]]
    ballots: list[msgspec.Raw]


@dataclass
class _Bundle:
    """A bundle read in two steps: the online ballots' texts first (all the pool needs), then the rest."""

    record_text: bytes
    seal: dict[str, Any]
    tally: Any
    head: _Head | None  #: None when the record is not even shaped like one (said when it is decoded)
    private: dict[str, Any] | None = None  #: the private record of a v2 bundle, when it holds one
    snapshot: dict[str, Any] | None = None  #: head.json of a snapshot bundle (then ``seal`` is empty)
    heads: list[dict[str, Any]] = field(default_factory=list)  #: heads.json of a sealed bundle

    def decode_record(self) -> dict[str, Any]:
        record = _decode("record.json", self.record_text)
        _shape(record, self.seal, snapshot=self.snapshot is not None)
        return record  # type: ignore[no-any-return]


def _decode(name: str, text: bytes) -> Any:
    try:
        return msgspec.json.decode(text)  # strict JSON, ~2x json's speed
    except (msgspec.DecodeError, ValueError) as exc:
        raise BundleError("bundle_bad_json", name=name, detail=str(exc)[:200]) from None


#: What reading a member of a damaged zip raises: a bad CRC or header (BadZipFile), a broken deflate
#: stream (zlib.error), one cut short (EOFError), an unknown compression method (NotImplementedError),
#: an encrypted member (RuntimeError).
_DAMAGED_MEMBER = (OSError, EOFError, ValueError, RuntimeError, zipfile.BadZipFile, zlib.error)


#: The largest member a bundle may hold, uncompressed: a record of 100,000 ballots is ~70 MB, so this
#: leaves room for a million while a "zip bomb" (a few kB inflating to many GB) is refused unread.
MAX_MEMBER_BYTES = 1 << 30


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, refusing one that inflates past :data:`MAX_MEMBER_BYTES` (the size in its
    header is not trusted: reading stops one byte past the limit)."""
    limit = MAX_MEMBER_BYTES
    if archive.getinfo(name).file_size > limit:
        raise BundleError("bundle_too_large", name=name, limit=f"{limit >> 20} MB")
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise BundleError("bundle_too_large", name=name, limit=f"{limit >> 20} MB")
    return data


def open_bundle(path: Path) -> _Bundle:
    """The bundle's parts, the online ballots split out undecoded, or :class:`BundleError`. A sealed
    bundle holds record.json, seal.json and tally.json (and maybe private.json, heads.json); a
    snapshot of the open board holds record.json and head.json (docs/protocol.md §12)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        raise BundleError("bundle_unreadable", detail=str(exc)[:200]) from None
    texts: dict[str, bytes] = {}
    with archive:
        names = set(archive.namelist())
        snapshot = "seal.json" not in names and "head.json" in names
        required = ("record.json", "head.json") if snapshot else ("record.json", "seal.json", "tally.json")
        optional = () if snapshot else ("private.json", "heads.json")
        for name in required:
            if name not in names:
                raise BundleError("bundle_missing", name=name)
        for name in (*required, *(n for n in optional if n in names)):
            try:
                texts[name] = _read_member(archive, name)
            except _DAMAGED_MEMBER as exc:  # a damaged, truncated, encrypted or oddly compressed member
                detail = f"{name}：{str(exc)[:200] or type(exc).__name__}"
                raise BundleError("bundle_unreadable", detail=detail) from None
    if snapshot:
        doc = _decode("head.json", texts["head.json"])
        if not (isinstance(doc, dict) and isinstance(doc.get("head"), dict)):
            raise BundleError("bundle_bad_shape", name="head.json", detail="head")
        seal: Any = {}
        tally: Any = None
    else:
        doc = None
        seal, tally = _decode("seal.json", texts["seal.json"]), _decode("tally.json", texts["tally.json"])
    private = _decode("private.json", texts["private.json"]) if "private.json" in texts else None
    if private is not None and not (
        isinstance(private, dict)
        and isinstance(private.get("voters"), list)
        and isinstance(private.get("paper"), list)
        and all(isinstance(x, dict) for x in private["voters"] + private["paper"])
    ):
        raise BundleError("bundle_bad_shape", name="private.json", detail="voters / paper")
    heads = _decode("heads.json", texts["heads.json"]) if "heads.json" in texts else []
    if not (isinstance(heads, list) and all(isinstance(h, dict) for h in heads)):
        raise BundleError("bundle_bad_shape", name="heads.json", detail="heads")
    try:
        head: _Head | None = msgspec.json.decode(texts["record.json"], type=_Head)
    except (msgspec.DecodeError, ValueError):
        head = None
    return _Bundle(texts["record.json"], seal, tally, head, private, doc, heads)


def _shape(record: Any, seal: Any, *, snapshot: bool = False) -> None:
    def need(ok: bool, name: str, detail: str) -> None:
        if not ok:
            raise BundleError("bundle_bad_shape", name=name, detail=detail)

    need(isinstance(record, dict) and all(s in record for s in SECTIONS), "record.json", "缺少部分")
    need(isinstance(record["meeting"], dict), "record.json", "meeting")
    for key in ("meeting", "meeting_key", "voting_closes", "register_digest", "motions", "officials"):
        need(key in record["meeting"], "record.json", f"meeting.{key}")
    need(record.get("protocol") in SEAL_OF, "record.json", f"protocol 应为 {RECORD_PROTOCOL} 或 {RECORD_V2}")
    need(isinstance(record["register"], dict), "record.json", "register")
    need(
        all(
            isinstance(record["register"].get(k), list)
            for k in (("voters",) if record["protocol"] == RECORD_V2 else ("units", "voters"))
        ),
        "record.json",
        "register",
    )
    for key in ("credentials", "ballots", "paper"):
        need(
            isinstance(record[key], list) and all(isinstance(x, dict) for x in record[key]),
            "record.json",
            key,
        )
    need(isinstance(record["rules"], dict) and "thresholds" in record["rules"], "record.json", "rules")
    if snapshot:
        need(record["protocol"] == RECORD_V2, "record.json", f"protocol 应为 {RECORD_V2}")
        return
    need(isinstance(seal, dict), "seal.json", "不是对象")
    want = SEAL_OF[record["protocol"]]
    need(seal.get("protocol") == want, "seal.json", f"protocol 应为 {want}")
    for key in ("statement", "root", "signature", "meeting_key"):
        need(key in seal, "seal.json", key)
    need(isinstance(seal["statement"], dict) and "sections" in seal["statement"], "seal.json", "statement")


def _check_signature(public_key_hex: str, signature_hex: str, message: bytes) -> bool:
    try:
        return verify_signature(bytes.fromhex(public_key_hex), bytes.fromhex(signature_hex), message)
    except (ValueError, TypeError):
        return False


@dataclass
class _Board:
    """What checking the online ballots needs: the record's ballots and, for each, what it is checked
    against. Set once the record is parsed; forked workers inherit it, so a task is only a range."""

    meeting: str
    register_digest: str
    motions: list[MotionSpec]
    by_position: dict[int, MotionSpec]
    plain: bool  #: the record's own strings and integers are plain (see core.signing.canonical_json)
    closes: datetime | None
    keys: dict[str, dict[str, Any]]  #: credential by public key (the last one listed, as the record has it)
    entries: list[msgspec.Raw]  #: each online ballot's JSON text, decoded by whoever checks it
    #: a proxy's sheet (§8.1): its key → the motions its ballot is checked against
    proxy_motions: dict[str, list[MotionSpec]] = field(default_factory=dict)


#: a range's discrepancies (code, values) in the order of the checks, its ballot leaves, and how many
#: of its ballots were well-formed enough to have a signature checked
_RangeResult = tuple[list[tuple[str, dict[str, Any]]], list[bytes], int]


_BALLOT_ENTRY = frozenset(("voter_no", "ballot", "signature", "ballot_hash", "received_at"))


def _check_range(board: _Board, start: int, end: int) -> _RangeResult:
    """Every check of one online ballot, for the ballots ``start:end``: shape and choices, the signed
    message and its hash, the key (issued to this voter), the time (before the close and before any
    revocation of the key), the signature; and each ballot's Merkle leaf."""
    decode = msgspec.json.decode
    meeting, register_digest, motions, by_position = (
        board.meeting,
        board.register_digest,
        board.motions,
        board.by_position,
    )
    found: list[tuple[str, dict[str, Any]]] = []
    leaves: list[bytes] = []
    signed = 0
    for text in board.entries[start:end]:
        entry = decode(text)  # objects of this process's own (nothing shared is written to)
        if type(entry) is not dict:  # not a record: the shape check says so, and stops the verify
            continue
        voter_no, ballot_hash, received_at, signature = (
            entry.get("voter_no"),
            entry.get("ballot_hash"),
            entry.get("received_at"),
            entry.get("signature"),
        )
        leaves.append(ballot_leaf(entry))
        if len(entry) > 5 or not entry.keys() <= _BALLOT_ENTRY:
            # a member the leaf does not commit to could say anything unsigned (a unit code, say); a
            # missing one is found by the checks below (no time: "after the close")
            extra = "、".join(sorted(str(k) for k in entry.keys() - _BALLOT_ENTRY))
            detail = f"记录项多出未签名的部分：{extra}"
            found.append(("ballot_malformed", {"voter_no": voter_no, "detail": detail}))
            continue
        raw = entry.get("ballot")
        proxy = (
            board.proxy_motions.get(str(raw.get("voter_key")))
            if board.proxy_motions and type(raw) is dict
            else None
        )
        try:
            ballot = check_ballot(
                raw,
                meeting=meeting,
                register_digest=register_digest,
                motions=proxy if proxy is not None else motions,
                by_position=None if proxy is not None else by_position,
            )
        except BallotError as exc:
            detail = message(exc.code, **exc.values)
            found.append(("ballot_malformed", {"voter_no": voter_no, "detail": detail}))
            continue
        signed += 1
        voter_key = ballot["voter_key"]
        msg = ballot_message(meeting, ballot, checked=board.plain)
        if hashlib.sha256(msg).hexdigest() != ballot_hash:
            found.append(("ballot_hash_mismatch", {"voter_no": voter_no}))
        credential = board.keys.get(voter_key)
        if credential is None or credential.get("voter_no") != voter_no:
            found.append(("ballot_unknown_key", {"voter_no": voter_no}))
        received = _time(received_at)
        if received is None or board.closes is None or received >= board.closes:
            found.append(("ballot_after_close", {"voter_no": voter_no}))
        revoked = _time(credential.get("revoked_at")) if credential and credential.get("revoked_at") else None
        if revoked is not None and received is not None and received >= revoked:
            found.append(("ballot_after_revocation", {"voter_no": voter_no}))
        if not _check_signature(voter_key, str(signature if signature is not None else ""), msg):
            found.append(("ballot_signature_invalid", {"voter_no": voter_no}))
        if proxy is not None and credential is not None:
            code = proxy_problem(ballot["choices"], credential["proxy"])
            if code is not None:
                found.append(("ballot_beyond_proxy", {"voter_no": voter_no, "detail": message(code)}))
    return found, leaves, signed


_shared: _Board | None = None  #: the board, inherited by forked workers


def _check_shared(start: int, end: int) -> _RangeResult:
    assert _shared is not None
    return _check_range(_shared, start, end)


CHUNK = 2000  #: ballots per task: small enough to keep both workers busy to the end


class _BallotChecks:
    """The online ballots' checks (nearly all of a bundle's CPU: signatures above all) run by a pool of
    processes forked once the record is in memory — they inherit it, so a task is just a range of
    ballots and only discrepancies and leaves come back — while this process goes on with the rest of
    the bundle; below PARALLEL_FROM ballots (or without fork), checked in-process."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Any] = []
        self.board: _Board | None = None

    def start(self, board: _Board) -> None:
        global _shared
        self.board = board
        count = len(board.entries)
        if self.workers < 2 or count < PARALLEL_FROM or "fork" not in get_all_start_methods():
            return
        _shared = board
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
        for at in range(0, count, CHUNK):
            self.futures.append(self.pool.submit(_check_shared, at, min(at + CHUNK, count)))

    def results(self) -> _RangeResult:
        """All ranges' results joined, in the order of the ballots."""
        board, self.board = self.board, None
        try:
            if not self.futures:
                assert board is not None
                return _check_range(board, 0, len(board.entries))
            found: list[tuple[str, dict[str, Any]]] = []
            leaves: list[bytes] = []
            signed = 0
            for future in self.futures:
                part_found, part_leaves, part_signed = future.result()
                found += part_found
                leaves += part_leaves
                signed += part_signed
            return found, leaves, signed
        finally:
            self.close()

    def close(self) -> None:
        global _shared
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        _shared = None


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text)  # ISO 8601, ``…Z`` included (Python 3.11)
    except (ValueError, TypeError):
        return None


def verify_bundle(
    path: Path, *, workers: int | None = None, keep: list[Any] | None = None, pins: Pins | None = None
) -> Report:
    """Every check of the bundle at ``path``; raises :class:`BundleError` when it cannot be read.
    ``pins``: the fingerprints printed on the meeting notice, checked first (docs/protocol.md §11).
    ``keep``: a list the parsed record is put in, so that a caller about to exit spares freeing its
    millions of objects one by one (half a second for 100,000 ballots; see the ``verify`` command)."""
    workers = workers or min(2, os.cpu_count() or 1)
    checks = _BallotChecks(workers)
    try:
        with quiet_gc():
            return _verify(path, checks, keep if keep is not None else [], pins or Pins())
    except BundleError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # A value no sealed record holds where the checks met it (an integer past JSON's safe range,
        # which has no canonical form; a list where an object belongs): the bundle cannot be used.
        detail = f"{type(exc).__name__}: {str(exc)[:160]}"
        raise BundleError("bundle_bad_shape", name="record.json", detail=detail) from None
    finally:
        checks.close()


def _board(head: _Head) -> _Board:
    """The online ballots' checks' inputs, from the head of the record (KeyError, TypeError,
    ValueError or AttributeError when the meeting is not shaped as a record's)."""
    meeting = head.meeting
    public_id = str(meeting["meeting"])
    motions = [
        MotionSpec(
            m["position"],
            m["kind"],
            m["seats"],
            tuple(c["id"] for c in m["candidates"]),
            scoped=bool(scope_of(m)),
        )
        for m in meeting["motions"]
    ]
    keys: dict[str, dict[str, Any]] = {}
    proxies: dict[str, list[MotionSpec]] = {}
    for c in head.credentials:
        keys[str(c.get("public_key"))] = c
        if isinstance(c.get("proxy"), dict):
            proxies[str(c.get("public_key"))] = proxy_specs(motions, set(c["proxy"].get("motions") or ()))
    return _Board(
        meeting=public_id,
        register_digest=meeting["register_digest"],
        motions=motions,
        by_position={m.position: m for m in motions},
        # A ballot that passed check_ballot holds only the record's own strings and integers: when those
        # are plain (see core.signing.canonical_json), its message needs no second walk.
        plain=is_plain_json(
            [public_id, meeting["register_digest"], [[m.position, list(m.candidates)] for m in motions]]
        ),
        closes=_time(meeting["voting_closes"]),
        keys=keys,
        entries=head.ballots,
        proxy_motions=proxies,
    )


def _verify(path: Path, checks: _BallotChecks, keep: list[Any], pins: Pins) -> Report:
    # 0. The online ballots go to the pool first (every check of each ballot, and its Merkle leaf), as
    #    soon as their texts are split out — the workers decode their own — so they are checked while
    #    this process decodes and checks the rest; discrepancies are still reported in the order of the
    #    checks below.
    bundle = open_bundle(path)
    board: _Board | None = None
    if bundle.head is not None:
        try:
            board = _board(bundle.head)
        except (KeyError, TypeError, ValueError, AttributeError):
            board = None
    if board is not None:
        checks.start(board)
    record = bundle.decode_record()
    keep.append(record)
    seal, tally = bundle.seal, bundle.tally
    if board is None:
        raise BundleError("bundle_bad_shape", name="record.json", detail="meeting.motions")
    meeting = record["meeting"]
    public_id = board.meeting
    motions = board.motions
    report = Report(meeting=public_id, meeting_key=str(meeting["meeting_key"]))
    _check_pins(report, pins, meeting)  # before anything else: a re-keyed bundle verifies in itself
    report.rehearsal = meeting.get("rehearsal") is True
    if "rehearsal" in meeting and not report.rehearsal:  # only ``true`` is written (§9.1)
        report.add("rehearsal_bad_value", value=str(meeting["rehearsal"])[:40])

    # 1. The seal (or a snapshot's head): the signed statement, then every section against it (the
    #    ballots' section once the pool has its leaves).
    if bundle.snapshot is not None:
        sealed_sections, digests, counts = _check_snapshot(report, record, bundle.snapshot)
        sections: tuple[str, ...] = HEAD_SECTIONS
    else:
        sealed_sections, digests, counts = _check_seal(report, record, seal)
        sections = SECTIONS
    sections_at = len(report.discrepancies)  # the sections' discrepancies go here, once all are known
    _check_counts(report, record, counts, "paper" in sections)

    # 2. The register: digest, areas, grouping (a published record: only with its private record).
    register = record["register"]
    private = bundle.private if record["protocol"] == RECORD_V2 else None
    if record["protocol"] == RECORD_V2:
        units = _check_published_register(report, record, private, seal)
    else:
        _check_register(report, register, meeting)
        units = len(register["units"])

    # 3. Credentials.
    voter_nos = {v["voter_no"] for v in register["voters"]}
    for key, count in Counter(str(c.get("public_key")) for c in record["credentials"]).items():
        for _ in range(count - 1):
            report.add("credential_duplicate", key=key)
    for c in record["credentials"]:
        if c.get("voter_no") not in voter_nos:
            report.add("credential_unknown_voter", voter_no=c.get("voter_no"))
    _check_proxies(report, record)
    _check_custody(report, record, private)
    ballots_at = len(report.discrepancies)  # the online ballots' discrepancies go here

    # 4. Duplicate online ballots.
    for voter_no, count in Counter(e.get("voter_no") for e in record["ballots"]).items():
        if count > 1:
            report.add("ballot_duplicate_voter", voter_no=voter_no, count=count)
    for digest, count in Counter(e.get("ballot_hash") for e in record["ballots"]).items():
        if count > 1:
            report.add("ballot_duplicate_hash", hash=digest, count=count)

    # 5. Paper entries; then which motions each ballot answers, where some are of a part of the estate.
    confirmations = _check_paper(report, record, meeting, motions, private)
    _check_scoped_answers(report, record)

    # 6. The tally, recomputed under the recorded rules (none on a snapshot: voting is not over).
    if bundle.snapshot is None:
        try:
            recomputed = compute_tally(record)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # a ballot or paper entry without what counting needs (its other checks say which)
            report.add("tally_uncomputable", detail=f"{type(exc).__name__}: {exc}"[:200])
        else:
            report.tally = recomputed
            _compare_tally(report, recomputed, tally)

    # The pool's part: the online ballots' discrepancies and the ballots' section.
    found, leaves, signed_ballots = checks.results()
    report.insert(ballots_at, found)
    digests["ballots"] = merkle_root(leaves).hex()

    # 7. The heads signed while voting was open, each against this record as it stood then (§12).
    key_ok = _key_check(str(meeting["meeting_key"]))
    for code, values in check_heads(record, bundle.heads, key_ok, leaves):
        report.add(code, **values)
    report.insert(
        sections_at,
        [
            ("seal_section_mismatch", {"section": section, "section_cn": SECTION_NAMES[section]})
            for section in sections
            if digests[section] != sealed_sections.get(section)
        ],
    )
    report.checked = {
        "voters": len(register["voters"]),
        "units": units,
        "credentials": len(record["credentials"]),
        "ballots": len(record["ballots"]),
        "signatures": signed_ballots + 1,
        "paper": len(record["paper"]),
        "confirmations": confirmations,  # paper entries whose scrutineer's signature holds (§8.2)
        "motions": len(meeting["motions"]),
        "private": int(private is not None),
        "heads": len(bundle.heads),
    }
    return report


def _check_seal(
    report: Report, record: dict[str, Any], seal: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str], Any]:
    """The seal's key, meeting, root and signature; returns the sealed sections, the record's digests
    (the ballots' still to come from the pool) and the sealed counts."""
    meeting = record["meeting"]
    public_id = str(meeting["meeting"])
    statement = seal["statement"]
    report.root, report.at = str(seal["root"]), str(meeting.get("sealed_at") or "")
    if seal["meeting_key"] != meeting["meeting_key"]:
        report.add("seal_key_mismatch")
    if seal.get("meeting") != public_id or statement.get("meeting") != public_id:
        report.add("seal_meeting_mismatch")
    signed = seal_message(public_id, statement)
    if hashlib.sha256(signed).hexdigest() != seal["root"]:
        report.add("seal_root_mismatch")
    if not _check_signature(str(meeting["meeting_key"]), str(seal["signature"]), signed):
        report.add("seal_signature_invalid")
    # Digests through the fast encoder first (RFC 8785's bytes for plain values, see core.signing); it is
    # injective on parsed values, so it cannot match a sealed digest the strict encoding would not. Only
    # on a mismatch is the strict encoding computed, and it decides.
    sealed_sections = statement.get("sections", {})
    digests = section_digests(record, plain=True, leaves=[])
    if any(digests[s] != sealed_sections.get(s) for s in SECTIONS if s != "ballots"):
        digests = section_digests(record, leaves=[])
    return sealed_sections, digests, statement.get("counts", {})


def _check_counts(report: Report, record: dict[str, Any], counts: Any, paper: bool) -> None:
    """The signed counts (a head's have no paper entries) against the record's."""
    have = {
        "voters": len(record["register"]["voters"]),
        "credentials": len(record["credentials"]),
        "ballots": len(record["ballots"]),
    }
    if paper:
        have["paper"] = len(record["paper"])
    counts = counts if isinstance(counts, dict) else {}
    for what, number in have.items():
        if counts.get(what) != number:
            report.add(
                "seal_count_mismatch",
                what=SECTION_NAMES.get(what, "表决人"),
                have=number,
                sealed=counts.get(what),
            )


def _check_snapshot(
    report: Report, record: dict[str, Any], doc: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str], Any]:
    """A snapshot's head (docs/protocol.md §12): its key, meeting and signature, no paper entry and no
    ballot received after the head's time; returns the head's sections, the record's and the counts."""
    meeting = record["meeting"]
    public_id = str(meeting["meeting"])
    head = doc["head"]
    at = str(head.get("at") or "")
    signed = head_message(public_id, head)
    report.snapshot, report.at, report.root = True, at, hashlib.sha256(signed).hexdigest()
    if doc.get("meeting_key") != meeting["meeting_key"]:
        report.add("head_key_mismatch")
    if head.get("protocol") != HEAD_PROTOCOL or head.get("meeting") != public_id:
        report.add("head_meeting_mismatch", at=at)
    if not _check_signature(str(meeting["meeting_key"]), str(doc.get("signature") or ""), signed):
        report.add("head_signature_invalid", at=at)
    if record["paper"]:
        report.add("snapshot_paper", count=len(record["paper"]))
    for entry in record["ballots"]:
        received = entry.get("received_at")
        if not isinstance(received, str) or received > at:
            report.add("snapshot_ballot_after_head", voter_no=entry.get("voter_no"), at=at)
    sections = head.get("sections")
    return (sections if isinstance(sections, dict) else {}), head_digests(record, at), head.get("counts")


def _key_check(public_key_hex: str) -> Any:
    """``check(signature_hex, message)`` under the meeting key."""
    return lambda signature, message: _check_signature(public_key_hex, signature, message)


_HEX64 = frozenset("0123456789abcdef")


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64


def _check_published_register(
    report: Report, record: dict[str, Any], private: dict[str, Any] | None, seal: dict[str, Any]
) -> int:
    """A published (v2) register: integral areas and a commitment per voter; with the private record,
    every commitment opened and the rebuilt register checked as a v1 one (areas, grouping, digest).
    Returns the number of units checked (0 without the private record)."""
    register = record["register"]
    _integral_numbers(register)
    for voter in register["voters"]:
        if not _is_hex64(voter.get("commitment")):
            report.add("register_commitment_malformed", voter_no=voter.get("voter_no"))
    if private is None:
        _check_scope_shares(report, register, record["meeting"])
        return 0
    meeting = record["meeting"]
    if private.get("meeting") != meeting["meeting"] or private.get("root") != seal.get("root"):
        report.add("private_meeting_mismatch")
    try:
        opened, found = open_register(record, private)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BundleError("bundle_bad_shape", name="private.json", detail=f"voters: {exc}") from None
    report.insert(len(report.discrepancies), found)
    _check_register(report, opened, meeting)
    return len(opened["units"])


def _check_register(report: Report, register: dict[str, Any], meeting: dict[str, Any]) -> None:
    """The register: integral areas, each voter's area the sum of their units', the grouping of units
    into voters under the recorded method, and the digest the meeting published."""
    _integral_numbers(register)
    method = register.get("headcount_method", "")
    try:
        rows, voters = register["units"], register["voters"]
        area_of = {u["unit_code"]: int(u["area_centi"]) for u in rows}
        for voter in voters:
            want = sum(area_of.get(code, 0) for code in voter["units"])
            if want != voter["area_centi"]:
                report.add(
                    "register_area_mismatch", voter_no=voter["voter_no"], have=voter["area_centi"], want=want
                )
        if method in METHOD_NAMES and method != "per_certificate":
            keys = {
                u["unit_code"]: group_key(
                    method, u["unit_code"], u["owner_key"], "", bool(u["developer_unsold"])
                )
                for u in rows
            }
            if len(keys) != len(rows) or not grouping_holds(keys, (v["units"] for v in voters)):
                report.add("register_grouping_mismatch", method=METHOD_NAMES[method])
        # The record's rows are already in the digest's form (units in natural order): hashed as they
        # are first; a mismatch is re-checked from typed units, sorted, with the strict encoding, which
        # decide (see the sections above).
        digest = register_rows_digest(
            method,
            rows,
            [{"units": v["units"], "area_centi": v["area_centi"], "heads": v["heads"]} for v in voters],
            plain=True,
        )
        if digest != meeting["register_digest"]:
            units = [
                Unit(
                    u["unit_code"],
                    int(u["area_centi"]),
                    u["area_source"],
                    u["owner_key"],
                    "",
                    "",
                    bool(u["developer_unsold"]),
                )
                for u in rows
            ]
            digest_voters = [_VoterView(tuple(v["units"]), v["area_centi"], v["heads"]) for v in voters]
            digest = register_digest(units, digest_voters, method)  # type: ignore[arg-type]
        if digest != meeting["register_digest"]:
            report.add("register_digest_mismatch")
        _check_register_scopes(report, register, meeting)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BundleError("bundle_bad_shape", name="record.json", detail=f"register: {exc}") from None


def _check_paper(
    report: Report,
    record: dict[str, Any],
    meeting: dict[str, Any],
    motions: list[MotionSpec],
    private: dict[str, Any] | None = None,
) -> int:
    """Paper entries: one per sheet, of an issued sheet, with the status the record implies, entered and
    confirmed by a scrutineer, answering every motion. A published (v2) entry names its sheet by record
    number and printing, and commits to the serial and who entered it; the private record opens that.
    Returns how many entries carry a scrutineer's confirmation that holds (§8.2)."""
    published = record["protocol"] == RECORD_V2
    versions = {(c.get("voter_no"), c.get("version")): c for c in record["credentials"]}
    online = {e.get("voter_no") for e in record["ballots"]}
    scrutineers = {o["name"] for o in meeting["officials"] if o.get("role") == "scrutineer"}
    closes = _time(meeting.get("voting_closes"))
    first = rule_value(record["rules"], "dual_ballot", "online") == "first"
    public_id = str(meeting.get("meeting"))
    keys = _scrutineer_keys(report, meeting, scrutineers)
    confirmed = 0
    openings: dict[tuple[Any, Any], dict[str, Any]] = {}
    if published and private is not None:
        openings, found = open_paper(record, private)
        report.insert(len(report.discrepancies), found)
        serials = {o.get("voter_no"): o.get("serial") for o in private["voters"]}
        for (number, version), opening in openings.items():
            base = serials.get(number)
            want = base if version == 1 else f"{base}.{version}"
            if opening.get("sheet_serial") != want:
                report.add(
                    "private_serial_mismatch", serial=sheet_label({"voter_no": number, "version": version})
                )
    sheet = sheet_label if published else (lambda p: p.get("sheet_serial"))
    for serial, count in Counter(sheet(p) for p in record["paper"]).items():
        if count > 1:
            report.add("paper_duplicate_sheet", serial=serial, count=count)
    if keys is not None:  # one signed sheet commitment per entry: a confirmation cannot be copied (§8.2)
        sheets = Counter(
            str(p["confirmation"].get("sheet"))
            for p in record["paper"]
            if isinstance(p.get("confirmation"), dict)
        )
        for p in record["paper"]:
            confirmation = p.get("confirmation")
            if isinstance(confirmation, dict) and sheets[str(confirmation.get("sheet"))] > 1:
                report.add("paper_confirmation_reused", serial=sheet(p))
    for p in record["paper"]:
        serial = sheet(p)
        if published:
            opened = openings.get((p.get("voter_no"), p.get("version")))
            if not _is_hex64(p.get("custody")):
                report.add("paper_custody_malformed", serial=serial)
            # without the private record, who entered it is committed to, not shown
            entered_by = opened.get("entered_by") if opened else ("" if private is not None else "-")
        else:
            entered_by = p.get("entered_by")
        credential = versions.get((p.get("voter_no"), p.get("version")))
        if credential is None:
            report.add("paper_unknown_sheet", serial=serial)
            continue
        handed = _handed_in(report, serial, p)
        want = (
            "revoked"
            if credential.get("revoked_at")
            else "late"
            if handed is not None and closes is not None and not handed < closes
            else "conflict_online"
            if p.get("voter_no") in online
            else "counted"
        )
        if p.get("status") != want:
            report.add("paper_status_mismatch", serial=serial, want=want, have=p.get("status"))
        if want == "conflict_online" and first and handed is None:
            report.add("paper_handed_in_missing", serial=serial)
        if p.get("confirmed_by") not in scrutineers or not entered_by:
            report.add("paper_not_confirmed", serial=serial, name=p.get("confirmed_by") or "—")
        if keys is not None:
            if published:
                opened = openings.get((p.get("voter_no"), p.get("version")))
                sheet_serial, salt = (
                    (opened.get("sheet_serial"), opened.get("sheet_salt")) if opened else (None, None)
                )
            else:
                confirmation = p.get("confirmation")
                sheet_serial = p.get("sheet_serial")
                salt = confirmation.get("salt") if isinstance(confirmation, dict) else None
            # with the serial known (a full record, or the private record's opening), the signed sheet
            # commitment must open to it: a confirmation cannot be moved to another sheet
            code = confirmation_problem(
                public_id, p, keys, None if sheet_serial is None else str(sheet_serial), salt
            )
            if code is not None:
                report.add(code, serial=serial)
            else:
                confirmed += 1
        authorisation = credential.get("proxy") if isinstance(credential.get("proxy"), dict) else None
        allowed = set(authorisation.get("motions") or ()) if authorisation else None
        try:
            check_choices(p.get("choices"), proxy_specs(motions, allowed) if allowed is not None else motions)
        except BallotError as exc:
            report.add("paper_malformed", serial=serial, detail=message(exc.code, **exc.values))
            continue
        if authorisation is not None:
            code = proxy_problem(p["choices"], authorisation)
            if code is not None:
                report.add("paper_beyond_proxy", serial=serial, detail=message(code))
    return confirmed


def _scrutineer_keys(
    report: Report, meeting: dict[str, Any], scrutineers: set[str]
) -> dict[str, dict[str, Any]] | None:
    """The record's scrutineer keys by public key (§8.2), each of a scrutineer of the meeting; None for
    a record older than confirmations (neither ``scrutineer_keys`` nor ``voting_opened``): its paper
    entries carry none. A record that dates the opening is not such a record, so stripping the member
    does not stop the entries from being checked."""
    listed = meeting.get("scrutineer_keys")
    if listed is None and meeting.get("voting_opened") is None:
        return None
    keys: dict[str, dict[str, Any]] = {}
    for key in listed if isinstance(listed, list) else []:
        if not isinstance(key, dict):
            continue
        public = str(key.get("public_key"))
        if public in keys:
            report.add("scrutineer_key_duplicate", key=_short(public))
        if key.get("name") not in scrutineers or key.get("role") != "scrutineer":
            report.add("scrutineer_key_not_official", key=_short(public), name=key.get("name") or "—")
            continue
        keys[public] = key
    return keys


def _handed_in(report: Report, serial: Any, entry: dict[str, Any]) -> datetime | None:
    """A paper entry's hand-in time (§9.3), if recorded; a malformed one is reported."""
    if "handed_in_at" not in entry:
        return None
    at = _time(entry["handed_in_at"])
    if at is None:
        report.add("paper_malformed", serial=serial, detail="handed_in_at")
    return at


#: How a sheet was delivered (送达): handed over against the owner's signature, or left at the door or in
#: the mailbox before two witnesses.
DELIVERY_METHODS = ("in_person", "door")


def _check_custody(report: Report, record: dict[str, Any], private: dict[str, Any] | None) -> None:
    """What an auditor needs beside the votes (§9.1, records of meetings opened since it carries
    ``voting_opened``): the profile as published against its digest, a reason for every revocation,
    delivery records well-formed (a sheet left at the door has two witnesses), no online ballot before
    the vote opened; with the private record, every delivery's names against their commitment."""
    meeting = record["meeting"]
    digest = meeting.get("rules_digest")
    if digest is not None and digest != section_digest(record["rules"]):
        report.add("rules_digest_mismatch")
    opened = meeting.get("voting_opened")
    if opened is None:
        return
    published = record["protocol"] == RECORD_V2
    for c in record["credentials"]:
        where = {"voter_no": c.get("voter_no"), "version": c.get("version")}
        revocation = c.get("revocation")
        reason = revocation.get("reason") if isinstance(revocation, dict) else None
        if c.get("revoked_at") is not None and not (isinstance(reason, str) and reason):
            report.add("revocation_no_reason", **where)
        deliveries = c.get("deliveries", [])
        if not isinstance(deliveries, list):
            report.add("delivery_malformed", **where)
            continue
        for d in deliveries:
            witnesses = d.get("witnesses") if isinstance(d, dict) else None
            count = witnesses if published else (len(witnesses) if isinstance(witnesses, list) else None)
            if (
                not isinstance(d, dict)
                or d.get("method") not in DELIVERY_METHODS
                or type(count) is not int
                or not isinstance(d.get("delivered_on"), str)
                or (published and not _is_hex64(d.get("custody")))
            ):
                report.add("delivery_malformed", **where)
            elif d["method"] == "door" and count < 2:
                report.add("delivery_unwitnessed", count=count, **where)
    for entry in record["ballots"]:
        received = entry.get("received_at")
        if isinstance(received, str) and isinstance(opened, str) and received < opened:
            report.add("ballot_before_open", voter_no=entry.get("voter_no"), opened=opened)
    if published and private is not None:
        report.insert(len(report.discrepancies), open_deliveries(record, private))


def _check_proxies(report: Report, record: dict[str, Any]) -> None:
    """Proxies' sheets (§8.1): each authorisation well-formed, and no proxy holding more voters' sheets
    than the recorded profile's ``proxy_cap`` allows."""
    positions = {m.get("position") for m in record["meeting"]["motions"]}
    for c in record["credentials"]:
        proxy = c.get("proxy")
        if proxy is None:
            continue
        motions = proxy.get("motions") if isinstance(proxy, dict) else None
        if (
            not isinstance(proxy, dict)
            or type(proxy.get("proxy_no")) is not int
            or not isinstance(motions, list)
            or not motions
            or any(m not in positions for m in motions)
            or not _is_hex64(proxy.get("scan_sha256"))
            or not (proxy.get("instructions") is None or isinstance(proxy.get("instructions"), list))
        ):
            report.add("proxy_malformed", voter_no=c.get("voter_no"), version=c.get("version"))
    cap = rule_value(record["rules"], "proxy_cap", None)
    valid = [c for c in record["credentials"] if isinstance(c.get("proxy"), dict)]
    for number, count in over_cap(valid, cap if type(cap) is int else None):
        report.add("proxy_over_cap", proxy_no=number, count=count, cap=cap)


def _check_scoped_answers(report: Report, record: dict[str, Any]) -> None:
    """A ballot answers a motion of a part of the estate exactly when its voter has a share of it
    (the register's ``scopes``, §9.6): online ballots and paper entries alike."""
    scoped = scoped_positions(record["meeting"]["motions"])
    if not scoped:
        return
    labels = {p: scope_label(prefixes) for p, prefixes in scoped.items()}
    shares: dict[Any, set[int]] = {
        v.get("voter_no"): {
            s["motion"] for s in v.get("scopes") or () if isinstance(s, dict) and "motion" in s
        }
        for v in record["register"]["voters"]
    }

    # a proxy's sheet answers only the motions of its authorisation (§8.1), scoped ones included
    by_key: dict[tuple[Any, Any], set[Any]] = {}  # (voter, public key) → the authorised motions
    by_sheet: dict[tuple[Any, Any], set[Any]] = {}  # (voter, printing) → the same
    for c in record["credentials"]:
        proxy = c.get("proxy")
        if isinstance(proxy, dict) and isinstance(proxy.get("motions"), list):
            motions = {m for m in proxy["motions"] if isinstance(m, int)}
            by_key[(c.get("voter_no"), c.get("public_key"))] = motions
            by_sheet[(c.get("voter_no"), c.get("version"))] = motions

    def wrong(choices: Any, voter_no: Any, allowed: set[Any] | None) -> str | None:
        if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
            return None  # malformed: said by the checks of its kind
        share = shares.get(voter_no, set())
        try:
            check_scope(choices, labels, share if allowed is None else share & allowed)
        except BallotError as exc:
            return message(exc.code, **exc.values)
        return None

    for entry in record["ballots"]:
        ballot = entry.get("ballot")
        key = ballot.get("voter_key") if isinstance(ballot, dict) else None
        allowed = by_key.get((entry.get("voter_no"), key))
        choices = ballot.get("choices") if isinstance(ballot, dict) else None
        detail = wrong(choices, entry.get("voter_no"), allowed)
        if detail:
            report.add("ballot_malformed", voter_no=entry.get("voter_no"), detail=detail)
    sheet = sheet_label if record["protocol"] == RECORD_V2 else (lambda p: p.get("sheet_serial"))
    for entry in record["paper"]:
        allowed = by_sheet.get((entry.get("voter_no"), entry.get("version")))
        detail = wrong(entry.get("choices"), entry.get("voter_no"), allowed)
        if detail:
            report.add("paper_malformed", serial=sheet(entry), detail=detail)


def _check_register_scopes(report: Report, register: dict[str, Any], meeting: dict[str, Any]) -> None:
    """Each voter's share of the motions of a part of the estate is the one their units give (§9.6);
    a meeting without such motions has no shares."""
    scoped = scoped_positions(meeting["motions"])
    area_of = {u["unit_code"]: int(u["area_centi"]) for u in register["units"]}
    for voter in register["voters"]:
        want = voter_scopes(voter["units"], area_of, voter["heads"], scoped) if scoped else None
        if voter.get("scopes") != want:
            report.add("register_scope_mismatch", voter_no=voter["voter_no"])


def _check_scope_shares(report: Report, register: dict[str, Any], meeting: dict[str, Any]) -> None:
    """Without the units (a public v2 record): each share names a scoped motion once, in order, and
    holds no more area than the voter has and the voter's heads."""
    scoped = scoped_positions(meeting["motions"])
    for voter in register["voters"]:
        shares = voter.get("scopes")
        if shares is None and not scoped:
            continue
        motions: list[Any] = [s.get("motion") for s in shares or () if isinstance(s, dict)]
        if (
            not isinstance(shares, list)
            or len(motions) != len(shares)
            or motions != sorted(set(motions))
            or not set(motions) <= scoped.keys()
            or any(
                not isinstance(s.get("area_centi"), int)
                or not 0 < s["area_centi"] <= voter["area_centi"]
                or s.get("heads") != voter["heads"]
                or set(s) != {"motion", "area_centi", "heads"}
                for s in shares
            )
        ):
            report.add("register_scope_mismatch", voter_no=voter.get("voter_no"))


def _integral_numbers(register: dict[str, Any]) -> None:
    """Areas and heads are integers; ``10000.0`` is the same JSON number as ``10000`` (RFC 8785 writes
    both alike), anything else is not a register."""
    for rows in (register.get("units", []), register.get("voters", [])):
        for row in rows:
            if type(row) is not dict:
                continue
            if type(row.get("area_centi")) is float or type(row.get("heads")) is float:
                for key in ("area_centi", "heads"):
                    value = row.get(key)
                    if isinstance(value, float):
                        if not value.is_integer():
                            raise BundleError(
                                "bundle_bad_shape", name="record.json", detail=f"register: {key} {value}"
                            )
                        row[key] = int(value)


@dataclass(frozen=True)
class _VoterView:
    unit_codes: tuple[str, ...]
    area_centi: int
    heads: int


def _without_words(value: Any) -> Any:
    """A tally field without its presentation words (a rule's ``description``): the words may be
    reworded between versions, the fractions, bases and sources they describe may not."""
    if isinstance(value, dict):
        return {k: _without_words(v) for k, v in value.items() if k != "description"}
    if isinstance(value, list):
        return [_without_words(v) for v in value]
    return value


def _compare_tally(report: Report, recomputed: dict[str, Any], claimed: Any) -> None:
    mine = {m["motion"]: m for m in recomputed["motions"]}
    theirs = {m.get("motion"): m for m in (claimed or {}).get("motions", []) if isinstance(m, dict)}
    if set(mine) != set(theirs):
        report.add("tally_motions_mismatch")
        return
    for number, m in mine.items():
        t = theirs[number]
        for key in (
            "passed",
            "participation_met",
            "area",
            "headcount",
            "rule",
            "winners",
            "candidates",
            "scope",
        ):
            if _without_words(m.get(key)) != _without_words(t.get(key)):
                report.add("tally_mismatch", motion=number, field=key)


@dataclass
class SinceReport:
    """``wuye verify --since OLD NEW``: each bundle's own report, and what NEW does not keep of OLD."""

    old: Report
    new: Report
    discrepancies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def to_dict(self) -> dict[str, Any]:
        def side(report: Report) -> dict[str, Any]:
            return {
                "ok": report.ok,
                "snapshot": report.snapshot,
                "at": report.at,
                "root": report.root,
                "checked": report.checked,
            }

        return {
            "ok": self.ok,
            "meeting": self.new.meeting,
            "old": side(self.old),
            "new": side(self.new),
            "discrepancies": self.discrepancies,
        }


def verify_since(
    old: Path, new: Path, *, workers: int | None = None, pins: Pins | None = None
) -> SinceReport:
    """Both bundles verified on their own (their discrepancies listed, each with ``bundle``: ``old``
    or ``new``), then NEW checked to extend OLD (docs/protocol.md §12.4); :class:`BundleError` when
    either cannot be read."""
    from plugins.voting.protocol.heads import extends

    sides: list[tuple[Report, dict[str, Any]]] = []
    for path in (old, new):
        keep: list[Any] = []
        report = verify_bundle(path, workers=workers, keep=keep, pins=pins)
        sides.append((report, keep[0]))
    (old_report, old_record), (new_report, new_record) = sides
    result = SinceReport(old_report, new_report)
    for name, report in (("old", old_report), ("new", new_report)):
        prefix = message(f"since_{name}")
        result.discrepancies += [
            {**d, "bundle": name, "message": prefix + d["message"]} for d in report.discrepancies
        ]
    found = extends(
        {
            "record": old_record,
            "at": old_report.at,
            "final": not old_report.snapshot,
            "meeting_key": old_report.meeting_key,
        },
        {
            "record": new_record,
            "at": new_report.at,
            "final": not new_report.snapshot,
            "meeting_key": new_report.meeting_key,
        },
    )
    result.discrepancies += [_discrepancy(code, values) for code, values in found]
    return result
