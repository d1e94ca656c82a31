"""The crash suite: a real server killed with SIGKILL under a casting load loses no acknowledged write.

    .venv/bin/python scripts/crash.py [--backend sqlite|postgres|both] [--voters 3000] [--kills 3]
                                      [--clients 64] [--workers 2] [--seed N] [--no-seal-kill]
                                      [--deadline 600] [--keep] [--verbose] [--json]

``make crash`` runs it on both databases; ``.ci/run`` with ``--voters 600``. Per backend, on a fresh
database (SQLite: a file in a temporary folder; PostgreSQL: a database of its own on
``WUYE_TEST_POSTGRES_URL``'s server, dropped after):

1. **Set-up, as an operator would**, with the ``wuye`` CLI: migrate, a district, an estate whose
   register has ``--voters`` units of as many owners, an officer with an API token, a meeting created
   and published, the ballot sheets printed with the printer's credential CSV (the only copy of the
   owners' secrets), voting opened. The calendar is moved once (the meeting day is today), as the
   end-to-end test does, instead of waiting twenty days.
2. **The load**: ``wuye run --workers 2`` on a free port; ``--clients`` concurrent HTTP clients each
   take the next owner, build the ballot from ``/v/{meeting}/info``, sign it with the owner's
   credential (the protocol's own ``ballot_message`` and Ed25519 signing) and cast it. Every 201 is an
   *acknowledged* ballot: its receipt is checked against the meeting key and kept. Alongside, the
   officer revokes a few reserved owners' sheets over the API (audited writes from both workers).
3. **The kills**: ``--kills`` times, at a random count of answered ballots (one in each equal part of
   10-90 % of the load) and 0-30 ms more (mid-batch, with every client's request in flight), the
   server's whole process group gets SIGKILL; it is started again and the load goes on. A request
   that got no answer is retried after the restart, as an owner would retry: it is then accepted (it
   had not been stored) or answered ``voting_cast_already`` (it had been stored, the receipt was
   lost) — both are consistent.
4. **The checks**, after the last restart: every acknowledged ballot is in the database with the hash
   its receipt names (``lost`` = acknowledged but missing, must be 0); no ballot beyond those sent
   (``extra``); every ``voting_cast_already`` answer has its ballot; every acknowledged revocation is
   in the database with its audit entry, and a revoked owner's ballot is refused; no answer was a 5xx.
   Then, through the restarted server, the officer seals the meeting (the calendar moved to the close
   of voting); the server is killed 0-60 ms into the seal request and restarted, and the officer
   seals again: answered before the kill (the second seal must say ``voting_seal_already``), committed
   with the answer lost (``voting_seal_already``), or rolled back (sealed now) — never twice, never
   half. After the server stops, ``wuye audit verify`` (anchored at the head recorded before the
   load) passes; the bundle exports and ``wuye verify <bundle>`` exits 0, counting as many ballots as
   the database holds.

Prints per backend: attempted, acknowledged, found, lost, kills, elapsed (``--verbose``: each kill and
restart as it happens); exits 1 on any loss or failed check (2 when the run could not be set up).
``--deadline`` bounds the load; the seed is printed, and ``--seed`` replays the same ballots and
kill points (the moments themselves depend on the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from core.signing import sign, verify  # noqa: E402
from core.testing import (  # noqa: E402
    POSTGRES_URL,
    create_test_database,
    drop_test_database,
    wuye_command,
    wuye_env,
)
from plugins.voting.protocol.ballot import ballot_hash, ballot_message, receipt_message  # noqa: E402
from plugins.voting.protocol.credentials import fragment_to_seed, public_key_hex  # noqa: E402
from tests.plugins.voting.conftest import meeting_file  # noqa: E402

DISTRICT = "crash"
ESTATE = "E1"
OFFICER = "crash-officer"
PASSWORD = "wuye-crash-2026"
EXE = Path(sys.executable).with_name("wuye")
SHANGHAI = ZoneInfo("Asia/Shanghai")
JSON = {"Content-Type": "application/json"}


class SetupError(Exception):
    """The run could not be set up (exit 2): not a finding about crash safety."""


# --- the database, outside the server --------------------------------------------------------------


class Store:
    """Plain SQL on the run's database, for the calendar moves and the checks (no wuye runtime)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite:")

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """``sql`` with ``?`` placeholders (turned into ``$n`` for PostgreSQL)."""
        if self.sqlite:
            with sqlite3.connect(urlsplit(self.url).path, timeout=30) as conn:
                rows = conn.execute(sql, args).fetchall()
            conn.close()
            return rows
        import asyncpg

        parts = sql.split("?")
        numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))

        async def go() -> list[tuple[Any, ...]]:
            conn = await asyncpg.connect(self.url, timeout=10)
            try:
                return [tuple(row) for row in await conn.fetch(numbered, *args)]
            finally:
                await conn.close()

        with ThreadPoolExecutor(1) as pool:  # its own event loop, whether or not one runs here
            return pool.submit(asyncio.run, go()).result()

    def timestamp(self, at: datetime) -> Any:
        # Piccolo stores SQLite timestamps as text in this form (see tests/e2e/test_full_vote.py)
        return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00") if self.sqlite else at


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder}/crash.sqlite3"
        return
    url = create_test_database(POSTGRES_URL)
    try:
        yield url
    finally:
        drop_test_database(url, POSTGRES_URL)


# --- the server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``wuye run --workers N`` in a process group of its own (SIGKILL reaches every worker)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts: list[float] = []  #: seconds from start to a healthy answer, per start

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        began = time.monotonic()
        with self.log.open("ab") as log:
            log.write(f"\n=== start {datetime.now(UTC).isoformat()}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [str(EXE), "run", "--workers", str(self.workers), "--port", str(self.port)],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = began + 60
        async with httpx.AsyncClient(base_url=self.base, timeout=2) as client:
            while True:
                try:
                    if (await client.get("/-/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SetupError(
                        f"the server did not start:\n{self.log.read_text(errors='replace')[-3000:]}"
                    )
                await asyncio.sleep(0.1)
        self.starts.append(time.monotonic() - began)

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None


# --- set-up ------------------------------------------------------------------------------------------


@dataclass
class Voter:
    number: int  #: the row of the credential CSV (1-based)
    serial: str
    seed: bytes

    @property
    def key(self) -> str:
        return public_key_hex(self.seed)


def register_csv(n: int) -> str:
    rows = ["unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"]
    for i in range(n):
        building, rest = divmod(i, 200)
        code = f"{building + 1}-{rest // 4 + 1:02d}{rest % 4 + 1:02d}"
        rows.append(f"{code},{60 + i % 90}.{i % 100:02d},register,O{i},业主{i},C{i},0")
    return "\n".join(rows) + "\n"


def cli(env: dict[str, str], *args: str, input: str | None = None) -> str:
    result = wuye_command(*args, env=env, check=False, input=input)
    if result.returncode != 0:
        raise SetupError(f"wuye {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def set_up(env: dict[str, str], store: Store, folder: Path, voters: int) -> tuple[str, str, list[Voter]]:
    """The district, estate, officer, meeting and printed credentials; returns (meeting, token, voters)."""
    cli(env, "migrate", "-q")
    cli(env, "district", "add", DISTRICT, "压力测试街道", "--region", "上海市测试区", "-j", "national")
    cli(env, "estate", "add", "-d", DISTRICT, ESTATE, "压力花园")
    cli(env, "plugins", "enable", "voting", "--district", DISTRICT)
    cli(
        env,
        "staff",
        "add",
        OFFICER,
        "--name",
        "压力干部",
        "--role",
        "district_officer",
        "-d",
        DISTRICT,
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    token = (
        cli(env, "staff", "token", OFFICER, "--label", "crash suite", "--days", "1").strip().splitlines()[-1]
    )
    (folder / "register.csv").write_text(register_csv(voters), encoding="utf-8")
    cli(env, "voting", "register", "import", "-e", ESTATE, "-d", DISTRICT, str(folder / "register.csv"))
    (folder / "meeting.json").write_text(json.dumps(meeting_file(), ensure_ascii=False), encoding="utf-8")
    meeting = json.loads(
        cli(
            env,
            "voting",
            "meeting",
            "create",
            "-e",
            ESTATE,
            "-d",
            DISTRICT,
            str(folder / "meeting.json"),
            "--json",
        )
    )["meeting"]
    cli(env, "voting", "meeting", "publish", meeting, "--json")
    credentials = folder / "credentials.csv"
    cli(
        env,
        "voting",
        "ballots",
        "print",
        "-m",
        meeting,
        "--out",
        str(folder / "sheets.docx"),
        "--credentials-csv",
        str(credentials),
    )
    with credentials.open(encoding="utf-8-sig", newline="") as fh:
        owners = [
            Voter(number, row["serial"], fragment_to_seed(urlsplit(row["url"]).fragment.removeprefix("k=")))
            for number, row in enumerate(csv.DictReader(fh), start=1)
        ]
    credentials.unlink()  # the printer's copy of the secrets: destroyed once read, as the CLI asks
    # The calendar moves on: the meeting day is today (the notice period is not waited out).
    store.query(
        "UPDATE voting_meeting SET meeting_date = ? WHERE public_id = ?",
        datetime.now(SHANGHAI).date().isoformat() if store.sqlite else datetime.now(SHANGHAI).date(),
        meeting,
    )
    cli(env, "voting", "meeting", "open", meeting, "--override-reason", "压力测试：送达另行登记")
    if len(owners) != voters:
        raise SetupError(f"printed {len(owners)} credentials for {voters} owners")
    return meeting, token, owners


# --- the load and the kills ----------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw."""

    attempted: set[str] = field(default_factory=set)  #: voter keys whose ballot was sent at least once
    sent: int = 0  #: requests sent (retries included)
    answered: int = 0  #: … and answered
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)  #: key -> the receipt answer
    already: set[str] = field(default_factory=set)  #: answered voting_cast_already (a retry)
    unanswered: int = 0  #: requests cut off by a kill (each retried)
    refused: dict[str, int] = field(default_factory=dict)  #: other 4xx codes, by code
    server_errors: list[str] = field(default_factory=list)  #: any 5xx
    bad_receipts: list[str] = field(default_factory=list)
    wrong_answers: list[str] = field(default_factory=list)  #: answers the protocol does not allow
    revoked: dict[str, str] = field(default_factory=dict)  #: serial -> voter key, revocation acknowledged
    revoke_retried: int = 0
    revoked_refused: int = 0  #: a revoked owner's ballot answered voting_cast_revoked
    revoked_accepted: list[str] = field(default_factory=list)  #: … or accepted (must stay empty)


@dataclass
class Run:
    server: Server
    meeting: str
    token: str
    info: dict[str, Any]
    bodies: dict[str, bytes]  #: voter key -> the signed ballot, JSON
    hashes: dict[str, str]  #: voter key -> its ballot hash
    tally: Tally = field(default_factory=Tally)
    up: asyncio.Event = field(default_factory=asyncio.Event)
    kills: int = 0
    kill_times: list[float] = field(default_factory=list)  #: the moments of the kills, since the load began
    verbose: bool = False
    clients: int = 64
    client: httpx.AsyncClient = field(init=False)  #: the connections to the running server
    acknowledged_at_start: int = 0
    began: float = field(default_factory=time.monotonic)

    async def connect(self) -> None:
        """A fresh pool of connections (the old ones went with the killed server)."""
        old = getattr(self, "client", None)
        limits = httpx.Limits(max_connections=self.clients + 2, max_keepalive_connections=self.clients + 2)
        self.client = httpx.AsyncClient(base_url=self.server.base, timeout=30, limits=limits)
        if old is not None:
            await old.aclose()

    def say(self, what: str) -> None:
        if self.verbose:
            print(
                f"  {time.monotonic() - self.began:7.2f} s  {what}  (sent {self.tally.sent}, "
                f"acknowledged {len(self.tally.acknowledged)})",
                file=sys.stderr,
                flush=True,
            )


def random_choices(info: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    choices: list[dict[str, Any]] = []
    for motion in info["motions"]:
        if motion["kind"] == "election":
            ids = [c["id"] for c in motion["candidates"]]
            choices.append(
                {"motion": motion["position"], "candidates": rng.sample(ids, rng.randint(0, motion["seats"]))}
            )
        else:
            choices.append(
                {"motion": motion["position"], "choice": rng.choice(["agree", "oppose", "abstain"])}
            )
    return choices


def signed_ballot(meeting: str, info: dict[str, Any], voter: Voter, rng: random.Random) -> tuple[bytes, str]:
    ballot = {
        "protocol": info["protocol"],
        "meeting": meeting,
        "register_digest": info["register_digest"],
        "voter_key": voter.key,
        "choices": random_choices(info, rng),
    }
    body = {"ballot": ballot, "signature": sign(voter.seed, ballot_message(meeting, ballot)).hex()}
    return json.dumps(body, separators=(",", ":")).encode(), ballot_hash(meeting, ballot)


def check_receipt(run: Run, key: str, answer: dict[str, Any]) -> None:
    receipt = answer.get("receipt") or {}
    good = (
        answer.get("meeting_key") == run.info["meeting_key"]
        and receipt.get("voter_key") == key
        and receipt.get("ballot_hash") == run.hashes[key]
        and verify(
            bytes.fromhex(run.info["meeting_key"]),
            bytes.fromhex(answer.get("signature", "")),
            receipt_message(run.meeting, receipt),
        )
    )
    if not good:
        run.tally.bad_receipts.append(key)


async def cast_one(run: Run, client: httpx.AsyncClient, key: str) -> bool:
    """Cast ``key``'s ballot once; False when the request got no answer (to be retried)."""
    tally = run.tally
    tally.attempted.add(key)
    tally.sent += 1
    try:
        response = await client.post(
            f"/v/{run.meeting}/ballots", content=run.bodies[key], headers={"Content-Type": "application/json"}
        )
    except httpx.TransportError:
        tally.unanswered += 1
        return False
    tally.answered += 1
    if response.status_code >= 500:
        tally.server_errors.append(f"{response.status_code} {response.text[:200]}")
        return False
    if response.status_code == 201:
        if run.verbose and len(tally.acknowledged) == run.acknowledged_at_start:
            run.say("first receipt of this start")
        tally.acknowledged[key] = response.json()
        check_receipt(run, key, tally.acknowledged[key])
        return True
    code = response.json().get("code", str(response.status_code))
    if code == "voting_cast_already":
        tally.already.add(key)
    else:
        tally.refused[code] = tally.refused.get(code, 0) + 1
    return True


async def caster(run: Run, queue: list[str], retry: list[str]) -> None:
    while queue or retry:
        await run.up.wait()
        if not (queue or retry):  # emptied while this client waited for the restart
            break
        key = retry.pop() if retry else queue.pop()
        if not await cast_one(run, run.client, key):
            retry.append(key)
            if run.up.is_set():  # an error with the server up (not a kill): do not spin
                await asyncio.sleep(0.05)


async def revoker(run: Run, reserved: list[Voter], thresholds: list[int]) -> None:
    """The officer revokes reserved owners' sheets at random moments of the load; after each
    acknowledged revocation the owner tries to vote and must be refused."""
    headers = {"Authorization": f"Bearer {run.token}"}
    path = f"/d/{DISTRICT}/voting/meetings/{run.meeting}/revocations"
    tally = run.tally
    for voter, threshold in zip(reserved, thresholds, strict=True):
        while tally.answered < threshold:
            await asyncio.sleep(0.01)
        retried = False
        while True:
            await run.up.wait()
            try:
                response = await run.client.post(
                    path, json={"serial": voter.serial, "reason": "压力测试：表决票遗失"}, headers=headers
                )
            except httpx.TransportError:  # killed meanwhile: ask again once it is back
                tally.revoke_retried += 1
                retried = True
                continue
            if response.status_code >= 500:
                tally.server_errors.append(f"{response.status_code} {response.text[:200]}")
                await asyncio.sleep(0.05)
                continue
            break
        # a retry of a revocation that had been committed is answered voting_revoke_not_active
        if response.status_code != 201 and not (
            retried
            and response.status_code == 409
            and response.json().get("code") == "voting_revoke_not_active"
        ):
            tally.wrong_answers.append(f"revocation: {response.status_code} {response.text[:200]}")
            continue
        tally.revoked[voter.serial] = voter.key
        try:
            answer = await run.client.post(
                f"/v/{run.meeting}/ballots", content=run.bodies[voter.key], headers=JSON
            )
        except httpx.TransportError:
            continue  # killed meanwhile: that no ballot of a revoked owner is stored is checked after
        if answer.status_code == 201:
            tally.revoked_accepted.append(voter.serial)
        elif answer.status_code == 403 and answer.json().get("code") == "voting_cast_revoked":
            tally.revoked_refused += 1
        else:
            tally.wrong_answers.append(f"a revoked owner's ballot: {answer.status_code} {answer.text[:200]}")


async def killer(run: Run, thresholds: list[int], rng: random.Random, started: float) -> None:
    for threshold in thresholds:
        while run.tally.answered < threshold:
            await asyncio.sleep(0.002)
        await asyncio.sleep(rng.uniform(0, 0.03))  # mid-batch, with requests in flight
        run.up.clear()
        run.server.kill()
        run.kills += 1
        run.kill_times.append(time.monotonic() - started)
        run.say(f"SIGKILL {run.kills}")
        await run.server.start()
        run.say("restarted")
        run.acknowledged_at_start = len(run.tally.acknowledged)
        await run.connect()
        run.up.set()


async def load(run: Run, owners: list[Voter], args: argparse.Namespace, rng: random.Random) -> float:
    """Cast every owner's ballot (but the reserved ones') through ``args.kills`` kills; the seconds."""
    reserved_count = max(3, len(owners) // 200)
    reserved, casting = owners[:reserved_count], owners[reserved_count:]
    queue = [v.key for v in casting]
    rng.shuffle(queue)
    retry: list[str] = []
    total = len(queue)
    # A kill at a random count of answered ballots, one in each equal part of 10 %..90 % of the load:
    # never two at once, and each with ballots flowing (64 requests in flight).
    part = total * 0.8 / args.kills
    kill_at = [int(total * 0.1 + part * (i + rng.random())) for i in range(args.kills)]
    revoke_at = sorted(rng.sample(range(int(total * 0.05), int(total * 0.95)), len(reserved)))
    await run.connect()
    run.up.set()
    started = time.monotonic()
    tasks = [asyncio.create_task(caster(run, queue, retry)) for _ in range(args.clients)]
    side = [
        asyncio.create_task(killer(run, kill_at, rng, started)),
        asyncio.create_task(revoker(run, reserved, revoke_at)),
    ]
    await asyncio.gather(*tasks)
    await asyncio.gather(*side)
    await run.client.aclose()
    return time.monotonic() - started


# --- the checks -----------------------------------------------------------------------------------------


@dataclass
class Report:
    backend: str
    voters: int
    attempted: int = 0
    acknowledged: int = 0
    found: int = 0
    lost: int = 0
    extra: int = 0
    stored: int = 0
    kills: int = 0
    unanswered: int = 0
    receipt_lost: int = 0  #: stored, the answer cut off; the retry said voting_cast_already
    revoked: int = 0
    setup_seconds: float = 0.0
    cast_seconds: float = 0.0
    restart_seconds: float = 0.0
    elapsed: float = 0.0
    sealed_ballots: int = 0
    seal_kill: bool = False  #: the server was killed during the seal too
    seal_outcome: str = ""
    verified_ballots: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        verdict = "ok" if not self.failures else "FAILED"
        return (
            f"{self.backend:8s} attempted {self.attempted:,}  acknowledged {self.acknowledged:,}  "
            f"found {self.found:,}  lost {self.lost}  extra {self.extra}  kills {self.kills}  "
            f"(unanswered at a kill {self.unanswered}, of which stored {self.receipt_lost}; "
            f"revocations {self.revoked}; sealed {self.sealed_ballots:,}, "
            f"verified {self.verified_ballots:,}; "
            f"{'a kill during the seal: ' + self.seal_outcome + '; ' if self.seal_kill else ''}"
            f"casting {self.cast_seconds:.1f} s, restart {self.restart_seconds:.1f} s)  "
            f"elapsed {self.elapsed:.0f} s  {verdict}"
        )


def check_database(run: Run, store: Store, report: Report) -> None:
    tally = run.tally
    rows = store.query(
        "SELECT b.public_key, b.ballot_hash FROM voting_ballot b JOIN voting_meeting m ON m.id = b.meeting "
        "WHERE m.public_id = ?",
        run.meeting,
    )
    stored = dict(rows)
    report.stored = len(stored)
    if len(rows) != len(stored):
        report.failures.append(f"{len(rows) - len(stored)} voters hold more than one ballot")
    found = [k for k in tally.acknowledged if stored.get(k) == run.hashes[k]]
    report.found = len(found)
    report.lost = report.acknowledged - report.found
    if report.lost:
        report.failures.append(f"{report.lost} acknowledged ballots are missing or differ from their receipt")
    report.extra = len(set(stored) - tally.attempted)
    if report.extra:
        report.failures.append(f"{report.extra} ballots in the database were never sent")
    changed = [k for k in stored if k in run.hashes and stored[k] != run.hashes[k]]
    if changed:
        report.failures.append(f"{len(changed)} stored ballots differ from what was sent")
    missing_already = [k for k in tally.already if k not in stored]
    if missing_already:
        report.failures.append(f"{len(missing_already)} voting_cast_already answers have no ballot")
    report.receipt_lost = len(tally.already)
    unresolved = tally.attempted - set(tally.acknowledged) - tally.already - set(tally.revoked.values())
    if unresolved:
        report.failures.append(f"{len(unresolved)} ballots sent got no final answer")
    if len(stored) != len(tally.acknowledged) + len(tally.already):
        report.failures.append(
            f"{len(stored)} ballots stored, {len(tally.acknowledged)} acknowledged "
            f"+ {len(tally.already)} already stored"
        )
    if tally.revoked:
        marks = ", ".join("?" for _ in tally.revoked)
        revoked = store.query(
            "SELECT c.public_key FROM voting_credential c JOIN voting_meeting m ON m.id = c.meeting "
            f"WHERE m.public_id = ? AND c.revoked_at IS NOT NULL AND c.public_key IN ({marks})",
            run.meeting,
            *tally.revoked.values(),
        )
        if len(revoked) != len(tally.revoked):
            report.failures.append(
                f"{len(tally.revoked) - len(revoked)} acknowledged revocations are missing"
            )
        audited = store.query(
            "SELECT target FROM core_audit_log WHERE action = 'voting.ballot_revoke' AND target LIKE ?",
            f"{run.meeting}:%",
        )
        if {t for (t,) in audited} != {f"{run.meeting}:{s.rsplit('.', 1)[0]}" for s in tally.revoked}:
            report.failures.append(f"revocations audited {len(audited)}, acknowledged {len(tally.revoked)}")
        voted = [k for k in tally.revoked.values() if k in stored]
        if voted or tally.revoked_accepted:
            report.failures.append(
                f"{len(voted) + len(tally.revoked_accepted)} revoked owners' ballots accepted"
            )
    if tally.server_errors:
        report.failures.append(f"{len(tally.server_errors)} server errors: {tally.server_errors[:3]}")
    if tally.wrong_answers:
        report.failures.append(f"{len(tally.wrong_answers)} wrong answers: {tally.wrong_answers[:3]}")
    if tally.bad_receipts:
        report.failures.append(f"{len(tally.bad_receipts)} receipts do not verify")
    unexpected = {c: n for c, n in tally.refused.items()}
    if unexpected:
        report.failures.append(f"unexpected refusals: {unexpected}")


async def seal_over_http(run: Run, store: Store, report: Report, rng: random.Random, kill: bool) -> None:
    """The close of voting arrives; the officer seals through the restarted server. With ``kill``, the
    server is killed once more while the seal request runs (before or after its commit, at random),
    restarted, and the officer seals again: the second answer must agree with the first."""
    closes = datetime.now(UTC)  # after every answer, so after every ballot's time of receipt
    store.query(
        "UPDATE voting_meeting SET voting_closes = ? WHERE public_id = ?",
        store.timestamp(closes),
        run.meeting,
    )
    # the heads signed before describe the meeting with its old deadline (docs/protocol.md §12), which no
    # real meeting can change once published: they go with it
    store.query(
        "DELETE FROM voting_head WHERE meeting = (SELECT id FROM voting_meeting WHERE public_id = ?)",
        run.meeting,
    )
    headers = {"Authorization": f"Bearer {run.token}"}
    path = f"/d/{DISTRICT}/voting/meetings/{run.meeting}/seal"
    first: httpx.Response | None = None
    if kill:
        async with httpx.AsyncClient(base_url=run.server.base, timeout=120, headers=headers) as client:
            request = asyncio.create_task(client.post(path))
            delay = rng.uniform(0.0, 0.06)
            await asyncio.sleep(delay)
            run.server.kill()
            report.seal_kill = True
            run.say(f"SIGKILL {delay * 1000:.0f} ms into the seal")
            try:
                first = await request
            except httpx.TransportError:
                first = None
        await run.server.start()
    async with httpx.AsyncClient(base_url=run.server.base, timeout=120, headers=headers) as client:
        response = await client.post(path)
        if first is not None and first.status_code == 200:
            report.seal_outcome = "answered before the kill"
            if response.status_code != 409 or response.json().get("code") != "voting_seal_already":
                report.failures.append(f"sealed twice: the second seal answered {response.status_code}")
            response = first
        elif kill and response.status_code == 409 and response.json().get("code") == "voting_seal_already":
            report.seal_outcome = "committed, answer lost"
            verified = await client.get(f"/d/{DISTRICT}/voting/meetings/{run.meeting}/tally")
            report.sealed_ballots = (
                verified.json()["counted"]["online"] if verified.status_code == 200 else -1
            )
        elif kill:
            report.seal_outcome = "rolled back, sealed again"
        if response.status_code == 200:
            report.sealed_ballots = response.json()["counts"]["ballots"]
        elif report.seal_outcome != "committed, answer lost":
            report.failures.append(f"seal answered {response.status_code}: {response.text[:300]}")
            return
        if report.sealed_ballots != report.stored:
            report.failures.append(
                f"sealed {report.sealed_ballots} ballots, the database holds {report.stored}"
            )
        after = await client.post(
            f"/v/{run.meeting}/ballots", content=next(iter(run.bodies.values())), headers=JSON
        )
        if after.status_code != 409 or after.json().get("code") != "voting_cast_closed":
            report.failures.append(f"a ballot after the seal answered {after.status_code} {after.text[:200]}")
        tally = await client.get(f"/d/{DISTRICT}/voting/meetings/{run.meeting}/tally")
        if tally.status_code != 200:
            report.failures.append(f"tally answered {tally.status_code}")


def check_offline(env: dict[str, str], run: Run, folder: Path, anchor: str, report: Report) -> None:
    audit = wuye_command("audit", "verify", "--anchor", anchor, "--json", env=env, check=False)
    if audit.returncode != 0:
        report.failures.append(
            f"wuye audit verify exited {audit.returncode}: {audit.stdout[-500:]}{audit.stderr[-500:]}"
        )
    bundle = folder / "bundle.zip"
    exported = wuye_command("voting", "export", "-m", run.meeting, "--out", str(bundle), env=env, check=False)
    if exported.returncode != 0:
        report.failures.append(f"wuye voting export exited {exported.returncode}: {exported.stderr[-500:]}")
        return
    verified = wuye_command("verify", str(bundle), "--json", env=env, check=False)
    if verified.returncode != 0:
        report.failures.append(f"wuye verify exited {verified.returncode}: {verified.stdout[-1000:]}")
        return
    result = json.loads(verified.stdout)
    report.verified_ballots = result["checked"]["ballots"]
    if not result["ok"] or report.verified_ballots != report.stored:
        report.failures.append(
            f"wuye verify: ok {result['ok']}, {report.verified_ballots} ballots of {report.stored}"
        )


# --- one backend -----------------------------------------------------------------------------------------


async def run_backend(backend: str, args: argparse.Namespace) -> Report:
    began = time.monotonic()
    rng = random.Random(args.seed)
    report = Report(backend, args.voters)
    folder = Path(tempfile.mkdtemp(prefix=f"wuye-crash-{backend}-"))
    try:
        with fresh_database(backend, folder) as url:
            port = free_port()
            env = wuye_env(url, [], WUYE_VAR_DIR=str(folder), WUYE_BASE_URL=f"http://127.0.0.1:{port}")
            store = Store(url)
            meeting, token, owners = await asyncio.to_thread(set_up, env, store, folder, args.voters)
            report.setup_seconds = time.monotonic() - began
            anchor = cli(env, "audit", "head").strip()
            server = Server(env, port, args.workers, folder / "server.log")
            await server.start()
            try:
                async with httpx.AsyncClient(base_url=server.base) as client:
                    info = (await client.get(f"/v/{meeting}/info")).json()
                bodies, hashes = {}, {}
                for voter in owners:
                    bodies[voter.key], hashes[voter.key] = signed_ballot(meeting, info, voter, rng)
                run = Run(
                    server, meeting, token, info, bodies, hashes, verbose=args.verbose, clients=args.clients
                )
                try:
                    report.cast_seconds = await asyncio.wait_for(load(run, owners, args, rng), args.deadline)
                except TimeoutError:
                    report.failures.append(f"the load did not finish in {args.deadline} s")
                    report.cast_seconds = args.deadline
                report.kills = run.kills
                report.attempted = len(run.tally.attempted)
                report.acknowledged = len(run.tally.acknowledged)
                report.unanswered = run.tally.unanswered
                report.revoked = len(run.tally.revoked)
                report.restart_seconds = max(server.starts[1:], default=0.0)
                check_database(run, store, report)
                await seal_over_http(run, store, report, rng, kill=not args.no_seal_kill)
            finally:
                server.stop()
            check_offline(env, run, folder, anchor, report)
            if report.kills < args.kills:
                report.failures.append(f"{report.kills} kills of {args.kills}")
    finally:
        report.elapsed = time.monotonic() - began
        if args.keep or report.failures:
            print(f"{backend}: files kept in {folder}", file=sys.stderr)
        else:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--voters", type=int, default=3000, help="owners in the register (default 3000)")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs of the server (default 3)")
    parser.add_argument("--clients", type=int, default=64, help="concurrent HTTP clients (default 64)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a fresh one, printed)")
    parser.add_argument(
        "--deadline", type=float, default=600, help="seconds the load may take per backend (default 600)"
    )
    parser.add_argument("--no-seal-kill", action="store_true", help="do not kill the server during the seal")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--verbose", action="store_true", help="print the kills and restarts as they happen")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 32)
    if args.voters < 100 or args.kills < 1:
        parser.error("--voters must be at least 100 and --kills at least 1")
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(
        f"crash suite: {args.voters:,} voters, {args.kills} kills, {args.clients} clients, "
        f"{args.workers} workers, seed {args.seed}",
        flush=True,
    )
    reports = []
    for backend in backends:
        try:
            report = asyncio.run(run_backend(backend, args))
        except SetupError as exc:
            print(f"{backend}: could not set up the run: {exc}", file=sys.stderr)
            return 2
        reports.append(report)
        print(report.line(), flush=True)
        for failure in report.failures:
            print(f"  ✗ {failure}", flush=True)
    if args.json:
        print(json.dumps([r.__dict__ for r in reports], ensure_ascii=False))
    return 1 if any(r.failures for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
