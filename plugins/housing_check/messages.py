"""Every message the housing_check plugin shows to a person (Chinese), in one place."""

from core.messages import register_messages

MESSAGES = {
    # entrustments
    "housing_check_not_found": "未找到该核查委托",
    "housing_check_household_not_found": "未找到该申请家庭",
    "housing_check_attachment_not_found": "未找到该附件",
    "housing_check_invalid": "核查委托信息有 {count} 处问题，未保存任何数据",
    "housing_check_not_supervisor": "只有本街道住房状况核查的负责人才能执行此操作",
    "housing_check_not_assigned": "您未被指派办理该核查委托，不能查看或处理其中的个人信息",
    "housing_check_closed": "该核查委托已出具报告并办结，不能再修改",
    "housing_check_duplicate_letter": "委托书编号已登记：{letter_no}",
    "housing_check_officer_not_eligible": "{username} 不是本街道的工作人员，不能指派",
    "housing_check_no_officers": "请至少指派一名核查人员",
    "housing_check_field_blank": "“{field}”不能为空",
    "housing_check_field_too_long": "“{field}”过长（最多 {max} 个字符）",
    "housing_check_bad_scheme": (
        "保障类别有误：{value}（应为 low_rent 廉租住房 或 shared_ownership 共有产权保障住房）"
    ),
    "housing_check_received_future": "收到委托书日期不能晚于今天：{date}",
    "housing_check_no_households": "委托书未附任何申请家庭",
    # import rows
    "housing_check_file_unreadable": "无法读取核查对象名单：{detail}",
    "housing_check_file_format": "不支持的文件格式（仅支持 UTF-8 编码的 CSV 或 XLSX）：{name}",
    "housing_check_file_empty": "核查对象名单没有任何数据行",
    "housing_check_file_too_many_rows": "核查对象名单行数超过上限（{max} 行）",
    "housing_check_row_missing_column": "缺少列：{column}",
    "housing_check_row_unknown_column": "未知的列：{column}",
    "housing_check_row_blank": "“{column}”不能为空",
    "housing_check_row_too_long": "“{column}”过长（最多 {max} 个字符）",
    "housing_check_row_bad_id": "身份证号码有误：{value}（应为 18 位，最后一位为校验码）",
    "housing_check_row_duplicate_id": "身份证号码重复：{value}（与第 {first} 行相同）",
    "housing_check_row_no_applicant": "家庭 {household} 没有申请人（关系须有一行为“申请人”）",
    "housing_check_row_two_applicants": "家庭 {household} 有多名申请人（第 {first} 行已是申请人）",
    # steps and dwellings
    "housing_check_bad_step_kind": "核查步骤有误：{value}（应为 electronic、archive 或 visit）",
    "housing_check_bad_result": "核查结论有误：{value}（该步骤可选：{allowed}）",
    "housing_check_step_order_archive": "须先完成电子信息比对且比对无法核实，才能调取档案资料核查",
    "housing_check_step_order_visit": "须先调取档案且档案缺失或不完整，才能派员入户调查",
    "housing_check_step_before_receipt": "核查日期不能早于收到委托书之日（{date}）",
    "housing_check_step_future": "核查日期不能晚于今天：{date}",
    "housing_check_step_before_previous": "核查日期不能早于上一步骤的日期（{date}）",
    "housing_check_step_not_found": "未找到该核查步骤",
    "housing_check_officer_not_assigned": "核查人员须是本委托指派的人员：{username}",
    "housing_check_attachment_empty": "附件为空",
    "housing_check_attachment_too_large": "附件过大（最大 {max} MB）",
    "housing_check_bad_dwelling_kind": "住房类别有误：{value}（应为 home、other 或 compensated）",
    "housing_check_bad_area": "面积有误：{value}（应为大于 0 的数字，最多两位小数）",
    "housing_check_bad_area_type": "面积类型有误：{value}（应为 building、living 或 usable）",
    "housing_check_no_conversion": (
        "{scheme}按{basis}计算，{area_type}无换算规定：请按{basis}登记（{address}）"
    ),
    # report
    "housing_check_household_unchecked": "申请家庭 {household} 尚未完成核查（须有结论为“已核实”的核查步骤）",
}
register_messages(MESSAGES)

#: Labels shown in pages and documents.
LABELS = {
    "scheme.low_rent": "廉租住房",
    "scheme.shared_ownership": "共有产权保障住房",
    "step.electronic": "电子信息比对",
    "step.archive": "调取档案资料核查",
    "step.visit": "入户调查",
    "result.resolved": "已核实",
    "result.unresolved": "无法通过比对核实",
    "result.incomplete": "资料不完整",
    "result.none": "无住房资料",
    "dwelling.home": "现住房",
    "dwelling.other": "他处住房",
    "dwelling.compensated": "征收（拆迁）货币补偿的原住房",
    "area.building": "建筑面积",
    "area.living": "居住面积",
    "area.usable": "使用面积",
    "status.open": "办理中",
    "status.reported": "已出具报告",
    "provisional": "暂定（{years} 年国务院节假日安排尚未载入）",
    "overdue": "已逾期 {days} 个工作日",
    "days_left": "剩余 {days} 个工作日",
    "due_today": "今日到期",
    "met": "按期",
    "late": "逾期",
}


def label(key: str, **fmt: object) -> str:
    text = LABELS.get(key, key)
    return text.format(**fmt) if fmt else text


#: The computation, step by step (rules.compute).
LABELS.update(
    {
        "calc.basis": "计算口径：{scheme}按{basis}计算（依据：{source}）",
        "calc.dwelling": "{n}. {kind}：{address}，{area_type} {area} 平方米（来源：{source}）",
        "calc.convert": "；{frm}折算为{to}：{area} × {factor} = {converted} 平方米",
        "calc.total": "家庭住房面积合计：{terms} = {total} 平方米",
        "calc.none": "经核查未发现住房，家庭住房面积合计 0 平方米",
        "calc.per_person": "人均住房面积：{total} ÷ {members} 人 = {per_person} 平方米",
        "calc.rounded": "（四舍五入保留两位小数）",
    }
)

register_messages({"housing_check_report_missing": "该核查委托尚未出具报告"})

#: The report's fixed wording (report.py).
REPORT = {
    "issuer": "{district}房屋管理事务所",
    "title": "住房状况核查结果报告",
    "intro": "你单位{letter_no}号委托书于{received}收悉。我所依照申请对象住房面积核查办法，"
    "按电子信息比对、调取档案资料、入户调查的顺序，对{scheme}申请家庭共{count}户的住房状况进行了核查，现将结果报告如下：",
    "heading": "{n}、申请人{name}家庭（编号{no}）",
    "step": "{date}，{kind}（核查人员：{officer}）：{result}。{finding}",
    "conclusion": "核查结论：该家庭共{members}人，家庭住房面积合计{total}平方米（{basis}），"
    "人均住房面积{per_person}平方米。",
    "deadline": "本次核查期限为收到委托书之日起{days}个工作日，至{due}{provisional}；"
    "本报告于{issued}出具，{state}完成。",
    "provisional": "（暂定，当年节假日安排尚未载入）",
    "confidential": "本报告涉及申请家庭个人信息，仅供住房保障审核使用，请予保密，"
    "不得向与工作无关的组织或个人泄露。",
}
