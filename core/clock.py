"""A district's clock (演练): real time, or in a training district real time moved by an offset.

An office rehearses a whole meeting (notice → count → result) in a training district whose clock it
sets (``wuye district clock SLUG --at …``, ``PUT /api/d/{district}/clock``): the clock keeps running
from the moment set, so a rehearsal passes time as a real meeting does. A production district's clock
is real time and cannot be set; a district is a training one only from its creation
(``wuye district add … --training``), so no real meeting's clock can ever be moved.

Every duty asks :func:`district_now` / :func:`district_today` instead of the server's clock wherever a
district is at hand; the demo and the tests set the clock the same way an office does.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from core.data.db import transaction
from core.data.tables import District
from core.districts import CACHE_SECONDS, DistrictInfo, get_district, register_cache, set_clock_offset
from core.errors import BadRequest, Conflict
from core.identity import audit
from core.jurisdiction import people_time
from core.messages import message

if TYPE_CHECKING:
    from core.runtime import Runtime

#: district id → (expiry, offset seconds) of the training districts asked (and of ids: the owners' ballots)
_offsets: dict[int, tuple[float, int]] = {}
register_cache(_offsets.clear)

MOMENT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
#: the years a clock may be set in: a rehearsal's, never one whose clock would run past 9999
YEARS = (2000, 2099)


async def _offset(district_id: int) -> int:
    now = time.monotonic()
    hit = _offsets.get(district_id)
    if hit and hit[0] > now:
        return hit[1]
    row = (
        await District.select(District.training, District.clock_offset)
        .where(District.id == district_id)
        .first()
    )
    offset = int(row["clock_offset"] or 0) if row and row["training"] else 0
    _offsets[district_id] = (now + CACHE_SECONDS, offset)
    return offset


async def district_now(district: DistrictInfo | int) -> datetime:
    """Now (UTC) on ``district``'s clock: real time, or a training district's set clock. A production
    :class:`DistrictInfo` costs nothing; otherwise a per-process cache answers (5 s; a clock set in
    this process is seen at once, so a :class:`DistrictInfo` held across a set is never stale)."""
    if isinstance(district, DistrictInfo):
        if not district.training:
            return datetime.now(UTC)
        district = district.id
    return datetime.now(UTC) + timedelta(seconds=await _offset(district))


async def district_today(district: DistrictInfo | int, profile: Any) -> date:
    """Today's date on ``district``'s clock, in the time zone of ``profile`` (the office's day)."""
    return (await district_now(district)).astimezone(ZoneInfo(profile.timezone)).date()


def parse_moment(text: str, profile: Any) -> datetime:
    """``2026-12-20 09:00`` (local time where ``profile`` applies) or ISO 8601 with an offset."""
    value = (text or "").strip()
    for fmt in MOMENT_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=ZoneInfo(profile.timezone))
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest("clock_bad_moment", value=value) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(profile.timezone))


def clock_state(district: DistrictInfo, profile: Any) -> dict[str, Any]:
    """What ``GET /api/d/{district}/clock`` answers: the clock's reading and whether it is set."""
    now = datetime.now(UTC) + timedelta(seconds=district.clock_offset if district.training else 0)
    return {
        "district": district.slug,
        "training": district.training,
        "set": district.training and district.clock_offset != 0,
        "offset_seconds": district.clock_offset if district.training else 0,
        "now": now.isoformat(),
        "now_text": people_time(now, profile),
    }


async def set_district_clock(
    runtime: Runtime, actor_label: str, district: DistrictInfo, at: datetime | None
) -> dict[str, Any]:
    """Set a training district's clock to ``at`` (it runs on from there), or back to real time
    (``None``); audited ``district.clock``. A production district refuses (409 ``clock_production``)."""
    district = await get_district(district.slug)  # as stored now (the audit says what it was)
    if not district.training:
        raise Conflict("clock_production", district=district.name)
    if at is not None and (at.tzinfo is None or not YEARS[0] <= at.year <= YEARS[1]):
        raise BadRequest("clock_bad_moment", value=at.isoformat())
    # rounded up: read at once, the clock shows the moment set, never the second before it
    offset = 0 if at is None else math.ceil((at - datetime.now(UTC)).total_seconds())
    async with transaction(runtime.engine):
        updated = await set_clock_offset(district, offset)
        await audit.record(
            actor_label,
            "district.clock",
            district=district.slug,
            target=district.slug,
            details={"at": at.isoformat() if at else None, "offset": offset, "from": district.clock_offset},
        )
    _offsets.pop(district.id, None)
    return clock_state(updated, runtime.jurisdictions.get(updated.jurisdiction_code))


def rehearsal_banner(district: DistrictInfo, profile: Any) -> str:
    """The words every page and document of a training district carries ("" elsewhere)."""
    if not district.training:
        return ""
    state = clock_state(district, profile)
    return message("clock_banner_set" if state["set"] else "clock_banner", now=state["now_text"])
