"""Accepted online ballots per second, with durable commits, against a bare verify-only endpoint.

    .venv/bin/python benchmarks/voting_cast.py [--backend sqlite|postgres|both] [--seconds 10]
                                               [--voters 60000] [--connections 64] [--workers 2]

Targets (issue 4): >= 1,000 accepted ballots/s on SQLite and >= 1,500/s on PostgreSQL, p99 <= 100 ms,
64 concurrent clients, 2 server workers, on the 2-core machine.

What runs: ``wuye run --workers 2`` on a fresh database with one open meeting of ``--voters`` voters
(credentials inserted directly; printing is benchmarked in voting_print.py); every ballot is signed in
advance, so the load generator (wrk, C, from Debian's ``wrk`` package) only sends bytes. Each request
is a different voter's ballot, so every 201 is a ballot committed to disk (SQLite: WAL with
synchronous=FULL; PostgreSQL: synchronous_commit as configured, default on) before its receipt is sent.
The same wrk script then drives a bare Litestar app with 2 workers whose endpoint only parses the JSON,
canonicalises the ballot and verifies its Ed25519 signature with the server's own primitive
(``core.signing.verify``: libsodium): the ratio of the two rates says how much
the whole cast path (checks, group commit, receipt signing) costs over the verification alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WARMUP_BALLOTS = 5000
PG_URL = os.environ.get("WUYE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/wuye_bench")

WRK_SCRIPT = r"""
local bodies = {}
local n = 0
local threads = {}
created, conflicts, others = 0, 0, 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == tid then bodies[#bodies + 1] = line end
    i = i + 1
  end
end

function request()
  n = n + 1
  local body = bodies[((n - 1) % #bodies) + 1]
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then conflicts = conflicts + 1
  else others = others + 1 end
end

function done(summary, latency, requests)
  local c, k, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); k = k + t:get("conflicts"); o = o + t:get("others")
  end
  io.write(string.format(
    'WRKJSON {"seconds": %.3f, "requests": %d, "created": %d, "conflicts": %d, "others": %d, ' ..
    '"errors": %d, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.duration / 1e6, summary.requests, c, k, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""

BARE_APP = """
import hashlib
import msgspec
import rfc8785
from litestar import Litestar, Request, post

from core.signing import verify


@post("/v/{meeting:str}/ballots", status_code=201)
async def cast(request: Request, meeting: str) -> dict:
    body = msgspec.json.decode(await request.body())
    ballot = body["ballot"]
    message = b"wuye-ballot-v1\\x00" + meeting.encode() + b"\\x00" + rfc8785.dumps(ballot)
    if not verify(bytes.fromhex(ballot["voter_key"]), bytes.fromhex(body["signature"]), message):
        raise ValueError("bad signature")
    return {"ballot_hash": hashlib.sha256(message).hexdigest()}


app = Litestar([cast])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def register_csv(n: int) -> bytes:
    rows = ["unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"]
    for i in range(n):
        building, rest = divmod(i, 400)
        rows.append(f"{building + 1}-{rest + 1:04d},{60 + i % 90}.{i % 100:02d},register,O{i},业主{i},C{i},0")
    return ("\n".join(rows) + "\n").encode()


async def prepare(url: str, voters: int, folder: Path) -> tuple[str, Path]:
    """A district with one open meeting of ``voters`` voters; the signed ballots, one JSON per line."""
    from datetime import UTC, datetime, timedelta

    from core.data.db import bulk_insert, transaction
    from core.district_services import add_district, add_estate, switch_plugin
    from core.runtime import database
    from core.signing import sign
    from plugins.voting.protocol.ballot import ballot_message
    from plugins.voting.protocol.credentials import public_key_hex
    from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
    from plugins.voting.services.register import import_register
    from plugins.voting.tables import VotingCredential, VotingMeeting
    from tests.plugins.voting.conftest import encode, meeting_file

    async with database() as runtime:
        district = await add_district(runtime, "bench", "bench", "测试街道")
        await add_estate(runtime, "bench", district, "E1", "测试小区")
        await switch_plugin(runtime, "bench", district, "voting", True)
        await import_register(district, "E1", register_csv(voters), "r.csv", "bench")
        meeting = (
            await create_meeting(runtime, district, "E1", parse_meeting_file(encode(meeting_file())), "bench")
        )["meeting"]
        await publish_meeting(runtime, district, meeting, "bench")
        row = await VotingMeeting.select().where(VotingMeeting.public_id == meeting).first()
        seeds = [os.urandom(32) for _ in range(voters)]
        now = datetime.now(UTC)
        async with transaction(VotingCredential._meta.db):
            await bulk_insert(
                VotingCredential,
                [
                    {
                        "meeting": row["id"],
                        "voter_no": number,
                        "version": 1,
                        "public_key": public_key_hex(seed),
                        "issued_at": now,
                        "issued_by": "bench",
                        "revoked_at": None,
                        "revoked_reason": "",
                        "revoked_by": "",
                    }
                    for number, seed in enumerate(seeds, start=1)
                ],
            )
        await VotingMeeting.update(
            {VotingMeeting.status: "open", VotingMeeting.voting_closes: now + timedelta(days=1)}
        ).where(VotingMeeting.id == row["id"])
        digest = row["register_digest"]

    bodies, warmup = folder / "ballots.jsonl", folder / "warmup.jsonl"
    with bodies.open("w") as fh, warmup.open("w") as wh:
        for index, seed in enumerate(seeds):
            ballot = {
                "protocol": "wuye-ballot-v1",
                "meeting": meeting,
                "register_digest": digest,
                "voter_key": public_key_hex(seed),
                "choices": [
                    {"motion": 1, "choice": "agree"},
                    {"motion": 2, "choice": "oppose"},
                    {"motion": 3, "candidates": ["c1"]},
                ],
            }
            signature = sign(seed, ballot_message(meeting, ballot)).hex()
            line = json.dumps({"ballot": ballot, "signature": signature}, separators=(",", ":")) + "\n"
            (wh if index < WARMUP_BALLOTS else fh).write(line)
    return meeting, bodies, warmup


def run_wrk(url: str, bodies: Path, seconds: int, connections: int, folder: Path) -> dict:
    script = folder / "cast.lua"
    script.write_text(WRK_SCRIPT)
    threads = 2
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
            "--",
            str(bodies),
            str(threads),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
    return json.loads(line[len("WRKJSON ") :])


def start(cmd: list[str], env: dict[str, str], health: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    wait_for(health)
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def bench_backend(backend: str, args: argparse.Namespace) -> dict:
    from benchmarks.common import reset_postgres
    from core.testing import wuye_command, wuye_env

    folder = Path(tempfile.mkdtemp(prefix=f"wuye-cast-{backend}-"))
    if backend == "sqlite":
        url = f"sqlite:///{folder}/bench.sqlite3"
    else:
        reset_postgres(PG_URL)
        url = PG_URL
    os.environ["WUYE_VAR_DIR"] = str(folder)
    os.environ["WUYE_DATABASE_URL"] = url
    env = wuye_env(url, [], WUYE_VAR_DIR=str(folder))
    wuye_command("migrate", "-q", env=env)
    meeting, bodies, warmup = asyncio.run(prepare(url, args.voters, folder))
    port = free_port()
    exe = Path(sys.executable).with_name("wuye")
    server = start(
        [str(exe), "run", "--workers", str(args.workers), "--port", str(port)],
        env,
        f"http://127.0.0.1:{port}/-/health",
    )
    try:
        run_wrk(f"http://127.0.0.1:{port}/v/{meeting}/ballots", warmup, 2, 8, folder)  # warm-up
        result = run_wrk(
            f"http://127.0.0.1:{port}/v/{meeting}/ballots", bodies, args.seconds, args.connections, folder
        )
    finally:
        stop(server)
    stored = asyncio.run(count_ballots(url))
    result["stored"] = stored
    result["rate"] = result["created"] / result["seconds"]
    shutil.rmtree(folder, ignore_errors=True)
    return result


async def count_ballots(url: str) -> int:
    from core.runtime import database
    from plugins.voting.tables import VotingBallot

    async with database():
        return await VotingBallot.count()


def bench_bare(args: argparse.Namespace, bodies_from: Path | None = None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="wuye-bare-"))
    (folder / "bare_app.py").write_text(BARE_APP)
    bodies = folder / "ballots.jsonl"
    # the same shape of ballots, signed by fresh keys (the endpoint verifies, it stores nothing)
    from core.signing import sign
    from plugins.voting.protocol.ballot import ballot_message
    from plugins.voting.protocol.credentials import public_key_hex

    with bodies.open("w") as fh:
        for _ in range(20000):
            seed = os.urandom(32)
            ballot = {
                "protocol": "wuye-ballot-v1",
                "meeting": "BENCHMEETING",
                "register_digest": "0" * 64,
                "voter_key": public_key_hex(seed),
                "choices": [
                    {"motion": 1, "choice": "agree"},
                    {"motion": 2, "choice": "oppose"},
                    {"motion": 3, "candidates": ["c1"]},
                ],
            }
            fh.write(
                json.dumps(
                    {"ballot": ballot, "signature": sign(seed, ballot_message("BENCHMEETING", ballot)).hex()},
                    separators=(",", ":"),
                )
                + "\n"
            )
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
    server = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env,
        f"http://127.0.0.1:{port}/schema",
    )
    try:
        url = f"http://127.0.0.1:{port}/v/BENCHMEETING/ballots"
        run_wrk(url, bodies, 2, 8, folder)
        result = run_wrk(url, bodies, args.seconds, args.connections, folder)
    finally:
        stop(server)
    result["rate"] = result["created"] / result["seconds"]
    shutil.rmtree(folder, ignore_errors=True)
    return result


def run_isolated(backend: str, args: argparse.Namespace) -> dict:
    """One backend in a child process: the runtime binds its database once per process."""
    if args.backend == backend:
        return bench_backend(backend, args)
    cmd = [
        sys.executable,
        __file__,
        "--backend",
        backend,
        "--seconds",
        str(args.seconds),
        "--voters",
        str(args.voters),
        "--connections",
        str(args.connections),
        "--workers",
        str(args.workers),
        "--json-only",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--voters", type=int, default=60000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json_only:
        print(json.dumps(bench_backend(args.backend, args)))
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    bare = bench_bare(args)
    print(f"bare verify-only endpoint: {bare['rate']:,.0f} req/s, p99 {bare['p99_ms']:.1f} ms")
    targets = {"sqlite": 1000, "postgres": 1500}
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        r = run_isolated(backend, args)
        ok = r["rate"] >= targets[backend] and r["p99_ms"] <= 100
        print(
            f"{backend:8s} accepted {r['rate']:,.0f} ballots/s ({r['created']:,} in {r['seconds']:.1f} s; "
            f"{r['stored']:,} stored incl. warm-up), p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
            f"max {r['max_ms']:.0f} ms; non-201: {r['conflicts']} conflicts, {r['others']} other, "
            f"{r['errors']} socket errors; ratio to bare verify: {r['rate'] / bare['rate']:.2f} "
            f"[target >= {targets[backend]}/s, p99 <= 100 ms: {'met' if ok else 'NOT met'}]"
        )


if __name__ == "__main__":
    main()
