"""Beijing: 北京市物业管理条例 (in force 2020-05-01, version dated 2024-03-29).

The regulation does not restate vote thresholds, so Civil Code Art. 278 applies directly; it adds the
3-day publication of decisions (Art. 37) and requires internet votes to use the municipal e-voting
system (Art. 35), recorded as a rule for the voting plugin to display.
"""

from __future__ import annotations

from core import Deadline, Rule, Source
from plugins.jurisdictions.group_rental_rules import GROUP_RENTAL_BEIJING
from plugins.jurisdictions.national import NATIONAL

BJ_35 = Source("《北京市物业管理条例》第三十五条")
BJ_37 = Source("《北京市物业管理条例》第三十七条")
BJ_DUAL = Source(
    "北京市业主大会电子投票做法（条文待核实）",
    grade="UNCONFIRMED",
    note="同一业主既在电子投票系统表决又交回纸质表决票的，以先收到的表决票为准；纸质票以交回时间计",
)

BEIJING = NATIONAL.derive(
    "beijing",
    "北京（物业管理条例）",
    summary="北京条例未另设表决比例，适用民法典第二百七十八条；业主大会决定应当在作出之日起3日内公告（第三十七条）；"
    "通过互联网方式表决的，应当使用市住房城乡建设主管部门建立的电子投票系统（第三十五条）。",
    deadlines={"voting.result_publication": Deadline(3, "calendar", BJ_37)},
    rules={
        "voting": {
            "e_voting_channel": Rule("municipal_system", BJ_35),
            "agenda_only": Rule(True, BJ_35),
            "dual_ballot": Rule("first", BJ_DUAL),
        },
        "group_rental": GROUP_RENTAL_BEIJING,
    },
)
