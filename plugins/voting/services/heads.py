"""Signed heads of an open meeting's board, snapshot bundles, and the task that signs a head at least
daily while voting is open (docs/protocol.md §12).

A head is signed on demand (the console, ``wuye voting head``), when voting opens, when it closes
(the first head signed after ``voting_closes``, at the latest when the meeting is sealed) and whenever
the latest head of an open meeting is older than the profile's ``voting.head_interval_hours`` (at most
24 h). Heads are only ever inserted; the sealed bundle publishes them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from core import (
    Conflict,
    DistrictInfo,
    NotFound,
    Runtime,
    canonical_json,
    district_by_id,
    district_now,
    record_audit,
    transaction,
)
from plugins.voting.messages import SNAPSHOT_README, label
from plugins.voting.protocol.heads import as_of, head_message, head_statement
from plugins.voting.protocol.published import publish, record_numbers, record_secret
from plugins.voting.protocol.tally import rule_value
from plugins.voting.services.keys import meeting_key, meeting_signer
from plugins.voting.services.meetings import get_meeting
from plugins.voting.services.seal import _rows, build_record, iso
from plugins.voting.tables import VotingCredential, VotingHead, VotingMeeting, VotingVoter

log = logging.getLogger("wuye.voting.heads")

Clock = Callable[[], datetime]

#: A head covers the ballots received up to ``at`` = the signing time less this margin: a ballot's
#: time is taken when it arrives, before its cast batch commits, so one received a moment before the
#: signature may not be on the board yet.
SETTLE = timedelta(seconds=30)
#: The longest a meeting's board goes unsigned while voting is open.
MAX_INTERVAL = timedelta(hours=24)
#: Statuses a head may be signed in (a sealed meeting's last word is its seal).
SIGNABLE = ("open", "closed")


async def clock_reading(clock: Clock | None, district: DistrictInfo | int) -> datetime:
    """``clock()`` when a test or the task hands one in, else the district's clock (core.clock)."""
    return _aware(clock()) if clock is not None else await district_now(district)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _record_numbers(runtime: Runtime, meeting: dict[str, Any]) -> dict[int, int]:
    """Register voter number → record number (§10.1)."""
    seed, _ = await meeting_key(runtime, meeting["id"])
    secret = record_secret(seed, meeting["public_id"])
    voters = await VotingVoter.select(VotingVoter.voter_no, VotingVoter.serial).where(
        VotingVoter.meeting == meeting["id"]
    )
    by_serial = record_numbers([v["serial"] for v in voters], secret)
    return {v["voter_no"]: by_serial[v["serial"]] for v in voters}


async def _issued(meeting_id: int) -> list[tuple[int, int, datetime]]:
    """``(register voter number, version, issued at)`` of every credential of the meeting (compared
    here, not in SQL: SQLite keeps times as text)."""
    rows = await VotingCredential.select(
        VotingCredential.voter_no, VotingCredential.version, VotingCredential.issued_at
    ).where(VotingCredential.meeting == meeting_id)
    return [(r["voter_no"], r["version"], _aware(r["issued_at"])) for r in rows]


async def board_record(runtime: Runtime, meeting: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The public (v2) record as the board stood at ``at`` (inside the caller's transaction): the
    ballots received by then, the credentials issued by then with the revocations made by then, no
    paper entries, no seal. The same pseudonymity as the sealed public record (§10)."""
    full = await build_record(runtime, meeting, None, None)
    later = {(voter_no, version) for voter_no, version, issued in await _issued(meeting["id"]) if issued > at}
    then = as_of(full, iso(at) or "", later)
    del full
    seed, _ = await meeting_key(runtime, meeting["id"])
    names = {
        row[0]: row[1]
        for row in await _rows("SELECT voter_no, name FROM voting_voter WHERE meeting = $1", meeting["id"])
    }
    public, _, _ = publish(then, record_secret(seed, meeting["public_id"]), names)
    return public


def _interval(meeting: dict[str, Any]) -> timedelta:
    rules = meeting["rules_snapshot"]
    rules = json.loads(rules) if isinstance(rules, str) else rules
    try:
        hours = float(rule_value(rules or {}, "head_interval_hours", 24))
    except (TypeError, ValueError):
        hours = 24
    return min(MAX_INTERVAL, timedelta(hours=hours)) if hours > 0 else MAX_INTERVAL


def due(meeting: dict[str, Any], latest: dict[str, Any] | None, now: datetime) -> str | None:
    """Why the board of an open meeting needs a head at ``now`` (``close``, ``auto``), or None."""
    if meeting["status"] not in SIGNABLE:
        return None
    closes = _aware(meeting["voting_closes"])
    last = _aware(latest["at"]) if latest else None
    if now >= closes:  # closed: one head of the board as it closed, once nothing can be in flight
        return "close" if now >= closes + SETTLE and (last is None or last < closes) else None
    if last is None or now - last >= _interval(meeting):
        return "auto"
    return None


async def latest_head(meeting_id: int) -> dict[str, Any] | None:
    return await (
        VotingHead.select()
        .where(VotingHead.meeting == meeting_id)
        .order_by(VotingHead.at, ascending=False)
        .order_by(VotingHead.id, ascending=False)
        .first()
    )


async def sign_head(
    runtime: Runtime,
    district: DistrictInfo,
    public_id: str,
    actor: str,
    *,
    trigger: str = "manual",
    clock: Clock | None = None,
    only_when_due: bool = False,
    settle: timedelta = SETTLE,
) -> dict[str, Any] | None:
    """Sign the board's head now (``at`` = the clock less ``settle``), store it and audit it.
    ``only_when_due``: only if :func:`due` says so (checked under the meeting's lock, so two workers
    never sign the same head twice); returns None when it was not due."""
    meeting = await get_meeting(public_id, district)  # 404 for another district's meeting
    engine = VotingMeeting._meta.db
    async with transaction(engine):
        if isinstance(engine, PostgresEngine):  # cast batches hold FOR SHARE: those in flight finish first
            await VotingMeeting.raw("SELECT id FROM voting_meeting WHERE id = {} FOR UPDATE", meeting["id"])
        meeting = await get_meeting(public_id, district)  # under the lock: not sealed meanwhile
        if meeting["status"] not in SIGNABLE:
            raise Conflict("voting_head_not_open", status=label(f"status.{meeting['status']}"))
        now = await clock_reading(clock, district)
        if only_when_due:
            why = due(meeting, await latest_head(meeting["id"]), now)
            if why is None:
                return None
            trigger = why
        at = now - settle
        record = await board_record(runtime, meeting, at)
        head = head_statement(record, iso(at) or "")
        key, public_key = await meeting_signer(runtime, meeting["id"])
        signature = key.sign(head_message(public_id, head)).hex()
        await VotingHead.insert(
            VotingHead(
                meeting=meeting["id"],
                at=at,
                head=canonical_json(head).decode(),
                signature=signature,
                trigger=trigger,
                signed_by=actor,
                signed_at=now,
            )
        )
        await record_audit(
            actor,
            "voting.head_sign",
            district=district.slug,
            target=public_id,
            details={
                "at": head["at"],
                "trigger": trigger,
                **head["counts"],
                "ballots_root": head["sections"]["ballots"],
            },
        )
    return {
        "meeting": public_id,
        "head": head,
        "signature": signature,
        "meeting_key": public_key,
        "trigger": trigger,
    }


async def heads_of(meeting_id: int) -> list[dict[str, Any]]:
    return await (
        VotingHead.select()
        .where(VotingHead.meeting == meeting_id)
        .order_by(VotingHead.at)
        .order_by(VotingHead.id)
    )


async def heads_document(runtime: Runtime, meeting: dict[str, Any]) -> list[dict[str, Any]]:
    """heads.json of the sealed bundle: every head, oldest first, each with ``credentials_after`` —
    the ``[record number, version]`` of the credentials issued after its time, which the record does
    not date (the head's credentials digest is recomputed without them, so a wrong list fails it)."""
    rows = await heads_of(meeting["id"])
    if not rows:
        return []
    number = await _record_numbers(runtime, meeting)
    issued = await _issued(meeting["id"])
    document = []
    for row in rows:
        at = _aware(row["at"])
        after = sorted([number[voter_no], version] for voter_no, version, when in issued if when > at)
        document.append(
            {"head": json.loads(row["head"]), "signature": row["signature"], "credentials_after": after}
        )
    return document


async def snapshot_bundle(runtime: Runtime, public_id: str) -> bytes:
    """The board at its latest head, as a zip: record.json (the public record as it stood then),
    head.json (the head, its signature, the meeting key) and a README; no tally (404
    ``voting_head_none`` before the first head)."""
    meeting = await get_meeting(public_id)
    row = await latest_head(meeting["id"])
    if row is None:
        raise NotFound("voting_head_none")
    head = json.loads(row["head"])
    async with transaction(VotingMeeting._meta.db):
        record = await board_record(runtime, meeting, datetime.fromisoformat(head["at"]))
    _, public_key = await meeting_key(runtime, meeting["id"])
    document = {"head": head, "signature": row["signature"], "meeting_key": public_key}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("record.json", canonical_json(record))
        bundle.writestr("head.json", json.dumps(document, ensure_ascii=False, indent=2))
        bundle.writestr(
            "README.txt",
            SNAPSHOT_README.format(
                title=meeting["title"],
                at=head["at"],
                ballots=head["counts"]["ballots"],
                meeting_key=public_key,
            ),
        )
    return buffer.getvalue()


async def sign_due_heads(runtime: Runtime, *, clock: Clock | None = None) -> list[str]:
    """One round of the background task: a head for every open meeting whose board is due one
    (:func:`due`); returns the meetings signed. A meeting that fails is logged and left for the next."""
    signed = []
    for meeting in await VotingMeeting.select().where(VotingMeeting.status.is_in(list(SIGNABLE))):
        now = await clock_reading(clock, meeting["district"])  # a training district's own clock
        if due(meeting, await latest_head(meeting["id"]), now) is None:
            continue
        try:
            district = await district_by_id(meeting["district"])
            done = await sign_head(
                runtime, district, meeting["public_id"], "system:heads", clock=clock, only_when_due=True
            )
        except Exception:  # one meeting's trouble must not stop the others' heads
            log.exception("signing the head of %s failed", meeting["public_id"])
            continue
        if done is not None:
            signed.append(meeting["public_id"])
    return signed


class HeadTask:
    """The background task started with the app: every ``period`` seconds, :func:`sign_due_heads`.
    It stops with the app, or when the tables are bound to another runtime's database (a test's)."""

    def __init__(self, runtime: Runtime, *, clock: Clock | None = None, period: float = 300.0) -> None:
        self.runtime, self.clock, self.period = runtime, clock, period
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.run())

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.period)
            if VotingHead._meta.db is not self.runtime.engine:
                return
            try:
                await sign_due_heads(self.runtime, clock=self.clock)
            except Exception:
                log.exception("the board heads round failed")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None
