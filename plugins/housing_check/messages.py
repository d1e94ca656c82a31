"""Every message the housing_check plugin shows to a person (Chinese), in one place."""

from core import Column, Labels

#: The error catalogue (code -> Chinese message) that plugin.py hands to core through the
#: ``register_messages`` hook; the other tables below are the plugin's page and document wording.
ERRORS: dict[str, str] = {}

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
    "housing_check_unassign_unknown": "{username} 未被指派办理本委托",
    "housing_check_dwelling_not_found": "未找到该住房记录",
    "housing_check_reason_required": "请填写删除理由",
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
    "housing_check_file_format": "不支持的文件格式（仅支持 CSV 或 XLSX）：{name}",
    "housing_check_list_too_large": "核查对象名单文件过大（最大 {max} MB）",
    "housing_check_file_empty": "核查对象名单没有任何数据行",
    "housing_check_file_too_many_rows": "核查对象名单行数超过上限（{max} 行）",
    "housing_check_row_missing_column": "缺少列：{column}",
    "housing_check_row_header_rows": (
        "第 {row} 行像是表头的一部分，但表头在第 {header} 行：请只保留一行表头（上方可有一行标题）"
    ),
    "housing_check_row_unknown_column": "未知的列：{column}",
    "housing_check_row_duplicate_column": "列重复：{column}（每列只能出现一次）",
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
ERRORS.update(MESSAGES)

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


#: ``label("status.open")``, ``label("overdue", days=2)``: a word of LABELS (the key itself if unknown).
label = Labels(LABELS)


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

ERRORS.update({"housing_check_report_missing": "该核查委托尚未出具报告"})

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

ERRORS.update(
    {
        "housing_check_form_expected": "请通过控制台的表单提交",
        "housing_check_list_missing": "请上传核查对象名单，或在文本框中逐行录入申请家庭成员",
        "housing_check_list_both": "上传名单和逐行录入只能选择一种",
        "housing_check_line_fields": "应为 4 项（户编号、姓名、身份证号码、关系），本行有 {count} 项",
    }
)

#: The console pages' wording (plugins/housing_check/templates/*.html read it as ``T``).
PAGE = {
    "title": "住房状况核查",
    "intro": "受街道（乡镇）住房保障实施机构委托，在收到委托书之日起 10 个工作日内出具核查报告。"
    "核查信息予以保密，仅指派的核查人员和本街道核查负责人可见。",
    "open_heading": "办理中的委托（按到期日排列）",
    "closed_heading": "已办结",
    "none_open": "没有您可查看的办理中委托。",
    "none_closed": "暂无。",
    "col_entrustment": "委托编号",
    "col_office": "委托单位",
    "col_scheme": "保障类别",
    "col_letter_no": "委托书编号",
    "col_received": "收到日期",
    "col_households": "户数",
    "col_due": "到期日",
    "col_state": "期限",
    "col_reported": "出具日期",
    "col_met": "是否按期",
    "new_heading": "登记委托书",
    "new_hint": "核查对象可以上传委托单位发来的名单"
    "（CSV 或 XLSX，列：户编号、姓名、身份证号码、关系；可下载模板填写），"
    "也可以在下面的文本框中逐行录入（每行一人：户编号 姓名 身份证号码 关系，用空格、逗号或制表符分隔；"
    "每户须有一行关系为“申请人”）。有任何错误时不保存任何数据。",
    "f_office": "委托单位",
    "f_scheme": "保障类别",
    "f_letter_no": "委托书编号",
    "f_received": "收到委托书日期",
    "f_file": "上传核查对象名单（CSV/XLSX）",
    "file_limit": "文件不超过 {mb} MB",
    "file_limit_each": "每个文件不超过 {mb} MB",
    "template_link": "下载填写模板",
    "export_link": "导出 Excel",
    "f_people": "或逐行录入申请家庭成员",
    "f_people_example": "H1 张伟 310101198001010114 申请人",
    "b_create": "登记委托书",
    "errors_heading": "未保存：",
    "row": "第 {row} 行",
    "field": "“{name}”",
    # the entrustment page
    "entrustment_title": "核查委托 {id}",
    "status": "状态",
    "provisional_mark": "（暂定）",
    "officers_heading": "核查人员",
    "no_officers": "尚未指派核查人员。",
    "assign_hint": "勾选本街道的工作人员（只有被指派的人员和核查负责人能查看申请家庭的信息）：",
    "b_assign": "指派",
    "households_heading": "申请家庭",
    "col_household_no": "户编号",
    "col_applicant": "申请人",
    "col_applicant_id": "身份证号码（隐去）",
    "col_members": "人数",
    "col_checked": "核查情况",
    "col_action": "操作",
    "checked": "已核实",
    "unchecked": "核查中",
    "open_household": "办理",
    "report_heading": "核查结果报告",
    "report_hint": "每户须有结论为“已核实”的核查步骤。出具报告后本委托办结，不能再修改。",
    "b_issue": "出具核查结果报告",
    "b_download_report": "下载核查结果报告（docx）",
    "report_number": "报告文号：",
    "back_home": "返回委托列表",
    # the household page
    "household_title": "申请家庭 {no}",
    "back_entrustment": "返回委托 {id}",
    "members_heading": "家庭成员",
    "col_name": "姓名",
    "col_id_number": "身份证号码",
    "col_relation": "关系",
    "steps_heading": "核查步骤",
    "steps_hint": "顺序：电子信息比对 → 比对无法核实时调取档案资料 → 档案缺失或不完整时入户调查。",
    "no_steps": "尚未记录核查步骤。",
    "col_date": "日期",
    "col_step": "步骤",
    "col_officer": "核查人员",
    "col_result": "结论",
    "col_finding": "核查情况",
    "col_attachments": "附件",
    "b_attach": "上传附件",
    "step_form_heading": "记录核查步骤",
    "f_step": "步骤及结论",
    "f_date": "核查日期",
    "f_officer": "核查人员",
    "f_finding": "核查情况",
    "f_attachments": "附件（可多选，保存时计算 SHA-256）",
    "b_step": "保存核查步骤",
    "dwellings_heading": "核查发现的住房",
    "no_dwellings": "尚未登记住房。",
    "col_kind": "类别",
    "col_address": "地址",
    "col_holder": "权利人",
    "col_area": "面积（平方米）",
    "col_area_type": "面积类型",
    "col_source": "面积来源",
    "dwelling_form_heading": "登记住房",
    "f_kind": "住房类别",
    "f_address": "地址",
    "f_holder": "权利人（家庭成员）",
    "f_area": "面积（平方米，最多两位小数）",
    "f_area_type": "面积类型（本类别按{basis}计算）",
    "f_source": "面积来源",
    "f_source_options": "不动产登记信息、公房租赁凭证、权属档案、测绘报告、入户丈量",
    "f_from_step": "依据的核查步骤（可不选）",
    "b_dwelling": "登记住房",
    "computation_heading": "住房面积计算",
    "closed_notice": "本委托已出具报告并办结，信息只读。",
    # after a successful form
    "done.created": "委托书已登记。请指派核查人员。",
    "done.officers": "已指派核查人员。",
    "done.step": "核查步骤已保存。",
    "done.attachment": "附件已保存。",
    "done.dwelling": "住房已登记。",
    "done.report": "核查结果报告已出具，本委托办结。",
    # confirmation panels (core.web.confirm)
    "confirm_report_title": "确认出具核查结果报告",
    "confirm_report_summary": (
        "将为委托书 {letter_no}（{office}）出具核查结果报告，共 {households} 户，均已核实；"
        "出具后本委托办结，不能再录入核查步骤、修改住房或指派人员。"
    ),
    "confirm_report_deadline": "办理期限：{due}；{state}。",
    "confirm_report_button": "确认出具",
    "confirm_irreversible": "此操作不可撤销。",
    "confirm_duplicate_title": "委托书编号 {letter_no} 已登记过",
    "confirm_duplicate_line": "{entrustment}：{office}，{received} 收到，{status}",
    "confirm_duplicate_hint": "同一委托书重复登记会使同一批家庭被核查两次。确属另一份委托书的，可仍然创建。",
    "confirm_duplicate_button": "仍然创建",
    "confirm_file_again": "名单文件（浏览器不能代为保留已选的文件，请重新选择）",
    "done.unassign": "已取消指派。",
    "done.withdraw": "住房记录已删除（理由已记入操作日志）。",
    "b_unassign": "取消指派",
    "b_withdraw": "删除",
    "withdraw_reason": "删除理由（必填，如：录入有误）",
}

#: Column names of the household list, for errors by row.
LABELS.update(
    {
        "column.household_no": "户编号",
        "column.name": "姓名",
        "column.id_number": "身份证号码",
        "column.relation": "关系",
        "column.entrusting_office": "委托单位",
        "column.scheme": "保障类别",
        "column.letter_no": "委托书编号",
        "column.received_on": "收到委托书日期",
        "column.data": "核查对象名单",
    }
)

#: What ``wuye demo`` reports (demo.py).
DEMO = {
    "supervisor": "账号 {username} 兼任住房状况核查负责人",
    "checker": "账号 {username}：{name}，密码 {password}",
    "exists": "住房状况核查委托：已存在",
    "created": "住房状况核查委托 {count} 件（{ids}，前者第 1 户已核查）",
}


#: The columns of the entrusting office's list of households (核查对象名单): English names, the
#: template's headings, other headings offices use, and the template's "填写说明".
HOUSEHOLD_COLUMNS = (
    Column(
        "household_no",
        "户编号",
        ("户号", "家庭编号", "申请编号", "申请家庭编号", "序号"),
        meaning="申请家庭的编号：同一家庭的成员填写相同的编号",
        example="2026-001",
    ),
    Column(
        "name", "姓名", ("成员姓名", "家庭成员姓名", "申请人姓名"), meaning="家庭成员的姓名", example="张三"
    ),
    Column(
        "id_number",
        "身份证号码",
        ("身份证号", "公民身份号码", "证件号码", "身份证"),
        meaning="18 位居民身份证号码（最后一位可为 X）",
        allowed="18 位，校验码须正确",
        example="110101199003071233",
    ),
    Column(
        "relation",
        "关系",
        ("与申请人关系", "家庭关系", "成员关系"),
        meaning="与申请人的关系；每户须有且只有一行为“申请人”",
        allowed="申请人、配偶、子女、父母 等",
        example="申请人",
    ),
)


#: The XLSX the console hands out: the households template and the exported list of entrustments.
EXPORT_WORDS = {
    "households_sheet": "核查对象名单",
    "households_file": "核查对象名单填写模板.xlsx",
    "households_note": "每位家庭成员一行；同一家庭的成员户编号相同，其中一人的关系为“申请人”。",
    "entrustments_sheet": "核查委托",
    "entrustments_file": "核查委托-{district}.xlsx",
}
ENTRUSTMENT_HEADINGS = (
    "委托编号",
    "委托单位",
    "保障类别",
    "委托书编号",
    "收到日期",
    "户数",
    "到期日",
    "期限",
    "出具日期",
    "状态",
)

#: The morning board (core.board): what an open entrustment owes, in words.
BOARD = {
    "task": "出具住房状况核查结果报告",
    "subject": "{office}委托（{letter_no}，{households} 户）",
    "left": "剩 {days} 个工作日",
    "late": "已超期 {days} 个工作日",
    "today": "今日到期",
}
