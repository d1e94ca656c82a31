"""Every message the group_rental plugin shows to a person (Chinese), in one place."""

from core import Labels

#: The error catalogue (code -> Chinese message) that plugin.py hands to core through the
#: ``register_messages`` hook; the other tables below are the plugin's page and document wording.
ERRORS: dict[str, str] = {}

MESSAGES = {
    # input
    "group_rental_bad_field": "检查记录字段有误：{field}（{problem}）",
    "group_rental_bad_json": "检查记录不是有效的 JSON：{detail}",
    "group_rental_bad_case_field": "案件信息有误：{field}（{problem}）",
    # workflow
    "group_rental_case_not_found": "未找到该群租案件：{case}",
    "group_rental_order_not_found": "未找到该责令改正通知书：第 {number} 号",
    "group_rental_not_determined": "该案件尚无认定为群租的检查记录，不能制发责令改正通知书",
    "group_rental_order_exists": "该案件已有未作废的责令改正通知书（第 {number} 号），如需更改请作废重发",
    "group_rental_order_served": "该通知书已于 {at} 送达，不能再修改，只能作废并重新制发",
    "group_rental_order_superseded": "该通知书已作废（被第 {number} 号取代）",
    "group_rental_service_signed_needs_name": "直接签收送达须填写签收人",
    "group_rental_service_posting_needs_photos": "上门张贴送达须至少附一张张贴现场照片",
    "group_rental_service_bad_method": "送达方式有误：{method}（应为 signed 或 posted）",
    "group_rental_service_future": "送达时间不能晚于当前时间",
    "group_rental_photo_unknown": "照片不属于本案件：{sha256}",
    "group_rental_photo_empty": "照片文件为空",
    "group_rental_photo_too_large": "照片过大（最多 {max_mb} MB）",
    "group_rental_photo_type": "不支持的照片格式：{name}（仅支持 JPEG、PNG）",
    "group_rental_reinspect_not_served": "责令改正通知书尚未送达，不能进行复查",
    "group_rental_case_closed": "该案件已办结（{status}），不能再办理",
    "group_rental_escalate_not_due": "只有复查认定未改正的案件才能移送区房管部门（当前状态：{status}）",
    "group_rental_unknown_jurisdiction": "未找到该地区规则：{code}",
    "group_rental_service_before_issue": "送达时间不能早于通知书制发日期（{date}）",
    "group_rental_photo_race": "同一张照片正由他人同时上传，请刷新页面后查看",
    "group_rental_escalated_twice": "该案件已由他人移送区房管部门，请刷新页面",
    "group_rental_no_package": "该案件尚未移送，没有移送材料可下载",
}
ERRORS.update(MESSAGES)

#: Texts of the determination (findings, exceptions, refusals).
FINDINGS = {
    "c1": "单位集体宿舍设在住宅小区内",
    "c2_partitioned": "原始设计为居住空间的房间（{use}）分割、搭建后出租",
    "c2_bed": "按床位出租",
    "c3": "原始设计为{use}的非居住空间出租供人员居住",
    "c4": (
        "人均居住面积 {per_person} 平方米，低于 {min} 平方米（使用面积 {area} 平方米，居住 {occupants} 人）"
    ),
    "c5": "居住 {occupants} 人，超过每间 {max} 人",
    "c5_family_exception": (
        "居住 {occupants} 人，超过每间 {max} 人，但相互间均有法定赡养、抚养、扶养义务，不计入"
    ),
    "living_room_applied": (
        "代理经租机构将使用面积 {area} 平方米（不少于 {min} 平方米）的客厅分隔后作为一间单独出租，"
        "具备直接采光和自然通风条件，不作为“群租”认定（本套住房仅限一次）"
    ),
    "refused_not_agency": "非代理经租住房，不适用客厅分隔例外",
    "refused_profile": "本地规则未设客厅分隔例外",
    "refused_use": "{use}不适用客厅分隔例外（仅限客厅、起居室）",
    "refused_area": "客厅使用面积 {area} 平方米，不足 {min} 平方米",
    "refused_daylight": "不具备直接采光条件",
    "refused_ventilation": "不具备自然通风条件",
    "refused_once": "同一套住房只能分隔一间客厅出租，已适用于“{other}”",
    "refused_bed": "按床位出租，不适用客厅分隔例外",
}

USES = {
    "living": "居室",
    "living_room": "客厅（起居室）",
    "dining": "餐厅",
    "hall": "过厅",
    "kitchen": "厨房",
    "bathroom": "卫生间",
    "balcony": "阳台",
    "basement_storage": "地下储藏室",
}

CRITERIA = {
    1: "将单位集体宿舍设在住宅小区内",
    2: "将原始设计为居住空间的房间分割、搭建后出租，或按床位出租",
    3: "将厨房、卫生间、阳台、地下储藏室等非居住空间出租供人员居住",
    4: "出租房间的人均居住面积低于规定标准",
    5: "每个出租房间的居住人数超过规定人数（有法定赡养、抚养、扶养义务关系的除外）",
}

AREA_BASIS = {
    "usable_area_of_living_rooms": "原始设计为居住空间的房间的使用面积",
    "living_area": "居住面积",
    "floor_area": "建筑面积（由当地人民政府规定标准）",
}

LABELS = {
    "status.open": "待检查",
    "status.no_violation": "未认定群租（已办结）",
    "status.determined": "已认定群租",
    "status.ordered": "已制发通知书",
    "status.served": "已送达，待复查",
    "status.rectified": "已改正（已办结）",
    "status.unrectified": "逾期未改正",
    "status.escalated": "已移送区房管部门",
    "order.draft": "未送达",
    "order.served": "已送达",
    "order.superseded": "已作废",
    "service.signed": "直接签收送达",
    "service.posted": "上门张贴送达（拍照留档）",
    "source.complaint": "投诉举报",
    "source.inspection": "日常巡查",
    "yes": "是",
    "no": "否",
}


#: ``label("status.open")``: a value's words on a page or in a document (an unknown key as itself).
label = Labels(LABELS)


FIELD_PROBLEMS = {
    "missing": "缺少此项",
    "bool": "应为 true 或 false",
    "int": "应为不小于 0 的整数",
    "area": '应为大于 0 的数字字符串，最多两位小数，如 "12.50"',
    "use": "应为 living、living_room、dining、hall、kitchen、bathroom、balcony、basement_storage 之一",
    "text": "应为非空文字（最多 {max} 字）",
    "control": "含有不可见的控制字符",
    "list": "应为非空列表",
    "object": "应为 JSON 对象",
    "unknown": "未知的字段",
    "duplicate": "房间名称重复",
    "date": "应为 YYYY-MM-DD 格式的日期，且不晚于今天",
    "datetime": "应为 ISO 8601 时间（如 2026-11-23T10:00:00+08:00）",
    "source": "应为 complaint（投诉举报）或 inspection（日常巡查）",
    "purpose": "应为 inspection（检查照片）或 posting（张贴照片）",
    "estate": "本辖区没有该小区",
    # what the API's decoding of a body finds besides (core.BodyProblem kinds the words above miss)
    "str": "应为文字",
    "value": "取值不符合要求",
    "json": "无法解析（请检查括号、引号和逗号）",
    "empty": "缺少请求内容",
}

#: Field names in words, for the console (``flat.`` and ``rooms[i].`` are put into words by forms.py).
FIELD_LABELS = {
    "$": "提交的内容",
    "address": "房屋地址",
    "party": "当事人",
    "source": "来源",
    "complaint": "投诉内容",
    "estate": "所在小区",
    "inspected_on": "检查日期",
    "inspectors": "检查人员",
    "notes": "备注",
    "flat": "房屋情况",
    "collective_dormitory": "单位集体宿舍",
    "agency_managed": "代理经租",
    "rooms": "房间",
    "name": "房间名称",
    "designed_use": "原设计用途",
    "usable_area_m2": "使用面积",
    "let": "是否出租",
    "occupants": "居住人数",
    "occupants_family": "法定赡养、抚养、扶养关系",
    "partitioned": "分割搭建",
    "let_by_bed": "按床位出租",
    "daylight": "直接采光",
    "ventilation": "自然通风",
    "addressee": "受送达人",
    "issuing_office": "制发机关",
    "doc_number": "文号",
    "method": "送达方式",
    "served_at": "送达时间",
    "received_by": "签收人",
    "served_by": "送达人",
    "note": "备注",
    "photos": "照片",
    "purpose": "照片用途",
    "recipient": "接收部门",
}

FORM_TEXT = {
    "room_field": "第 {n} 个房间{name}的{field}",
    "field_error": "{field}：{problem}",
}

#: Where a page can say better than the API what to do about a field (``FIELD_PROBLEMS`` otherwise).
PAGE_PROBLEMS = {
    "inspectors": "请至少填写一名检查人员（每人不超过 50 字）",
    "flat.rooms": "请至少录入一个房间（最多 60 个）",
    "served_at": "请填写送达时间（年-月-日 时:分）",
    "inspected_on": "请填写检查日期，且不晚于今天",
}

#: What the case page says after a form went through (``?done=<key>``).
#: The confirmation panels of the console's forms (core.web.confirm).
CONFIRM = {
    "duplicate_title": "该地址已有办理中的案件",
    "duplicate_line": "{case}：{address}，{opened} 登记，{status}",
    "duplicate_hint": (
        "同一房屋重复立案会使检查、责令和复查分散在两个案件中；如属同一投诉，"
        "请在原案件中办理。确属新的违法行为的，可仍然创建。"
    ),
    "duplicate_button": "仍然创建",
    "escalate_title": "确认移送区房管部门",
    "escalate_summary": (
        "将生成案件 {case}（{address}）的移送材料并移送“{recipient}”；"
        "移送后本案件在街道办结，不能再录入复查、制发或更正责令改正通知书。"
    ),
    "escalate_button": "确认移送",
    "supersede_title": "确认作废第 {number} 号通知书并重新制发",
    "supersede_summary": (
        "第 {number} 号责令改正通知书（{status}）将标注作废"
        "、保留存档；按原认定重新制发一份，整改期限重新计算，新通知书须重新送"
        "达。"
    ),
    "supersede_button": "确认作废并重新制发",
    "irreversible": "此操作不可撤销。",
}

DONE = {
    "opened": "案件已登记。请录入检查认定记录。",
    "determined": "检查记录已保存：认定为“群租”。可以制发责令改正通知书。",
    "no_violation": "检查记录已保存：不属于“群租”，案件办结。",
    "rectified": "复查记录已保存：已改正，案件办结。",
    "unrectified": "复查记录已保存：逾期未改正，可以移送区房管部门。",
    "photos": "照片已保存。",
    "ordered": "责令改正通知书已制发（未送达），请下载打印后送达。",
    "edited": "通知书已修改。",
    "superseded": "原通知书已作废，新通知书已制发。",
    "served": "送达情况已记录，通知书已锁定。",
    "escalated": "移送材料已生成并存档，可随时重新下载。",
}

#: Names of the numbers a finding rests on (``values`` of a finding).
VALUE_LABELS = {
    "usable_area_m2": "使用面积（平方米）",
    "occupants": "居住人数",
    "area_per_person_m2": "人均居住面积（平方米）",
    "min_area_per_person_m2": "最低标准（平方米/人）",
    "max_persons_per_room": "每间最多人数",
    "designed_use": "原设计用途",
    "let_by_bed": "按床位出租",
}

OFFICES = {
    "office": "{district}房屋管理事务所",
    "recipient": "{region}房屋管理局",
    "recipient_plain": "区房屋管理局",
}

FILE_NAMES = {
    "order": "责令改正通知书-{case}-{number}.docx",
    "package": "群租案件移送材料-{case}.zip",
}


#: Every text of the console pages (plugins/group_rental/templates/*.html read them as ``ui.<key>``).
UI = {
    "col_source": "来源",
    "col_action": "操作",
    "col_created": "立案时间",
    "title": "群租认定与整改",
    "profile": "适用规则：",
    "no_local_limits": "本规则未设人均居住面积和每间居住人数标准，第4、5项不适用（由当地人民政府规定）。",
    "choose_profile": "在辖区页面选用地方规则",
    "overdue": "逾期未复查",
    "no_overdue": "没有逾期未复查的案件。",
    "cases": "案件",
    "no_cases": "尚无群租案件。",
    "col_case": "案件",
    "col_address": "房屋地址",
    "col_party": "当事人",
    "col_status": "状态",
    "col_deadline": "整改期限",
    "col_days_overdue": "已逾期（天）",
    "open_case": "登记案件",
    "open_submit": "登记",
    "address": "房屋地址",
    "party": "出租人或代理经租机构",
    "estate": "所在小区",
    "estate_none": "（不在已登记小区内）",
    "source": "来源",
    "complaint": "投诉内容",
    "status": "状态",
    "case_heading": "群租案件",
    "rules_locked": "适用规则：{name}，立案时锁定；此后规则调整不影响本案认定和期限。",
    "overdue_by": "整改期限 {deadline} 已过 {days} 天，尚未复查。",
    "inspections": "检查与认定",
    "no_inspections": "尚无检查记录。",
    "kind_initial": "认定检查",
    "kind_reinspection": "复查",
    "inspectors": "检查人员",
    "inspectors_hint": "检查人员（多人用顿号或逗号分隔）",
    "present": "会同",
    "police_present": "公安",
    "committee_present": "居委会",
    "property_present": "物业",
    "collective_dormitory": "单位集体宿舍",
    "agency_managed": "代理经租机构管理的住房",
    "room_name": "房间",
    "designed_use": "原设计用途",
    "area": "使用面积（平方米）",
    "let": "出租",
    "occupants": "居住人数",
    "room_flags": "情况",
    "flag_occupants_family": "均有法定赡养、抚养、扶养关系",
    "flag_partitioned": "分割搭建",
    "flag_let_by_bed": "按床位出租",
    "flag_daylight": "直接采光",
    "flag_ventilation": "自然通风",
    "conclusion": "结论",
    "group_rental": "属于“群租”",
    "not_group_rental": "不属于“群租”",
    "rectified": "已改正",
    "criterion": "情形",
    "criterion_no": "第{n}项",
    "whole_flat": "整套住房",
    "facts": "事实",
    "numbers": "认定数据",
    "article": "依据",
    "exception_family": "适用例外（法定赡养、抚养、扶养关系）",
    "exception_living_room": "适用例外（代理经租客厅分隔）",
    "inspect": "录入检查认定记录",
    "inspect_again": "重新检查认定（更正认定记录）",
    "reinspect": "录入复查记录",
    "inspected_on": "检查日期",
    "add_room": "添加房间",
    "remove_room": "删除",
    "notes": "备注",
    "save_inspection": "保存检查记录并认定",
    "photos": "照片",
    "no_photos": "尚无照片。",
    "photo_file": "文件",
    "photo_purpose": "用途",
    "photo_caption": "说明",
    "purpose_inspection": "检查照片",
    "purpose_posting": "张贴照片",
    "photo_upload": "上传照片（JPEG、PNG，可多选）",
    "file_limit_each": "每个文件不超过 {mb} MB",
    "export_link": "导出 Excel",
    "upload": "上传",
    "orders": "责令改正通知书",
    "no_orders": "尚未制发。",
    "order_no": "第{n}号",
    "addressee": "受送达人",
    "issuing_office": "制发机关",
    "doc_number": "文号",
    "deadline": "整改期限",
    "provisional": "（工作日安排未公布，期限暂定）",
    "download_order": "下载通知书",
    "superseded_by": "已被第{n}号通知书取代。",
    "received_by": "签收人",
    "posting_photos": "张贴照片 {n} 张",
    "frozen": "送达文本已锁定",
    "edit_order": "修改通知书（送达前）",
    "save": "保存",
    "record_service": "记录送达",
    "served_at": "送达时间",
    "served_by": "送达人",
    "posting_upload": "张贴现场照片（可多选；也可勾选已上传的照片）",
    "save_service": "保存送达记录",
    "supersede": "作废并重新制发",
    "supersede_hint": "原通知书保留存档并标注作废，按原认定重新制发一份（整改期限重新计算）。",
    "supersede_submit": "作废并重新制发",
    "issue_hint": (
        "根据认定结果制发责令改正通知书。整改期限 {days} {unit}，自制发次日起算（按立案时锁定的规则）。"
    ),
    "unit_calendar": "日",
    "unit_working": "个工作日",
    "period_unconfirmed": "法规只规定“责令限期改正”，未规定天数：此期限为办公室设置，可在地区规则中调整。",
    "issue_order": "制发通知书",
    "escalation": "移送区房管部门",
    "escalated_to": "已于 {at} 移送{recipient}。",
    "download_package": "下载移送材料（zip）",
    "escalate_hint": "复查认定逾期未改正：将认定、送达材料、检查记录和照片移送区房管部门依法处理。",
    "recipient": "接收部门",
    "recipient_default": "默认：所在区房屋管理局",
    "escalate": "生成移送材料",
    "back": "返回案件列表",
    "failed_open": "案件未登记：",
    "failed_inspection": "检查记录未保存：",
    "failed_photos": "照片未上传：",
    "failed_order": "通知书未制发：",
    "failed_edit": "通知书未修改：",
    "failed_supersede": "通知书未作废：",
    "failed_service": "送达情况未记录：",
    "failed_escalation": "未能移送：",
}

#: The texts of the documents (order, inspection record, proof of service, cover letter, package names).
DOCUMENT = {
    "order_title": "责令改正通知书",
    "whole_flat": "整套住房",
    "unit_calendar": "日",
    "unit_working": "个工作日",
    "police_present": "公安",
    "committee_present": "居委会",
    "property_present": "物业",
    "none": "无",
    "row_case": "案件编号",
    "row_address": "房屋地址",
    "row_kind": "检查类别",
    "kind_initial": "认定检查",
    "kind_reinspection": "复查",
    "row_date": "检查日期",
    "row_inspectors": "检查人员",
    "row_present": "会同部门",
    "row_dormitory": "单位集体宿舍",
    "row_agency": "代理经租",
    "row_basis": "面积口径",
    "rooms": "各房间情况：",
    "flag_partitioned": "分割搭建",
    "flag_let_by_bed": "按床位出租",
    "flag_occupants_family": "居住人相互有法定扶养义务",
    "flag_daylight": "直接采光",
    "flag_ventilation": "自然通风",
    "room": "{name}：原设计用途{use}，使用面积 {area} 平方米，{let}，居住 {occupants} 人{flags}。",
    "let": "出租",
    "not_let": "未出租",
    "found": "认定结论：属于“群租”。符合以下情形：",
    "finding": "第{criterion}项（{room}）：{detail}。依据：{article}。",
    "not_found": "认定结论：不属于“群租”。",
    "rectified": "复查结论：已改正。",
    "exception": "适用例外（{room}）：{detail}。依据：{article}。",
    "notes": "备注：{notes}",
    "title_initial": "群租检查认定记录",
    "title_reinspection": "群租整改复查记录",
    "service_title": "送达回证",
    "row_document": "送达文书",
    "document": "责令改正通知书（第{number}号）{doc_number}",
    "row_digest": "文书摘要（SHA-256）",
    "row_addressee": "受送达人",
    "row_place": "送达地点",
    "row_method": "送达方式",
    "row_served_at": "送达时间",
    "served_at": "{date}{hour}时{minute:02d}分",
    "row_received_by": "签收人",
    "row_served_by": "送达人",
    "posting_photos": "张贴现场照片 {n} 张，随案卷存档。",
    "cover_title": "关于移送群租违法行为案件材料的函",
    "cover_found": "经会同公安、居委会、物业等部门检查，位于{address}的房屋存在“群租”情形{date}。",
    "cover_found_date": "（检查日期：{date}）",
    "cover_served": "我所已向{addressee}送达《责令改正通知书》（第{number}号），责令其于{deadline}前改正。",
    "cover_unrectified": "经{date}复查，当事人逾期未改正。",
    "cover_request": (
        "现将认定及送达材料移送你局，请依法处理。我所将配合提供当事人联系方式等情况，协助调查取证。"
    ),
    "cover_manifest": "案件编号：{case}。移送材料见附件。",
    "cover_photos": "现场照片 {n} 张",
    "attach_order": "责令改正通知书（第{number}号）{state}",
    "attach_service": "送达回证（第{number}号通知书）{state}",
    "attach_record": "{kind}记录（{date}）",
    "file_cover": "00-移送函.docx",
    "file_order": "01-责令改正通知书-第{number}号{state}.docx",
    "file_service": "02-送达回证-第{number}号{state}.docx",
    "file_record": "03-检查记录-{index}-{kind}.docx",
    "file_photo": "04-照片/{folder}/{name}.{ext}",
    "superseded": "（已作废）",
    "folder_posting": "张贴照片",
    "folder_inspection": "检查照片",
}

#: What ``wuye group_rental …`` prints.
CLI = {
    "unreadable": "无法读取文件：{error}",
    "json_line": "第 {line} 行：{error}",
    "help_jurisdiction": "地区规则编号（默认：全国规则）",
    "help_json": "输出 JSON",
    "help_district": "区/街道编号",
    "profile": "地区规则：{name}（{code}）",
    "group_rental": "结论：属于“群租”",
    "not_group_rental": "结论：不属于“群租”",
    "finding": "  第{criterion}项 {room}：{detail}（{article}）",
    "exception": "  例外 {room}：{detail}（{article}）",
    "no_overdue": "没有逾期未复查的案件。",
    "overdue": "{case}  {address}  期限 {deadline}  已逾期 {days_overdue} 天",
}

#: Said of a served order whose service time is not at hand (a race).
EARLIER = "此前"


#: The exported list of cases (XLSX).
EXPORT_WORDS = {"cases_sheet": "群租案件", "cases_file": "群租案件-{district}.xlsx"}
CASE_HEADINGS = ("案件编号", "房屋地址", "小区", "当事人", "来源", "状态", "立案时间")

#: The morning board (core.board): a served order's rectification period, in words.
BOARD = {
    "task": "整改期限届满，复查是否改正",
    "subject": "{address}（案件 {case}）",
    "left": "整改期剩 {days} 天",
    "late": "整改期已过 {days} 天，尚未复查",
}
