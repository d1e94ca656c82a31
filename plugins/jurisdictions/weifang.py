"""Weifang (Shandong): 潍坊市物业管理条例.

Art. 32: internet voting goes through the city's system, and one proxy may hold the authorisations of
at most three owners. Thresholds are the Civil Code's (Art. 278).
"""

from __future__ import annotations

from core import Rule, Source
from plugins.jurisdictions.national import NATIONAL

WF_32 = Source("《潍坊市物业管理条例》第三十二条")

WEIFANG = NATIONAL.derive(
    "weifang",
    "潍坊（物业管理条例）",
    summary="潍坊条例未另设表决比例，适用民法典第二百七十八条；通过互联网表决的应当使用市物业管理信息平台；"
    "一名受托人最多接受三名业主的委托（第三十二条）。",
    rules={
        "voting": {
            "proxy_cap": Rule(3, WF_32),
            "e_voting_channel": Rule("municipal_system", WF_32),
        },
    },
)
