"""The Weifang profile as a third-party package would write it, registered through the ``wuye``
entry-point group. Weifang is built in since #18 (``plugins/jurisdictions/weifang.py``); this example
keeps its own code, ``weifang-example``, so both can be installed side by side."""

from __future__ import annotations

from core import Jurisdiction, Rule, Source, hookimpl
from plugins.jurisdictions.national import NATIONAL

WEIFANG_32 = Source("《潍坊市物业管理条例》第三十二条")

WEIFANG = NATIONAL.derive(
    "weifang-example",
    "山东省潍坊市（第三方插件示例）",
    summary="表决规则同民法典第二百七十八条（《山东省物业管理条例》第二十四条照录）；"
    "互联网表决须使用市级电子投票系统；一名受托人最多接受三名业主委托。",
    rules={
        "voting": {
            "proxy_cap": Rule(3, WEIFANG_32),
            "e_voting_channel": Rule("municipal_system", WEIFANG_32),
        }
    },
)


@hookimpl
def register_jurisdictions() -> list[Jurisdiction]:
    return [WEIFANG]
