"""Jurisdiction profiles: the law of a place as data, each value beside the article it comes from.

A profile holds thresholds (exact fractions with their base and whether the boundary counts),
deadlines (calendar or working days), per-plugin rules, the working-day calendar it follows and,
optionally, a folder of document templates. Profiles are registered through the
``register_jurisdictions`` hook; a district picks one by code; a meeting or case snapshots the values it
was opened under (:meth:`Jurisdiction.to_dict`) so a later change of profile never alters it.

Compare legal fractions with :meth:`Threshold.met`, which cross-multiplies integers: never floats.
Civil Code Art. 1259: 以上/以下/以内/届满 include the number itself; 不满/超过/以外 exclude it, and
过半数 means strictly more than half.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pluggy

from core.errors import ConfigError, NotFound

Grade = Literal["P", "S", "UNCONFIRMED"]
Base = Literal["total", "participating"]
DayUnit = Literal["calendar", "working"]


@dataclass(frozen=True)
class Source:
    """Where a legal value comes from, and how sure we are of it (see reference/jurisdiction-rules.md).

    ``grade``: ``P`` primary text read verbatim, ``S`` secondary source, ``UNCONFIRMED`` not found in
    any primary text (shipped as a setting and flagged in the profile's docs).
    """

    article: str
    grade: Grade = "P"
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"article": self.article, "grade": self.grade, "note": self.note}


@dataclass(frozen=True)
class Threshold:
    """A legal fraction of a base: ``>= fraction`` when ``inclusive`` (以上), else ``> fraction`` (过半数)."""

    fraction: Fraction
    inclusive: bool
    base: Base
    source: Source

    def met(self, part: int, whole: int) -> bool:
        """Whether ``part`` out of ``whole`` reaches the threshold, compared exactly in integers.

        ``part`` and ``whole`` are counts or areas in integer hundredths of a square metre. A zero
        ``whole`` never meets a threshold.
        """
        if whole <= 0:
            return False
        lhs = part * self.fraction.denominator
        rhs = self.fraction.numerator * whole
        return lhs >= rhs if self.inclusive else lhs > rhs

    def describe(self) -> str:
        """The rule in words, Chinese, as an officer would read it."""
        base = "总数" if self.base == "total" else "参与表决数"
        frac = _fraction_words(self.fraction)
        if self.fraction == Fraction(1, 2) and not self.inclusive:
            return f"{base}的过半数"
        # 以上 includes the boundary (Civil Code Art. 1259); a rule that excludes it reads 超过.
        return f"{base}的{frac}以上" if self.inclusive else f"超过{base}的{frac}"

    def reached_words(self) -> str:
        """The rule as a verb phrase ("反对{this}即不通过"): 达到…以上 when inclusive, else 超过…."""
        base = "总数" if self.base == "total" else "参与表决数"
        if self.inclusive:
            return f"达到{base}的{_fraction_words(self.fraction)}以上"
        if self.fraction == Fraction(1, 2):
            return f"超过{base}的半数"
        return f"超过{base}的{_fraction_words(self.fraction)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "fraction": f"{self.fraction.numerator}/{self.fraction.denominator}",
            "inclusive": self.inclusive,
            "base": self.base,
            "source": self.source.to_dict(),
        }


_DIGITS = "〇一二三四五六七八九十"


def _fraction_words(fraction: Fraction) -> str:
    def n(value: int) -> str:
        return _DIGITS[value] if value <= 10 else str(value)

    return f"{n(fraction.denominator)}分之{n(fraction.numerator)}"


@dataclass(frozen=True)
class Deadline:
    """A period: ``days`` calendar or working days, counted from the day after the trigger (Art. 201)."""

    days: int
    unit: DayUnit
    source: Source

    def to_dict(self) -> dict[str, Any]:
        return {"days": self.days, "unit": self.unit, "source": self.source.to_dict()}


@dataclass(frozen=True)
class Rule:
    """Any other legal setting (a counting method, a limit, a switch) with its source."""

    value: Any
    source: Source

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, Fraction):
            value = f"{value.numerator}/{value.denominator}"
        return {"value": value, "source": self.source.to_dict()}


@dataclass(frozen=True)
class Jurisdiction:
    """One place's rules. Keys are ``"<plugin>.<name>"`` for thresholds and deadlines."""

    code: str
    name: str
    summary: str = ""
    timezone: str = "Asia/Shanghai"
    calendar: str = "cn"
    thresholds: Mapping[str, Threshold] = field(default_factory=dict)
    deadlines: Mapping[str, Deadline] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, Rule]] = field(default_factory=dict)
    template_dir: Path | None = None
    parent: str | None = None

    def threshold(self, key: str) -> Threshold:
        try:
            return self.thresholds[key]
        except KeyError:
            raise KeyError(f"jurisdiction {self.code} has no threshold {key!r}") from None

    def deadline(self, key: str) -> Deadline:
        try:
            return self.deadlines[key]
        except KeyError:
            raise KeyError(f"jurisdiction {self.code} has no deadline {key!r}") from None

    def rule(self, plugin: str, key: str, default: Any = dataclasses.MISSING) -> Any:
        """The value of ``rules[plugin][key]``; ``default`` (if given) when the profile is silent."""
        found = self.rules.get(plugin, {}).get(key)
        if found is None:
            if default is dataclasses.MISSING:
                raise KeyError(f"jurisdiction {self.code} has no rule {plugin}.{key}")
            return default
        return found.value

    def derive(
        self,
        code: str,
        name: str,
        *,
        summary: str = "",
        thresholds: Mapping[str, Threshold] | None = None,
        deadlines: Mapping[str, Deadline] | None = None,
        rules: Mapping[str, Mapping[str, Rule]] | None = None,
        template_dir: Path | None = None,
        calendar: str | None = None,
        timezone: str | None = None,
    ) -> Jurisdiction:
        """A new profile that starts from this one and overrides what is given (per key)."""
        merged_rules: dict[str, dict[str, Rule]] = {p: dict(r) for p, r in self.rules.items()}
        for plugin, values in (rules or {}).items():
            merged_rules.setdefault(plugin, {}).update(values)
        return Jurisdiction(
            code=code,
            name=name,
            summary=summary,
            timezone=timezone or self.timezone,
            calendar=calendar or self.calendar,
            thresholds={**self.thresholds, **(thresholds or {})},
            deadlines={**self.deadlines, **(deadlines or {})},
            rules=merged_rules,
            template_dir=template_dir or self.template_dir,
            parent=self.code,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able snapshot of every value with its source (stored with meetings and cases)."""
        return {
            "code": self.code,
            "name": self.name,
            "summary": self.summary,
            "timezone": self.timezone,
            "calendar": self.calendar,
            "parent": self.parent,
            "thresholds": {k: v.to_dict() for k, v in sorted(self.thresholds.items())},
            "deadlines": {k: v.to_dict() for k, v in sorted(self.deadlines.items())},
            "rules": {
                plugin: {k: v.to_dict() for k, v in sorted(values.items())}
                for plugin, values in sorted(self.rules.items())
            },
        }


def today_in(profile: Any) -> date:
    """Today's date where ``profile`` (anything with a ``timezone``) applies: an office's day, not the
    server's (a server on UTC is still on yesterday until 08:00 in Beijing)."""
    return datetime.now(ZoneInfo(profile.timezone)).date()


def local_time(at: datetime, profile: Any) -> datetime:
    """``at`` in the time zone where ``profile`` applies (a naive ``at`` is taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(profile.timezone))


def people_time(at: datetime, profile: Any, *, seconds: bool = False) -> str:
    """A moment as people in the profile's place read it: ``2026年12月17日 17:00`` (local time)."""
    local = local_time(at, profile)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{local.year}年{local.month}月{local.day}日 {clock}"


def people_date(day: date) -> str:
    """``2026年12月1日`` (pages; official documents spell dates in Chinese numerals)."""
    return f"{day.year}年{day.month}月{day.day}日"


class JurisdictionRegistry:
    """The profiles every plugin registered, by code."""

    def __init__(self, profiles: Iterable[Jurisdiction], default: str = "national") -> None:
        self._profiles: dict[str, Jurisdiction] = {}
        for profile in profiles:
            if profile.code in self._profiles:
                raise ValueError(f"jurisdiction {profile.code!r} registered twice")
            self._profiles[profile.code] = profile
        if default not in self._profiles:
            raise ConfigError(
                "jurisdiction_default_unknown", code=default, known="、".join(sorted(self._profiles)) or "无"
            )
        self.default_code = default

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager, default: str = "national") -> JurisdictionRegistry:
        profiles = [p for batch in pm.hook.register_jurisdictions() for p in (batch or ())]
        return cls(profiles, default=default)

    def get(self, code: str | None) -> Jurisdiction:
        """The profile ``code``; the default one when ``code`` is empty."""
        if not code:
            return self._profiles[self.default_code]
        try:
            return self._profiles[code]
        except KeyError:
            raise NotFound("jurisdiction_not_found", code=code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._profiles

    def all(self) -> list[Jurisdiction]:
        return sorted(self._profiles.values(), key=lambda p: (p.code != self.default_code, p.code))


def configured_registry(settings: Any = None) -> JurisdictionRegistry:
    """The profiles of the installed plugins with the configured default (``ConfigError`` when it names
    none of them), without a database: what the CLI needs before, or instead of, a runtime."""
    from core.plugins import create_plugin_manager_from_settings
    from core.settings import get_settings

    settings = settings or get_settings()
    return JurisdictionRegistry.from_plugins(
        create_plugin_manager_from_settings(settings), settings.default_jurisdiction
    )
