"""Registers the built-in jurisdiction profiles. Essential: the registry always has its default."""

from __future__ import annotations

from core import Jurisdiction, hookimpl
from plugins.jurisdictions.beijing import BEIJING
from plugins.jurisdictions.henan import HENAN_2017
from plugins.jurisdictions.national import NATIONAL
from plugins.jurisdictions.shanghai import SHANGHAI_2020, SHANGHAI_SEED
from plugins.jurisdictions.weifang import WEIFANG


@hookimpl
def register_jurisdictions() -> list[Jurisdiction]:
    return [NATIONAL, SHANGHAI_SEED, SHANGHAI_2020, BEIJING, HENAN_2017, WEIFANG]
