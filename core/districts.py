"""Districts, estates and per-district plugin enablement and configuration.

Enablement lives only here: the route guard (:func:`core.web.routing.requires_plugin_enabled`) and the
runtime hooks (:func:`core.plugins.hooks_for`) both ask :func:`enabled_plugins`. A short per-process
cache keeps that cheap; a change made in this process clears it at once, other workers see it within
``CACHE_SECONDS``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.data.tables import District, DistrictPlugin, Estate
from core.errors import BadRequest, Conflict, NotFound

if TYPE_CHECKING:
    from core.runtime import Runtime

CACHE_SECONDS = 5.0
SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class DistrictInfo:
    """A district as plugins see it (a plain value, not an ORM row)."""

    id: int
    slug: str
    name: str
    region: str
    jurisdiction_code: str
    training: bool = False  #: a training district (演练): its clock may be set (core.clock)
    clock_offset: int = 0  #: seconds its clock runs ahead of real time

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DistrictInfo:
        return cls(
            row["id"],
            row["slug"],
            row["name"],
            row["region"],
            row["jurisdiction_code"],
            bool(row.get("training")),
            int(row.get("clock_offset") or 0),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "region": self.region,
            "jurisdiction": self.jurisdiction_code,
            "training": self.training,
        }


_enabled_cache: dict[int, tuple[float, frozenset[str]]] = {}
_district_cache: dict[str, tuple[float, DistrictInfo]] = {}
_enabled_pending: dict[tuple[int, int], asyncio.Future[frozenset[str]]] = {}


_cache_clearers: list[Callable[[], None]] = []


def register_cache(clear: Callable[[], None]) -> None:
    """Let :func:`clear_caches` also empty a plugin's in-process cache (tests switch databases)."""
    _cache_clearers.append(clear)


def clear_caches() -> None:
    _enabled_cache.clear()
    _district_cache.clear()
    _enabled_pending.clear()
    for clear in _cache_clearers:
        clear()


def check_text(value: str, field: str, max_length: int, *, required: bool = True) -> str:
    """Trimmed ``value``; a clear 400 when it is empty (if required) or too long for its column."""
    text = (value or "").strip()
    if required and not text:
        raise BadRequest("validation_failed", detail=f"{field}不能为空")
    if len(text) > max_length:
        raise BadRequest("validation_failed", detail=f"{field}不能超过 {max_length} 个字符")
    return text


def check_slug(value: str) -> str:
    if not SLUG_RE.match(value or ""):
        raise BadRequest("bad_slug", value=value)
    return value


async def get_district(slug: str, *, cached: bool = False) -> DistrictInfo:
    """The district ``slug``, else :class:`NotFound`."""
    now = time.monotonic()
    if cached and (hit := _district_cache.get(slug)) and hit[0] > now:
        return hit[1]
    row = await District.select().where(District.slug == slug).first()
    if row is None:
        raise NotFound("district_not_found")
    info = DistrictInfo.from_row(row)
    _district_cache[slug] = (now + CACHE_SECONDS, info)
    return info


async def list_districts(ids: set[int] | None = None) -> list[DistrictInfo]:
    query = District.select().order_by(District.slug)
    if ids is not None:
        if not ids:
            return []
        query = query.where(District.id.is_in(list(ids)))
    return [DistrictInfo.from_row(r) for r in await query]


async def create_district(
    slug: str, name: str, region: str = "", jurisdiction_code: str = "", *, training: bool = False
) -> DistrictInfo:
    check_slug(slug)
    name = check_text(name, "名称", 200)
    region = check_text(region, "所属地区", 200, required=False)
    if await District.exists().where(District.slug == slug):
        raise Conflict("district_exists", slug=slug)
    rows = await District.insert(
        District(slug=slug, name=name, region=region, jurisdiction_code=jurisdiction_code, training=training)
    ).returning(*District.all_columns())
    _district_cache.pop(slug, None)
    return DistrictInfo.from_row(rows[0])


async def set_jurisdiction(district: DistrictInfo, code: str) -> DistrictInfo:
    await District.update({District.jurisdiction_code: code}).where(District.id == district.id)
    _district_cache.pop(district.slug, None)
    return await get_district(district.slug)


async def set_clock_offset(district: DistrictInfo, offset: int) -> DistrictInfo:
    """Store how far a district's clock runs ahead of real time (core.clock checks it may)."""
    await District.update({District.clock_offset: offset}).where(District.id == district.id)
    _district_cache.pop(district.slug, None)
    return await get_district(district.slug)


async def list_estates(district: DistrictInfo) -> list[dict[str, Any]]:
    return await (
        Estate.select(Estate.id, Estate.code, Estate.name, Estate.address)
        .where(Estate.district == district.id)
        .order_by(Estate.code)
    )


async def create_estate(district: DistrictInfo, code: str, name: str, address: str = "") -> dict[str, Any]:
    if not CODE_RE.match(code or ""):
        raise BadRequest("bad_slug", value=code)
    name = check_text(name, "小区名称", 200)
    address = check_text(address, "地址", 400, required=False)
    if await Estate.exists().where((Estate.district == district.id) & (Estate.code == code)):
        raise Conflict("estate_exists", code=code)
    rows = await Estate.insert(Estate(district=district.id, code=code, name=name, address=address)).returning(
        Estate.id, Estate.code, Estate.name, Estate.address
    )
    return rows[0]


async def get_estate(district: DistrictInfo, code: str) -> dict[str, Any]:
    row = await Estate.select().where((Estate.district == district.id) & (Estate.code == code)).first()
    if row is None:
        raise NotFound("estate_not_found")
    return row


async def enabled_plugins(district: DistrictInfo) -> frozenset[str]:
    """Names of the duties switched on for ``district``."""
    now = time.monotonic()
    hit = _enabled_cache.get(district.id)
    if hit and hit[0] > now:
        return hit[1]
    # One query per expiry however many requests arrive meanwhile (no stampede under load).
    key = (district.id, id(asyncio.get_running_loop()))
    pending = _enabled_pending.get(key)
    if pending is None:
        pending = asyncio.ensure_future(_load_enabled(district.id))
        _enabled_pending[key] = pending
        pending.add_done_callback(lambda _: _enabled_pending.pop(key, None))
    return await asyncio.shield(pending)


async def _load_enabled(district_id: int) -> frozenset[str]:
    rows = await DistrictPlugin.select(DistrictPlugin.plugin).where(
        (DistrictPlugin.district == district_id) & (DistrictPlugin.enabled == True)  # noqa: E712
    )
    enabled = frozenset(r["plugin"] for r in rows)
    _enabled_cache[district_id] = (time.monotonic() + CACHE_SECONDS, enabled)
    return enabled


async def set_enabled(district: DistrictInfo, plugin: str, enabled: bool) -> bool:
    """Switch ``plugin`` on or off; returns whether anything changed."""
    row = (
        await DistrictPlugin.select()
        .where((DistrictPlugin.district == district.id) & (DistrictPlugin.plugin == plugin))
        .first()
    )
    _enabled_cache.pop(district.id, None)
    if row is None:
        await DistrictPlugin.insert(
            DistrictPlugin(district=district.id, plugin=plugin, enabled=enabled, config="{}")
        )
        return enabled
    if row["enabled"] == enabled:
        return False
    await DistrictPlugin.update({DistrictPlugin.enabled: enabled}).where(DistrictPlugin.id == row["id"])
    return True


async def district_config(district: DistrictInfo, plugin: str) -> dict[str, Any]:
    row = (
        await DistrictPlugin.select(DistrictPlugin.config)
        .where((DistrictPlugin.district == district.id) & (DistrictPlugin.plugin == plugin))
        .first()
    )
    if row is None:
        return {}
    value = row["config"]
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def merge_config(*layers: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge config layers, most specific FIRST (district, jurisdiction, settings, defaults)."""
    result: dict[str, Any] = {}
    for layer in reversed(layers):
        result = _deep_merge(result, layer or {})
    return result


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


async def plugin_config(
    runtime: Runtime, plugin: str, district: DistrictInfo, defaults: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A duty's operational settings for ``district``: district row → jurisdiction profile →
    installation settings (``[plugins.<name>]``) → ``defaults``, deep-merged.

    Legal values (thresholds, deadlines) are not configuration: read them from the jurisdiction.
    """
    profile = runtime.jurisdictions.get(district.jurisdiction_code)
    profile_layer = {key: rule.value for key, rule in profile.rules.get(plugin, {}).items()}
    return merge_config(
        await district_config(district, plugin),
        profile_layer,
        runtime.settings.plugin_settings.get(plugin, {}),
        defaults or {},
    )
