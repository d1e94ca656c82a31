"""Shanghai profiles: as the seed describes practice (``shanghai-seed``) and the 2020 regulation.

``shanghai-seed`` reproduces the thresholds of seed 000 §5/§9, which follow the pre-2021 texts (bases
are TOTAL area and TOTAL headcount; one property certificate counts as one owner). The Civil Code has
overridden them since 2021-01-01; the profile exists so that offices can reproduce historical counts and
so the difference is visible. ``shanghai-2020`` is 上海市住宅物业管理规定 (2020-12-30 second amendment),
Art. 18, which restates Civil Code Art. 278.
"""

from __future__ import annotations

from fractions import Fraction

from core import Deadline, Rule, Source, Threshold
from plugins.jurisdictions.group_rental_rules import GROUP_RENTAL_SHANGHAI
from plugins.jurisdictions.national import NATIONAL

SEED_5_5 = Source("上海市街道房屋管理事务机构职责（种子文件000）第5项 规范（五）", grade="S")
SEED_5_6 = Source("上海市街道房屋管理事务机构职责（种子文件000）第5项 规范（六）", grade="S")
SEED_9_6 = Source("上海市街道房屋管理事务机构职责（种子文件000）第9项 规范（六）", grade="S")
SEED_5_CERT = Source(
    "上海市街道房屋管理事务机构职责（种子文件000）第5项 程序1：一个产权证计为一个业主人数", grade="S"
)
SEED_5_PUBLISH = Source("上海市街道房屋管理事务机构职责（种子文件000）第5项", grade="S")
SH_2020_18 = Source("《上海市住宅物业管理规定》（2020年12月30日第二次修正）第十八条")
# housing_check: the two 核查办法 named in seed 000 §12 工作依据（三）（六）; basis per scheme UNCONFIRMED
SH_HOUSING_CHECK = Source(
    "《上海市廉租住房申请对象住房面积核查办法》《上海市共有产权保障房（经济适用住房）申请对象住房面积核查办法》",
    grade="UNCONFIRMED",
    note="廉租住房按居住面积、共有产权保障住房按建筑面积；换算系数未核实，不作换算",
)
SH_HOUSING_CHECK_RULES = {
    "area_basis": Rule({"low_rent": "living", "shared_ownership": "building"}, SH_HOUSING_CHECK),
    "area_conversion": Rule({}, SH_HOUSING_CHECK),
}

SHANGHAI_SEED = NATIONAL.derive(
    "shanghai-seed",
    "上海（种子文件000所述做法）",
    summary="会议须有专有部分占建筑物总面积过半数且占总人数过半数的业主参加；一般事项须经总面积过半数且总人数过半数的业主同意；"
    "专项维修资金管理规约及维修资金的筹集、使用须经总面积三分之二以上且总人数三分之二以上的业主同意。"
    "一个产权证计为一个业主人数。（民法典施行前口径，供对照。）",
    thresholds={
        "voting.participation": Threshold(Fraction(1, 2), False, "total", SEED_5_5),
        "voting.ordinary": Threshold(Fraction(1, 2), False, "total", SEED_5_6),
        "voting.major": Threshold(Fraction(2, 3), True, "total", SEED_9_6),
    },
    deadlines={"voting.result_publication": Deadline(3, "calendar", SEED_5_PUBLISH)},
    rules={
        "housing_check": SH_HOUSING_CHECK_RULES,
        "voting": {
            "headcount_method": Rule("per_certificate", SEED_5_CERT),
            "major_matters": Rule(("raise_fund", "use_fund"), SEED_9_6),
            "matter_rules": Rule(
                {
                    "rules_of_procedure": "voting.ordinary",
                    "covenant": "voting.ordinary",
                    # 《专项维修资金管理规约》: 总面积及总人数三分之二以上 (seed 000 §9 规范（六）)
                    "fund_covenant": "voting.major",
                    "elect_committee": "voting.ordinary",
                    "hire_firm": "voting.ordinary",
                    "use_fund": "voting.major",
                    "raise_fund": "voting.major",
                    "alter_rebuild": "voting.ordinary",
                    "change_common_use": "voting.ordinary",
                    "other": "voting.ordinary",
                },
                SEED_9_6,
            ),
        },
        "group_rental": GROUP_RENTAL_SHANGHAI,
    },
)

SHANGHAI_2020 = NATIONAL.derive(
    "shanghai-2020",
    "上海（住宅物业管理规定2020）",
    summary="《上海市住宅物业管理规定》第十八条与民法典第二百七十八条一致：参与表决须占专有部分面积和人数均三分之二以上；"
    "一般事项须经参与表决面积和人数均过半数同意；筹集维修资金、改建重建、改变共有部分用途或利用共有部分经营须经参与表决面积和人数均四分之三以上同意。",
    thresholds={
        "voting.participation": Threshold(Fraction(2, 3), True, "total", SH_2020_18),
        "voting.ordinary": Threshold(Fraction(1, 2), False, "participating", SH_2020_18),
        "voting.major": Threshold(Fraction(3, 4), True, "participating", SH_2020_18),
    },
    rules={
        "housing_check": SH_HOUSING_CHECK_RULES,
        "voting": {
            "proxy_must_follow_instructions": Rule(True, SH_2020_18),
        },
        "group_rental": GROUP_RENTAL_SHANGHAI,
    },
)
