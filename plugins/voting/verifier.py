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
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import msgspec

from core.messages import message
from core.signing import _plain, verify
from plugins.voting.messages import SECTION_NAMES
from plugins.voting.protocol import BallotError, MotionSpec, ballot_message, check_ballot, check_choices
from plugins.voting.record import SECTIONS, quiet_gc, seal_message, section_digests
from plugins.voting.rules import Unit, register_digest, voter_groups
from plugins.voting.tally import compute_tally

PARALLEL_FROM = 2000  #: ballots: below this, one process is quicker than starting a pool
METHOD_NAMES = {
    "court_rule": "司法解释（一人多套计一人）",
    "per_unit": "按套计",
    "per_certificate": "按产权证计",
}


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

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def add(self, code: str, **values: Any) -> None:
        self.discrepancies.append({"code": code, "message": message(code, **values), **values})

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "meeting": self.meeting,
            "root": self.root,
            "checked": self.checked,
            "discrepancies": self.discrepancies,
            "tally": self.tally,
        }


def read_bundle(path: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(record, seal, tally) from the zip, or :class:`BundleError`."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError("bundle_unreadable", detail=str(exc)) from None
    parts: dict[str, Any] = {}
    with archive:
        names = set(archive.namelist())
        for name in ("record.json", "seal.json", "tally.json"):
            if name not in names:
                raise BundleError("bundle_missing", name=name)
            try:
                parts[name] = msgspec.json.decode(archive.read(name))  # strict JSON, ~2x json's speed
            except (msgspec.DecodeError, ValueError, zipfile.BadZipFile) as exc:
                raise BundleError("bundle_bad_json", name=name, detail=str(exc)[:200]) from None
    record, seal, tally = parts["record.json"], parts["seal.json"], parts["tally.json"]
    _shape(record, seal)
    return record, seal, tally


def _shape(record: Any, seal: Any) -> None:
    def need(ok: bool, name: str, detail: str) -> None:
        if not ok:
            raise BundleError("bundle_bad_shape", name=name, detail=detail)

    need(isinstance(record, dict) and all(s in record for s in SECTIONS), "record.json", "缺少部分")
    need(isinstance(record["meeting"], dict), "record.json", "meeting")
    for key in ("meeting", "meeting_key", "voting_closes", "register_digest", "motions", "officials"):
        need(key in record["meeting"], "record.json", f"meeting.{key}")
    need(isinstance(record["register"], dict), "record.json", "register")
    need(
        all(isinstance(record["register"].get(k), list) for k in ("units", "voters")),
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
    need(isinstance(seal, dict), "seal.json", "不是对象")
    for key in ("statement", "root", "signature", "meeting_key"):
        need(key in seal, "seal.json", key)
    need(isinstance(seal["statement"], dict) and "sections" in seal["statement"], "seal.json", "statement")


def _check_signature(public_key_hex: str, signature_hex: str, message: bytes) -> bool:
    try:
        return verify(bytes.fromhex(public_key_hex), bytes.fromhex(signature_hex), message)
    except (ValueError, TypeError):
        return False


@dataclass(frozen=True)
class _BallotContext:
    """What checking one online ballot needs besides the ballot (sent once per task to the pool)."""

    meeting: str
    register_digest: str
    motions: tuple[MotionSpec, ...]
    plain: bool  # the record's own strings and integers are plain (see core.signing.canonical_json)


#: ("malformed", code, values) or ("ok", voter_key, sha256 of the signed message, signature valid)
_Outcome = tuple[Any, ...]


def _check_entries(context: _BallotContext, entries: list[dict[str, Any]]) -> list[_Outcome]:
    """Each online ballot of the record: its shape and choices, its signed message, its signature."""
    motions = list(context.motions)
    outcomes: list[_Outcome] = []
    for entry in entries:
        try:
            ballot = check_ballot(
                entry.get("ballot"),
                meeting=context.meeting,
                register_digest=context.register_digest,
                motions=motions,
            )
        except BallotError as exc:
            outcomes.append(("malformed", exc.code, exc.values))
            continue
        msg = ballot_message(context.meeting, ballot, checked=context.plain)
        valid = _check_signature(ballot["voter_key"], str(entry.get("signature", "")), msg)
        outcomes.append(("ok", ballot["voter_key"], hashlib.sha256(msg).hexdigest(), valid))
    return outcomes


_shared: list[dict[str, Any]] = []  #: the record's online ballots, inherited by forked workers


def _check_range(context: _BallotContext, start: int, end: int) -> list[_Outcome]:
    return _check_entries(context, _shared[start:end])


CHUNK = 2000  #: ballots per task: small enough to keep both workers busy to the end


class _BallotChecks:
    """The online ballots' checks (shape, message, signature: nearly all of a bundle's CPU) run by a
    pool of processes forked once the record is in memory — they inherit it, so a task is just a range
    of ballots and nothing is pickled but the outcomes — while this process goes on with the rest of the
    bundle; below PARALLEL_FROM ballots (or without fork), checked in-process."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Any] = []
        self.local: list[_Outcome] = []

    def start(self, context: _BallotContext, entries: list[dict[str, Any]]) -> None:
        global _shared
        if self.workers < 2 or len(entries) < PARALLEL_FROM or "fork" not in get_all_start_methods():
            self.local = _check_entries(context, entries)
            return
        _shared = entries
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
        for at in range(0, len(entries), CHUNK):
            self.futures.append(self.pool.submit(_check_range, context, at, min(at + CHUNK, len(entries))))

    def results(self) -> list[_Outcome]:
        try:
            return [o for future in self.futures for o in future.result()] if self.futures else self.local
        finally:
            self.close()

    def close(self) -> None:
        global _shared
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        _shared = []


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def verify_bundle(path: Path, *, workers: int | None = None) -> Report:
    """Every check of the bundle at ``path``; raises :class:`BundleError` when it cannot be read."""
    workers = workers or min(2, os.cpu_count() or 1)
    checks = _BallotChecks(workers)
    try:
        with quiet_gc():
            return _verify(path, checks)
    finally:
        checks.close()


def _verify(path: Path, checks: _BallotChecks) -> Report:
    record, seal, tally = read_bundle(path)
    meeting = record["meeting"]
    public_id = str(meeting["meeting"])
    report = Report(meeting=public_id, root=str(seal["root"]))

    # 0. The online ballots go to the pool first (shape, signed message, signature), so that they are
    #    checked while the checks below run (discrepancies are still reported in the order of checks).
    motions = tuple(
        MotionSpec(m["position"], m["kind"], m["seats"], tuple(c["id"] for c in m["candidates"]))
        for m in meeting["motions"]
    )
    # A ballot that passed check_ballot holds only the record's own strings and integers: when those are
    # plain (see core.signing.canonical_json), its message needs no second walk.
    plain = _plain(
        [public_id, meeting["register_digest"], [[m.position, list(m.candidates)] for m in motions]]
    )
    checks.start(_BallotContext(public_id, meeting["register_digest"], motions, plain), record["ballots"])

    # 1. The seal: the statement's root and signature, then every section against the statement.
    statement = seal["statement"]
    if seal["meeting_key"] != meeting["meeting_key"]:
        report.add("seal_key_mismatch")
    signed = seal_message(public_id, statement)
    if hashlib.sha256(signed).hexdigest() != seal["root"]:
        report.add("seal_root_mismatch")
    if not _check_signature(str(meeting["meeting_key"]), str(seal["signature"]), signed):
        report.add("seal_signature_invalid")
    # Digests through json.dumps first (RFC 8785's bytes for plain values, see core.signing); json.dumps
    # is injective on parsed values, so it cannot match a sealed digest the strict encoding would not.
    # Only on a mismatch is the strict encoding computed, and it decides.
    sealed_sections = statement.get("sections", {})
    digests = section_digests(record, plain=True)
    if any(digests[s] != sealed_sections.get(s) for s in SECTIONS):
        digests = section_digests(record)
    for section in SECTIONS:
        if digests[section] != sealed_sections.get(section):
            report.add("seal_section_mismatch", section=section, section_cn=SECTION_NAMES[section])
    counts = statement.get("counts", {})
    for what, have in (
        ("voters", len(record["register"]["voters"])),
        ("credentials", len(record["credentials"])),
        ("ballots", len(record["ballots"])),
        ("paper", len(record["paper"])),
    ):
        if counts.get(what) != have:
            report.add(
                "seal_count_mismatch",
                what=SECTION_NAMES.get(what, "表决人"),
                have=have,
                sealed=counts.get(what),
            )

    # 2. The register: digest, areas, grouping.
    register = record["register"]
    _integral_numbers(register)
    method = register.get("headcount_method", "")
    try:
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
            for u in register["units"]
        ]
        area_of = {u.unit_code: u.area_centi for u in units}
        for voter in register["voters"]:
            want = sum(area_of.get(code, 0) for code in voter["units"])
            if want != voter["area_centi"]:
                report.add(
                    "register_area_mismatch", voter_no=voter["voter_no"], have=voter["area_centi"], want=want
                )
        recorded = [tuple(v["units"]) for v in register["voters"]]
        if method in METHOD_NAMES and method != "per_certificate":
            regrouped = {frozenset(u.unit_code for u in g) for g in voter_groups(units, method).values()}
            if regrouped != {frozenset(r) for r in recorded} or len(recorded) != len(regrouped):
                report.add("register_grouping_mismatch", method=METHOD_NAMES[method])
        digest_voters = [
            _VoterView(tuple(v["units"]), v["area_centi"], v["heads"]) for v in register["voters"]
        ]
        # The record lists units in natural order: tried as they are first; a mismatch is re-checked
        # sorted and with the strict encoding, which decide.
        digest = register_digest(units, digest_voters, method, plain=True, presorted=True)  # type: ignore[arg-type]
        if digest != meeting["register_digest"]:  # the strict encoding decides (see the sections above)
            digest = register_digest(units, digest_voters, method)  # type: ignore[arg-type]
        if digest != meeting["register_digest"]:
            report.add("register_digest_mismatch")
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError("bundle_bad_shape", name="record.json", detail=f"register: {exc}") from None

    # 3. Credentials.
    voter_nos = {v["voter_no"] for v in register["voters"]}
    keys: dict[str, dict[str, Any]] = {}
    for c in record["credentials"]:
        if c.get("public_key") in keys:
            report.add("credential_duplicate", key=c.get("public_key"))
        keys[str(c.get("public_key"))] = c
        if c.get("voter_no") not in voter_nos:
            report.add("credential_unknown_voter", voter_no=c.get("voter_no"))

    # 4. Online ballots.
    closes = _time(meeting["voting_closes"])
    signed_ballots = 0
    for entry, outcome in zip(record["ballots"], checks.results(), strict=True):
        voter_no = entry.get("voter_no")
        if outcome[0] == "malformed":
            report.add("ballot_malformed", voter_no=voter_no, detail=message(outcome[1], **outcome[2]))
            continue
        _, voter_key, ballot_hash, signature_valid = outcome
        signed_ballots += 1
        if ballot_hash != entry.get("ballot_hash"):
            report.add("ballot_hash_mismatch", voter_no=voter_no)
        credential = keys.get(voter_key)
        if credential is None or credential.get("voter_no") != voter_no:
            report.add("ballot_unknown_key", voter_no=voter_no)
        received = _time(entry.get("received_at"))
        if received is None or closes is None or received >= closes:
            report.add("ballot_after_close", voter_no=voter_no)
        revoked = _time(credential.get("revoked_at")) if credential and credential.get("revoked_at") else None
        if revoked is not None and received is not None and received >= revoked:
            report.add("ballot_after_revocation", voter_no=voter_no)
        if not signature_valid:
            report.add("ballot_signature_invalid", voter_no=voter_no)
    for voter_no, count in Counter(e.get("voter_no") for e in record["ballots"]).items():
        if count > 1:
            report.add("ballot_duplicate_voter", voter_no=voter_no, count=count)
    for digest, count in Counter(e.get("ballot_hash") for e in record["ballots"]).items():
        if count > 1:
            report.add("ballot_duplicate_hash", hash=digest, count=count)

    # 5. Paper entries.
    versions = {(c.get("voter_no"), c.get("version")): c for c in record["credentials"]}
    online = {e.get("voter_no") for e in record["ballots"]}
    scrutineers = {o["name"] for o in meeting["officials"] if o.get("role") == "scrutineer"}
    for serial, count in Counter(p.get("sheet_serial") for p in record["paper"]).items():
        if count > 1:
            report.add("paper_duplicate_sheet", serial=serial, count=count)
    for p in record["paper"]:
        serial = p.get("sheet_serial")
        credential = versions.get((p.get("voter_no"), p.get("version")))
        if credential is None:
            report.add("paper_unknown_sheet", serial=serial)
            continue
        want = (
            "revoked"
            if credential.get("revoked_at")
            else "conflict_online"
            if p.get("voter_no") in online
            else "counted"
        )
        if p.get("status") != want:
            report.add("paper_status_mismatch", serial=serial, want=want, have=p.get("status"))
        if p.get("confirmed_by") not in scrutineers or not p.get("entered_by"):
            report.add("paper_not_confirmed", serial=serial, name=p.get("confirmed_by") or "—")
        try:
            check_choices(p.get("choices"), motions)
        except BallotError as exc:
            report.add("paper_malformed", serial=serial, detail=message(exc.code, **exc.values))

    # 6. The tally, recomputed under the recorded rules.
    recomputed = compute_tally(record)
    report.tally = recomputed
    _compare_tally(report, recomputed, tally)
    report.checked = {
        "voters": len(register["voters"]),
        "units": len(register["units"]),
        "credentials": len(record["credentials"]),
        "ballots": len(record["ballots"]),
        "signatures": signed_ballots + 1,
        "paper": len(record["paper"]),
        "motions": len(meeting["motions"]),
    }
    return report


def _integral_numbers(register: dict[str, Any]) -> None:
    """Areas and heads are integers; ``10000.0`` is the same JSON number as ``10000`` (RFC 8785 writes
    both alike), anything else is not a register."""
    for row in (*register.get("units", []), *register.get("voters", [])):
        for key in ("area_centi", "heads"):
            value = row.get(key) if isinstance(row, dict) else None
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


def _compare_tally(report: Report, recomputed: dict[str, Any], claimed: Any) -> None:
    mine = {m["motion"]: m for m in recomputed["motions"]}
    theirs = {m.get("motion"): m for m in (claimed or {}).get("motions", []) if isinstance(m, dict)}
    if set(mine) != set(theirs):
        report.add("tally_motions_mismatch")
        return
    for number, m in mine.items():
        t = theirs[number]
        for key in ("passed", "participation_met", "area", "headcount", "rule", "winners", "candidates"):
            if m.get(key) != t.get(key):
                report.add("tally_mismatch", motion=number, field=key)
