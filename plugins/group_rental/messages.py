"""Every message the group_rental plugin shows to a person (Chinese), in one place."""

from core.messages import register_messages

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
}
register_messages(MESSAGES)

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


def label(key: str) -> str:
    return LABELS.get(key, key)


FIELD_PROBLEMS = {
    "missing": "缺少此项",
    "bool": "应为 true 或 false",
    "int": "应为不小于 0 的整数",
    "area": '应为大于 0 的数字字符串，最多两位小数，如 "12.50"',
    "use": "应为 living、living_room、dining、hall、kitchen、bathroom、balcony、basement_storage 之一",
    "text": "应为非空文字（最多 {max} 字）",
    "list": "应为非空列表",
    "object": "应为 JSON 对象",
    "unknown": "未知的字段",
    "duplicate": "房间名称重复",
    "date": "应为 YYYY-MM-DD 格式的日期，且不晚于今天",
    "datetime": "应为 ISO 8601 时间（如 2026-11-23T10:00:00+08:00）",
}
