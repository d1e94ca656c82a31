"""Henan, the 2017 text of 河南省物业管理条例 (Property-Law model).

Overridden by Civil Code Art. 278 since 2021-01-01 (上位法); the 2021-07-30 amendment renumbered the
articles and whether it changed the thresholds is UNCONFIRMED. The objection vote for using the fund
(Art. 66) is recorded but off by default and flagged as a legal risk.
"""

from __future__ import annotations

from fractions import Fraction

from core import Rule, Source, Threshold
from plugins.jurisdictions.national import NATIONAL

HN_22 = Source("《河南省物业管理条例》（2017年）第二十二条", note="2021年修正后条文序号可能顺延")
HN_26 = Source("《河南省物业管理条例》（2017年）第二十六条第一款", note="2021年修正后条文序号可能顺延")
HN_66 = Source(
    "《河南省物业管理条例》（2017年）第六十六条",
    note="异议表决与民法典第二百七十八条参与表决比例的关系存疑，默认关闭，启用前须经法律审查",
)
HN_92_93 = Source("《河南省物业管理条例》（2017年）第九十二条、第九十三条")

HENAN_2017 = NATIONAL.derive(
    "henan-2017",
    "河南（物业管理条例2017年文本）",
    summary="会议须有专有部分占建筑物总面积过半数且占总人数过半数的业主参加；改建重建、筹集和使用维修资金须经总面积和总人数三分之二以上的业主同意；"
    "其他事项须经总面积和总人数过半数的业主同意。（物权法时代口径，2021年起民法典优先适用。）",
    thresholds={
        "voting.participation": Threshold(Fraction(1, 2), False, "total", HN_26),
        "voting.ordinary": Threshold(Fraction(1, 2), False, "total", HN_22),
        "voting.major": Threshold(Fraction(2, 3), True, "total", HN_22),
        # Art. 66: with objection voting, the motion fails when objectors exceed 1/3 of total area or
        # of total headcount.
        "voting.objection": Threshold(Fraction(1, 3), False, "total", HN_66),
    },
    rules={
        "voting": {
            "headcount_method": Rule("court_rule", HN_92_93),
            "major_matters": Rule(("alter_rebuild", "raise_fund", "use_fund"), HN_22),
            "matter_rules": Rule(
                {
                    "rules_of_procedure": "voting.ordinary",
                    "covenant": "voting.ordinary",
                    "fund_covenant": "voting.ordinary",
                    "elect_committee": "voting.ordinary",
                    "hire_firm": "voting.ordinary",
                    "use_fund": "voting.major",
                    "raise_fund": "voting.major",
                    "alter_rebuild": "voting.major",
                    "change_common_use": "voting.ordinary",
                    "other": "voting.ordinary",
                },
                HN_22,
            ),
            "objection_vote_matters": Rule((), HN_66),
        },
    },
)
