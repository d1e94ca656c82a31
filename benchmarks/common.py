"""What the benchmark scripts share: a fresh PostgreSQL database to measure against."""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse


def reset_postgres(url: str) -> None:
    """Drop and re-create the database ``url`` names (connecting to the server's ``postgres`` db)."""
    import asyncpg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"

    async def go() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(go())
