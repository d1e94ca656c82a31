"""Printing N ballot pages (credentials + QR + docx) against the primitives' own limits.

    .venv/bin/python benchmarks/voting_print.py [N]      (default 5000; target: <= 20 s on 2 cores)

Runs on a throw-away SQLite database. Prints each stage's time, the whole, and ratios against the
bare primitives measured in the same run: QR matrices per second on one core with a fixed mask, and
Ed25519 key generations per second.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def register_csv(n: int) -> bytes:
    rows = ["unit_code,area_m2,area_source,owner_key,owner_name,certificate_no,developer_unsold"]
    for i in range(n):
        building, rest = divmod(i, 200)
        code = f"{building + 1}-{rest // 4 + 1:02d}{rest % 4 + 1:02d}"
        rows.append(f"{code},{60 + i % 90}.{i % 100:02d},register,O{i},业主{i},C{i},0")
    return ("\n".join(rows) + "\n").encode()


def bare_rates() -> tuple[float, float]:
    import qrcode
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from qrcode.constants import ERROR_CORRECT_M

    url = "http://127.0.0.1:8000/v/AbCdEfGhIjKl#k=" + "A" * 43
    start = time.perf_counter()
    for _ in range(300):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, mask_pattern=2)
        code.add_data(url)
        code.make(fit=True)
        code.get_matrix()
    qr_rate = 300 / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(3000):
        Ed25519PrivateKey.from_private_bytes(os.urandom(32)).public_key().public_bytes_raw()
    return qr_rate, 3000 / (time.perf_counter() - start)


async def main(n: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="wuye-bench-"))
    os.environ["WUYE_VAR_DIR"] = str(folder)
    os.environ["WUYE_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    from core.testing import wuye_command, wuye_env

    wuye_command("migrate", "-q", env=wuye_env(os.environ["WUYE_DATABASE_URL"], []))
    from core.district_services import add_district, add_estate
    from core.runtime import database
    from plugins.voting.services.ballots import print_ballots
    from plugins.voting.services.meetings import create_meeting, parse_meeting_file, publish_meeting
    from plugins.voting.services.register import import_register
    from tests.plugins.voting.conftest import encode, meeting_file

    async with database() as runtime:
        district = await add_district(runtime, "bench", "bench", "测试街道")
        await add_estate(runtime, "bench", district, "E1", "测试小区")
        await import_register(district, "E1", register_csv(n), "r.csv", "bench")
        meeting = await create_meeting(
            runtime, district, "E1", parse_meeting_file(encode(meeting_file())), "bench"
        )
        await publish_meeting(runtime, district, meeting["meeting"], "bench")
        stages: dict[str, float] = {}
        last = [time.perf_counter()]

        def progress(stage: str, done: int, total: int) -> None:
            if done == total:
                now = time.perf_counter()
                stages[stage] = now - last[0]
                last[0] = now

        start = time.perf_counter()
        last[0] = start
        result = await print_ballots(runtime, district, meeting["meeting"], "bench", progress=progress)
        total = time.perf_counter() - start
    qr_rate, key_rate = bare_rates()
    print(f"ballot pages: {len(result.issued)}   docx: {len(result.docx) / 1e6:.1f} MB")
    for stage, seconds in stages.items():
        print(f"  {stage:<9} {seconds:6.2f} s")
    print(f"  commit+audit {total - sum(stages.values()):5.2f} s")
    print(f"total: {total:.2f} s  (target <= 20 s)  -> {len(result.issued) / total:.0f} pages/s")
    print(
        f"bare qrcode matrices, fixed mask, 1 core: {qr_rate:.0f}/s -> the QR stage alone at that rate: "
        f"{len(result.issued) / qr_rate:.2f} s on 1 core; measured {stages.get('qr', 0):.2f} s on 2 workers"
    )
    print(f"bare Ed25519 key generation: {key_rate:.0f}/s")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
