"""Importing an N-row register (parse, validate, store) on SQLite and PostgreSQL.

.venv/bin/python benchmarks/voting_register_import.py [N]     (default 20000; target <= 5 s)
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

from benchmarks.voting_print import register_csv  # noqa: E402


async def run(url: str, content: bytes) -> tuple[float, float]:
    from dataclasses import replace

    from core.district_services import add_district, add_estate
    from core.runtime import database
    from core.settings import load_settings
    from plugins.voting.protocol.register import parse_register
    from plugins.voting.services.register import import_register

    start = time.perf_counter()
    parse_register(content, "r.csv")
    parse_only = time.perf_counter() - start
    async with database(replace(load_settings(), database_url=url)) as runtime:
        district = await add_district(runtime, "bench", f"b{int(time.time() * 1000) % 10**8}", "测试街道")
        await add_estate(runtime, "bench", district, "E1", "测试小区")
        start = time.perf_counter()
        await import_register(district, "E1", content, "r.csv", "bench")
        return parse_only, time.perf_counter() - start


def main(n: int) -> None:
    from core.testing import POSTGRES_URL, postgres_reachable, wuye_command, wuye_env

    content = register_csv(n)
    folder = Path(tempfile.mkdtemp(prefix="wuye-bench-"))
    targets = {"sqlite": f"sqlite:///{folder}/bench.sqlite3"}
    if postgres_reachable() is None and os.environ.get("WUYE_BENCH_POSTGRES", "1") == "1":
        targets["postgres"] = os.environ.get("WUYE_BENCH_POSTGRES_URL", POSTGRES_URL)
    for name, url in targets.items():
        wuye_command("migrate", "-q", env=wuye_env(url, []))
        parse_only, total = asyncio.run(run(url, content))
        print(
            f"{name:<9} {n} rows: {total:.2f} s (target <= 5 s); parse+validate alone {parse_only:.2f} s; "
            f"{n / total:.0f} rows/s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
