"""The national profile: the Civil Code (民法典, in force 2021-01-01) and national regulations.

It is the default for every district and the parent the local profiles derive from. Grades follow
``shared/reference/jurisdiction-rules.md``: P = primary text read verbatim, S = secondary source.
"""

from __future__ import annotations

from fractions import Fraction

from core import Deadline, Jurisdiction, Rule, Source, Threshold
from plugins.jurisdictions.group_rental_rules import GROUP_RENTAL_NATIONAL

CIVIL_CODE_278 = Source("《中华人民共和国民法典》第二百七十八条第二款")
SPC_INTERPRETATION = (
    "最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释（法释〔2009〕7号，2020年修正）"
)
SPC_INTERPRETATION_8 = Source(SPC_INTERPRETATION + "第八条")
SPC_INTERPRETATION_9 = Source(SPC_INTERPRETATION + "第九条")
REGULATION_14 = Source("《物业管理条例》（2018年修订）第十四条")
SHENZHEN_EVOTING = Source(
    "《深圳市物业管理电子投票规则》（深建规〔2020〕14号）",
    grade="S",
    note="全国无明文规定；同一业主既网上投票又交回纸质票的，本平台默认以网上表决票为准",
)
PIPL_PUBLICATION = Source(
    "《中华人民共和国个人信息保护法》第六条、第二十五条",
    grade="S",
    note="处理个人信息应限于最小范围，不得公开其处理的个人信息（取得个人单独同意的除外）；"
    "公开的表决记录默认不含房号和姓名。须公布记名表决结果的地方在本地规则中改为 named",
)
SEED_000_5 = Source("上海市街道房屋管理事务机构职责（种子文件000）第5项", grade="S")
SEED_000_12 = Source("上海市街道房屋管理事务机构职责（种子文件000）第12项", grade="S")
OBJECTION_PERIOD = Source(
    "无全国统一规定（多地在公告最终表决结果前公示初步统计结果并设询异期）",
    grade="UNCONFIRMED",
    note="公示期天数以本地规则或业主大会议事规则为准；本平台默认 3 日",
)
PROXY_GUIDE = Source(
    "《业主大会和业主委员会指导规则》（建房〔2009〕274号）；《中华人民共和国民法典》第一百六十一条、第一百六十五条",
    grade="S",
    note="业主可以书面委托代理人表决，授权委托书载明代理事项、权限和期限；全国未限定一名受托人可代理的业主人数，"
    "受托人超越授权的表决对委托人不发生效力（民法典第一百七十一条）",
)
REVOTE = Source(
    "无全国统一规定（北京市业主大会电子投票做法及通行做法）",
    grade="UNCONFIRMED",
    note="每位业主只能表决一次，以首次提交的表决票为准，提交后不能更改；条文待核实",
)
OWNERSHIP_TRANSFER = Source(
    "无全国统一规定（北京等地业主大会电子投票实践）",
    grade="UNCONFIRMED",
    note="表决期间房屋产权转移的，原业主已表决（网上投票或已交回纸质表决票）则其表决有效；"
    "未表决的，原表决票作废，向新业主补发表决票。条文待核实",
)
HOUSING_CHECK_AREA = Source(
    "各地住房保障申请对象住房面积核查办法（无全国统一规定）",
    grade="UNCONFIRMED",
    note="按建筑面积计，不作换算",
)

NATIONAL = Jurisdiction(
    code="national",
    name="全国（民法典）",
    summary="民法典第二百七十八条：参与表决须占专有部分面积和人数均三分之二以上；一般事项须经参与表决面积和人数均过半数同意，"
    "筹集维修资金、改建重建、改变共有部分用途或利用共有部分经营须经参与表决面积和人数均四分之三以上同意。",
    timezone="Asia/Shanghai",
    calendar="cn",
    thresholds={
        "voting.participation": Threshold(Fraction(2, 3), True, "total", CIVIL_CODE_278),
        "voting.ordinary": Threshold(Fraction(1, 2), False, "participating", CIVIL_CODE_278),
        "voting.major": Threshold(Fraction(3, 4), True, "participating", CIVIL_CODE_278),
    },
    deadlines={
        "voting.notice": Deadline(15, "calendar", REGULATION_14),
        "voting.delivery": Deadline(7, "calendar", SEED_000_5),
        "voting.result_publication": Deadline(3, "calendar", SEED_000_5),
        # the preliminary result's objection period (询异期), when a meeting publishes one
        "voting.objection_period": Deadline(3, "calendar", OBJECTION_PERIOD),
        "housing_check.report": Deadline(10, "working", SEED_000_12),
    },
    rules={
        # housing_check: no national text says which area type counts; building area, no conversions
        "housing_check": {
            "area_basis": Rule({"low_rent": "building", "shared_ownership": "building"}, HOUSING_CHECK_AREA),
            "area_conversion": Rule({}, HOUSING_CHECK_AREA),
        },
        "voting": {
            "headcount_method": Rule("court_rule", SPC_INTERPRETATION_9),
            "area_source_order": Rule(("register", "survey", "contract"), SPC_INTERPRETATION_8),
            "major_matters": Rule(("raise_fund", "alter_rebuild", "change_common_use"), CIVIL_CODE_278),
            # No national text; the platform follows Shenzhen's e-voting rule (the online ballot counts
            # when an owner voted both ways). Values: "online" | "paper".
            "dual_ballot": Rule("online", SHENZHEN_EVOTING),
            # Proxies (委托投票): how many owners one proxy may represent (None: no cap) and whether the
            # proxy must vote as the authorisation instructs (instructions, when given, always bind).
            # An ownership transfer during the vote: "ballot_stands" (a ballot the old owner cast stands;
            # otherwise the new owner gets a reissued sheet) is the one value the platform carries out.
            "ownership_transfer": Rule("ballot_stands", OWNERSHIP_TRANSFER),
            # Revoting: "first" (one ballot per voter; the first received stands and cannot be changed)
            # is the one value the platform carries out — the protocol holds one ballot per voter.
            "revote": Rule("first", REVOTE),
            "proxy_cap": Rule(None, PROXY_GUIDE),
            "proxy_must_follow_instructions": Rule(False, PROXY_GUIDE),
            # What the public bundle shows (docs/protocol.md §10): "pseudonymous" (record numbers, areas
            # and heads; units and names only in the private record) | "named" (the private record is
            # published beside it).
            "published_record": Rule("pseudonymous", PIPL_PUBLICATION),
            # Art. 278 ¶1 items 1-9; ¶2: items 6-8 need the major rule, the others the ordinary one.
            "matter_rules": Rule(
                {
                    "rules_of_procedure": "voting.ordinary",
                    "covenant": "voting.ordinary",
                    "fund_covenant": "voting.ordinary",  # a covenant (item 2)
                    "elect_committee": "voting.ordinary",
                    "hire_firm": "voting.ordinary",
                    "use_fund": "voting.ordinary",
                    "raise_fund": "voting.major",
                    "alter_rebuild": "voting.major",
                    "change_common_use": "voting.major",
                    "other": "voting.ordinary",
                },
                Source("《中华人民共和国民法典》第二百七十八条"),
            ),
        },
        "group_rental": GROUP_RENTAL_NATIONAL,
    },
)
