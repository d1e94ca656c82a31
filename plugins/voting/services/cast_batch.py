"""Group commit for online ballots.

Ballots arrive concurrently; each is checked (shape, choices, signature: pure CPU) on its own, then
handed to the :class:`CastBatcher` of the running event loop. The batcher stores every ballot waiting at
that moment in ONE transaction, and only after that transaction has committed are their receipts
released. While one batch commits, the next one gathers, so batches grow with load and a lone ballot
waits for nothing.

Inside the transaction the batch re-reads what may have changed since the ballot was checked: the
meeting's status (on PostgreSQL with ``FOR SHARE``, so a concurrent seal waits for the batch to commit;
SQLite's single writer serialises them anyway) and the credentials (revocations). Rows are inserted with
``ON CONFLICT DO NOTHING RETURNING``: a voter who already has a ballot (in the database or earlier in
the same batch) is answered ``voting_cast_already`` with the time of the first.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread
from piccolo.engine.postgres import PostgresEngine

from core import transaction
from plugins.voting.protocol.proxy import authorisation_of, proxy_problem
from plugins.voting.tables import VotingBallot

MAX_BATCH = 512


@dataclass(frozen=True)
class PendingBallot:
    meeting_id: int
    voter_key: str
    ballot: str  #: canonical JSON
    signature: str
    ballot_hash: str
    received_at: datetime
    choices: list[dict[str, Any]] | None = (
        None  #: the checked choices (a proxy's are held to the authorisation)
    )


@dataclass(frozen=True)
class Outcome:
    """``code`` is None for a stored ballot, else a message code (with ``values``)."""

    code: str | None
    voter_no: int = 0
    at: datetime | None = None


class CastBatcher:
    """Collects ballots and commits them in batches (one batcher per event loop)."""

    def __init__(self) -> None:
        self._queue: list[tuple[PendingBallot, asyncio.Future[Outcome]]] = []
        self._running = False
        self.batches = 0
        self.ballots = 0

    async def submit(self, item: PendingBallot) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if not self._running:
            self._running = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                try:
                    outcomes = await commit_batch([item for item, _ in batch])
                except BaseException as exc:  # the transaction rolled back: nothing was stored
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                self.batches += 1
                self.ballots += len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if not future.done():
                        future.set_result(outcome)
        finally:
            self._running = False


_batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CastBatcher] = weakref.WeakKeyDictionary()


def batcher() -> CastBatcher:
    loop = asyncio.get_running_loop()
    found = _batchers.get(loop)
    if found is None:
        found = _batchers[loop] = CastBatcher()
    return found


def _decide(
    items: list[PendingBallot], status: dict[int, str], credential: dict[tuple[int, str], dict[str, Any]]
) -> tuple[list[Outcome | None], list[tuple[int, PendingBallot, int]]]:
    """What each ballot gets, given the meetings' status and the credentials read in the transaction:
    an outcome now (refused), or a row to insert."""
    outcomes: list[Outcome | None] = [None] * len(items)
    to_insert: list[tuple[int, PendingBallot, int]] = []
    in_batch: dict[tuple[int, int], datetime] = {}
    for index, item in enumerate(items):
        meeting_status = status.get(item.meeting_id)
        if meeting_status in {"closed", "sealed"}:
            outcomes[index] = Outcome("voting_cast_closed")
            continue
        if meeting_status != "open":
            outcomes[index] = Outcome("voting_cast_not_open")
            continue
        found = credential.get((item.meeting_id, item.voter_key))
        if found is None:
            outcomes[index] = Outcome("voting_cast_unknown_key")
            continue
        if found["revoked_at"] is not None:
            outcomes[index] = Outcome("voting_cast_revoked")
            continue
        if found.get("motions") is not None:  # a proxy's sheet: within the authorisation (§8.1)
            problem = proxy_problem(
                item.choices or [], authorisation_of(found["motions"], found.get("instructions"))
            )
            if problem is not None:
                outcomes[index] = Outcome(problem)
                continue
        slot = (item.meeting_id, found["voter_no"])
        if slot in in_batch:
            outcomes[index] = Outcome("voting_cast_already", found["voter_no"], in_batch[slot])
            continue
        in_batch[slot] = item.received_at
        to_insert.append((index, item, found["voter_no"]))
    return outcomes, to_insert


#: the credentials of the ballots' keys, with the authorisation of a proxy's sheet (else nulls)
CREDENTIALS_JOIN = (
    "FROM voting_credential c LEFT JOIN voting_proxy p "
    "ON p.meeting = c.meeting AND p.voter_no = c.voter_no AND p.version = c.version"
)

INSERT_SQL = (
    "INSERT INTO voting_ballot (meeting, voter_no, public_key, ballot, signature, ballot_hash, received_at) "
)


def _finish(
    outcomes: list[Outcome | None],
    to_insert: list[tuple[int, PendingBallot, int]],
    stored: set[tuple[int, int]],
) -> list[Outcome]:
    for index, item, voter_no in to_insert:
        if (item.meeting_id, voter_no) in stored:
            outcomes[index] = Outcome(None, voter_no, item.received_at)
        else:
            outcomes[index] = Outcome("voting_cast_already", voter_no)
    return [outcome or Outcome("voting_cast_malformed") for outcome in outcomes]


async def commit_batch(items: list[PendingBallot]) -> list[Outcome]:
    """Store what may be stored of ``items`` in one transaction; an outcome per item, in order."""
    engine = VotingBallot._meta.db
    if not isinstance(engine, PostgresEngine):
        return await anyio.to_thread.run_sync(_commit_sqlite, engine.path, items)
    async with transaction(engine):
        connection = engine.current_transaction.get().connection
        meetings = await connection.fetch(
            "SELECT id, status FROM voting_meeting WHERE id = ANY($1::int[]) FOR SHARE",
            sorted({i.meeting_id for i in items}),
        )
        credentials = await connection.fetch(
            "SELECT c.meeting, c.public_key, c.voter_no, c.revoked_at, p.motions, p.instructions "
            f"{CREDENTIALS_JOIN} WHERE c.public_key = ANY($1::text[])",
            sorted({i.voter_key for i in items}),
        )
        outcomes, to_insert = _decide(
            items,
            {row["id"]: row["status"] for row in meetings},
            {(row["meeting"], row["public_key"]): dict(row) for row in credentials},
        )
        stored: set[tuple[int, int]] = set()
        if to_insert:
            rows = await connection.fetch(
                "INSERT INTO voting_ballot "
                "(meeting, voter_no, public_key, ballot, signature, ballot_hash, received_at) "
                "SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], "
                "$6::text[], $7::timestamptz[]) ON CONFLICT DO NOTHING RETURNING meeting, voter_no",
                [i.meeting_id for _, i, _ in to_insert],
                [v for _, _, v in to_insert],
                [i.voter_key for _, i, _ in to_insert],
                [i.ballot for _, i, _ in to_insert],
                [i.signature for _, i, _ in to_insert],
                [i.ballot_hash for _, i, _ in to_insert],
                [i.received_at for _, i, _ in to_insert],
            )
            stored = {(row["meeting"], row["voter_no"]) for row in rows}
    return _finish(outcomes, to_insert, stored)


# --- SQLite: the whole batch in one call on a worker thread --------------------------------------------
#
# Through aiosqlite each statement is a round trip to the event loop, which under load is busy with the
# requests' CPU work; the write lock would be held across all those waits and the other worker process
# would queue behind them. Run on a thread, BEGIN IMMEDIATE … COMMIT holds the lock only for SQLite's
# own work. Worker processes take turns through an OS file lock beside the database (woken at once,
# where SQLite's busy handler sleeps in steps of up to 100 ms).

_sqlite: dict[str, tuple[sqlite3.Connection, threading.Lock, int]] = {}
_sqlite_guard = threading.Lock()


def _sqlite_handle(path: str) -> tuple[sqlite3.Connection, threading.Lock, int]:
    with _sqlite_guard:
        found = _sqlite.get(path)
        if found is None:
            connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA foreign_keys = 1")
            connection.execute("PRAGMA synchronous = FULL")
            lock_fd = os.open(f"{path}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)
            found = _sqlite[path] = (connection, threading.Lock(), lock_fd)
        return found


def _commit_sqlite(path: str, items: list[PendingBallot]) -> list[Outcome]:
    connection, lock, lock_fd = _sqlite_handle(path)
    meeting_ids = sorted({i.meeting_id for i in items})
    keys = sorted({i.voter_key for i in items})
    with lock:
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                status = dict(
                    connection.execute(
                        f"SELECT id, status FROM voting_meeting WHERE id IN ({_marks(meeting_ids)})",
                        meeting_ids,
                    ).fetchall()
                )
                credential = {
                    (m, k): {"voter_no": n, "revoked_at": r, "motions": pm, "instructions": pi}
                    for m, k, n, r, pm, pi in connection.execute(
                        "SELECT c.meeting, c.public_key, c.voter_no, c.revoked_at, p.motions, p.instructions "
                        f"{CREDENTIALS_JOIN} WHERE c.public_key IN ({_marks(keys)})",
                        keys,
                    ).fetchall()
                }
                outcomes, to_insert = _decide(items, status, credential)
                stored: set[tuple[int, int]] = set()
                if to_insert:
                    values: list[Any] = []
                    for _, item, voter_no in to_insert:
                        values.extend(
                            (
                                item.meeting_id,
                                voter_no,
                                item.voter_key,
                                item.ballot,
                                item.signature,
                                item.ballot_hash,
                                item.received_at,
                            )
                        )
                    stored = set(
                        connection.execute(
                            INSERT_SQL
                            + "VALUES "
                            + ", ".join("(?, ?, ?, ?, ?, ?, ?)" for _ in to_insert)
                            + " ON CONFLICT DO NOTHING RETURNING meeting, voter_no",
                            values,
                        ).fetchall()
                    )
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        finally:
            fcntl.flock(lock_fd, fcntl.LOCK_UN)
    return _finish(outcomes, to_insert, stored)


def _marks(values: list[Any]) -> str:
    return ", ".join("?" for _ in values)


def utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
