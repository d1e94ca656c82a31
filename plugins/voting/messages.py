"""Every message the voting plugin shows to a person (Chinese), in one place."""

from core.messages import register_messages

MESSAGES = {
    "voting_register_invalid": "业主名册有 {count} 处错误，未导入任何数据",
    "voting_register_empty": "业主名册没有任何数据行",
    "voting_register_unreadable": "无法读取业主名册文件：{detail}",
    "voting_register_format": "不支持的文件格式（仅支持 UTF-8 编码的 CSV 或 XLSX）：{name}",
    "voting_register_missing": "该小区尚未导入业主名册",
    "voting_register_frozen": "该小区有已发布的表决会议，名册已冻结，不能重新导入",
    # row-level problems
    "voting_row_missing_column": "缺少列：{column}",
    "voting_row_unknown_column": "未知的列：{column}",
    "voting_row_duplicate_unit": "房屋编号重复：{value}（与第 {first} 行相同）",
    "voting_row_blank": "“{column}”不能为空",
    "voting_row_bad_area": "面积有误：{value}（应为大于 0 的数字，最多两位小数）",
    "voting_row_unknown_source": "面积来源有误：{value}（应为 register、survey 或 contract）",
    "voting_row_bad_flag": "“developer_unsold”应为 0 或 1：{value}",
    "voting_row_too_long": "“{column}”过长（最多 {max} 个字符）",
    "voting_row_bad_unit_code": "房屋编号有误：{value}",
}

register_messages(MESSAGES)

MEETING_MESSAGES = {
    "voting_meeting_not_found": "未找到该表决会议",
    "voting_meeting_invalid": "表决会议信息有 {count} 处问题",
    "voting_meeting_not_draft": "会议已发布，不能再修改（当前状态：{status}）",
    "voting_meeting_file": "会议文件有误：{detail}",
    "voting_publish_no_register": "该小区尚未导入业主名册，不能发布会议",
    "voting_publish_no_officials": "发布前须确定监票人和计票人",
    "voting_publish_late": "公告日 {date} 已过，请调整会议时间表后再发布",
    "voting_official_is_candidate": "监票、计票、唱票人员不得为候选人：{name}",
    "voting_tt_notice": "公告日须在会议召开日前至少 {need} 日（现为 {have} 日）",
    "voting_tt_delivery": "表决票须在会议召开日前至少 {need} 日送达（现为 {have} 日）",
    "voting_tt_delivery_before_notice": "送达截止日不能早于公告日",
    "voting_tt_closes_before_meeting": "表决截止时间不能早于会议召开日",
    "voting_tt_count_before_close": "计票日不能早于表决截止日",
    "voting_election_no_seats": "选举议题须设定应选人数（至少 1 人）",
    "voting_election_no_candidates": "选举议题须列出候选人",
    "voting_election_duplicate_candidate": "候选人姓名重复",
    "voting_resolution_with_candidates": "表决议题不能设应选人数或候选人",
}
register_messages(MEETING_MESSAGES)

BALLOT_MESSAGES = {
    "voting_ballots_not_published": "会议尚未发布（或已截止），不能印制表决票（当前状态：{status}）",
    "voting_ballots_exist": (
        "本会议的表决票已印制过；补发请用 --voter 指定表决人，全部重印请加 --reprint-all（原票全部作废）"
    ),
    "voting_voter_not_found": "未找到表决人：{voter}",
}
register_messages(BALLOT_MESSAGES)

DELIVERY_MESSAGES = {
    "voting_delivery_bad_serial": "表决票编号有误或不属于本会议：{serial}",
    "voting_delivery_needs_signature": "当面送达须由业主签收（填写签收人）",
    "voting_delivery_needs_witnesses": "投入信报箱或房屋内送达须有两名不同的见证人（业主或居委会工作人员）",
    "voting_delivery_future": "送达日期不能晚于今天：{date}",
    "voting_open_not_published": "只有已发布的会议才能开始表决（当前状态：{status}）",
    "voting_open_too_early": "会议召开日为 {date}，不能提前开始表决",
    "voting_open_not_printed": "尚有 {count} 名表决人未印制表决票",
    "voting_open_undelivered": "尚有 {count} 名表决人的表决票未送达；如确需开始表决，须由街道干部填写理由",
    "voting_warn_delivery_overdue": "送达期限（{date}）已过，尚有 {count} 户未送达",
    "voting_warn_delivery_soon": "距送达期限（{date}）还有 {days} 天，尚有 {count} 户未送达",
    "voting_warn_not_printed": "尚未印制表决票（会议召开日 {date}）",
    "voting_warn_notice_pending": "公告日为 {date}，请按期在小区内张贴公告",
}
register_messages(DELIVERY_MESSAGES)

#: Labels shown in documents and pages.
LABELS = {
    "role.scrutineer": "监票人",
    "role.counter": "计票人",
    "role.caller": "唱票人",
    "delivery.in_person": "当面送达（业主签收）",
    "delivery.door": "投入信报箱或房屋内（两人见证）",
    "delivery.missing": "未送达",
    "motion.election": "选举",
    "motion.resolution": "表决",
    "status.draft": "草稿",
    "status.published": "已发布",
    "status.open": "表决中",
    "status.closed": "已截止",
    "status.sealed": "已封存",
}


def label(key: str) -> str:
    return LABELS.get(key, key)


CAST_MESSAGES = {
    "voting_cast_malformed": "表决票格式不正确",
    "voting_cast_protocol": "不支持的表决协议版本",
    "voting_cast_wrong_meeting": "这张表决票不属于本次会议",
    "voting_cast_wrong_register": "表决票所依据的业主名册与本次会议不一致",
    "voting_cast_unknown_motion": "表决事项不存在：第 {motion} 项",
    "voting_cast_duplicate_motion": "同一表决事项不能重复选择：第 {motion} 项",
    "voting_cast_missing_motion": "尚有表决事项未选择：第 {motion} 项",
    "voting_cast_bad_option": "第 {motion} 项的选择无效",
    "voting_cast_too_many": "第 {motion} 项最多只能选择 {seats} 名候选人",
    "voting_cast_bad_signature": "签名无效，表决票未被接受",
    "voting_cast_unknown_key": "投票密钥不属于本次会议的任何表决人",
    "voting_cast_revoked": "这张表决票已作废（已补发新票），请使用新的表决票",
    "voting_cast_not_open": "本次会议尚未开始表决",
    "voting_cast_closed": "本次会议的表决已截止",
    "voting_cast_already": "您已于 {at} 投过票，每位表决人只能投票一次",
    "voting_cast_too_large": "提交的内容过大",
}
register_messages(CAST_MESSAGES)

PAPER_MESSAGES = {
    "voting_paper_sealed": "会议已封存，不能再录入纸质表决票",
    "voting_paper_not_open": "会议尚未开始表决，不能录入纸质表决票（当前状态：{status}）",
    "voting_paper_before_close": "表决尚未截止；纸质表决票在截止后公开计票时录入",
    "voting_paper_not_scrutineer": "“{name}”不是本次会议的监票人，录入须经监票人确认",
    "voting_paper_bad_serial": "表决票编号有误或不属于本会议：{serial}",
    "voting_paper_not_issued": "编号为 {serial} 的表决票未曾印制",
    "voting_paper_duplicate": "编号为 {serial} 的表决票已由 {by} 录入，不能重复录入",
    "voting_paper_duplicate_row": "编号为 {serial} 的表决票在计票表中重复出现（与第 {first} 行相同）",
    "voting_paper_concurrent": "该表决票刚被他人录入，请刷新后核对",
    "voting_count_sheet_invalid": "计票表有 {count} 处错误，未录入任何表决票",
    "voting_count_sheet_empty": "计票表没有任何数据行",
    "voting_count_sheet_too_large": "计票表行数过多（最多 {max} 行）",
    "voting_paper_status_counted": "已计入",
    "voting_paper_status_revoked": "该表决票已作废（挂失或补发），不计入",
    "voting_paper_status_conflict_online": "该表决人已网上投票，按规则以网上表决票为准，本纸质票不计入",
    "voting_paper_status_conflict_paper": "该表决人也已网上投票，按规则以纸质表决票为准，网上表决票不计入",
    "voting_revoke_no_reason": "作废表决票须填写理由",
    "voting_revoke_not_active": "编号为 {serial} 的表决票没有可作废的有效票",
    "voting_revoke_status": "会议当前状态（{status}）下不能作废表决票",
    "voting_revoke_voted": "该表决人已于 {at} 网上投票，不能再作废其表决票",
}
register_messages(PAPER_MESSAGES)
