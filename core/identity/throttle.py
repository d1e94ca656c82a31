"""Login throttling: after too many refused logins for one account, or from one client address, within
a window, further attempts are refused before the password is even checked — right or wrong — until
the window has moved on.

The failures are rows in ``core_login_failure`` (not a counter in memory), so the limit holds across
server workers and restarts, on SQLite and PostgreSQL alike. A successful login clears its account's
failures. The address limit is higher than the account limit: many clerks of one office may share one
address behind the office's router (or a reverse proxy: run the server with ``--proxy-headers`` so
the address is the client's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.data.tables import LoginFailure
from core.errors import WuyeError


@dataclass(frozen=True)
class Limits:
    account: int = 5  #: refused logins per account within the window
    address: int = 30  #: refused logins per client address within the window
    window: timedelta = timedelta(minutes=15)


LIMITS = Limits()


class LoginThrottled(WuyeError):
    status_code = 429


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"account:{username[:150]}", f"address:{address[:150]}"


async def refuse_if_throttled(username: str, address: str, limits: Limits = LIMITS) -> None:
    """Raise :class:`LoginThrottled` (429) when the account or the address has used up its failures;
    the message says how many minutes to wait."""
    now = datetime.now(UTC)
    since = now - limits.window
    for key, limit in zip(_keys(username, address), (limits.account, limits.address), strict=True):
        rows = (
            await LoginFailure.select(LoginFailure.at)
            .where((LoginFailure.key == key) & (LoginFailure.at > since))
            .order_by(LoginFailure.at)
        )
        if len(rows) >= limit:
            oldest = rows[-limit]["at"]
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=UTC)
            wait = max(1, int(((oldest + limits.window) - now).total_seconds() // 60) + 1)
            raise LoginThrottled("login_throttled", minutes=wait)


async def note_failure(username: str, address: str) -> None:
    now = datetime.now(UTC)
    await LoginFailure.insert(*(LoginFailure(key=key, at=now) for key in _keys(username, address)))


async def clear_failures(username: str, limits: Limits = LIMITS) -> None:
    """After a successful login: the account starts afresh; old rows of every key are dropped."""
    account, _ = _keys(username, "")
    await LoginFailure.delete().where(
        (LoginFailure.key == account) | (LoginFailure.at < datetime.now(UTC) - limits.window)
    )
