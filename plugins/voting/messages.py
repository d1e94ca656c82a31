"""Every message the voting plugin shows to a person (Chinese), in one place."""

from core import Column, Labels

#: The error catalogue (code -> Chinese message) that plugin.py hands to core through the
#: ``register_messages`` hook; the other tables below are the plugin's page and document wording.
ERRORS: dict[str, str] = {}

MESSAGES = {
    "voting_register_invalid": "业主名册有 {count} 处错误，未导入任何数据",
    "voting_register_empty": "业主名册没有任何数据行",
    "voting_register_unreadable": "无法读取业主名册文件：{detail}",
    "voting_register_format": "不支持的文件格式（仅支持 CSV 或 XLSX）：{name}",
    "voting_register_missing": "该小区尚未导入业主名册",
    "voting_register_frozen": "该小区有已发布的表决会议，名册已冻结，不能重新导入",
    # row-level problems
    "voting_row_missing_column": "缺少列：{column}",
    "voting_row_unknown_column": "未知的列：{column}",
    "voting_row_duplicate_column": "列重复：{column}（每列只能出现一次）",
    "voting_row_duplicate_unit": "房屋编号重复：{value}（与第 {first} 行相同）",
    "voting_row_blank": "“{column}”不能为空",
    "voting_row_bad_area": "面积有误：{value}（应为大于 0 的数字，最多两位小数）",
    "voting_row_unknown_source": (
        "面积来源有误：{value}（应为 不动产登记、实测 或 合同，或 register、survey、contract）"
    ),
    "voting_row_bad_flag": "“{column}”应为 是/否、未售/已售 或 1/0：{value}",
    "voting_row_header_rows": (
        "第 {row} 行像是表头的一部分，但表头在第 {header} 行：请只保留一行表头（上方可有一行标题）"
    ),
    "voting_row_too_long": "“{column}”过长（最多 {max} 个字符）",
    "voting_row_bad_unit_code": "房屋编号有误：{value}",
}

ERRORS.update(MESSAGES)

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
    "voting_election_seats_exceed_candidates": "应选 {seats} 名，但只有 {candidates} 名候选人："
    "候选人不得少于应选人数",
    "voting_election_duplicate_candidate": "候选人姓名重复",
    "voting_resolution_with_candidates": "表决议题不能设应选人数或候选人",
    "voting_scope_bad_prefix": "表决范围“{prefix}”不是有效的楼栋或房号开头（可填 2、3-2、2栋 等）",
    "voting_scope_too_many": "表决范围最多列 {max} 个楼栋或单元",
    "voting_scope_no_units": "业主名册中没有属于表决范围“{prefix}”的房屋；表决范围填房号的开头部分，"
    "本小区名册中的楼栋有：{buildings}",
    "voting_scope_whole_estate": "表决范围“{prefixes}”已包括全小区的房屋，请留空表示全体业主表决",
}
ERRORS.update(MEETING_MESSAGES)

BALLOT_MESSAGES = {
    "voting_ballots_not_published": "会议尚未发布（或已截止），不能印制表决票（当前状态：{status}）",
    "voting_ballots_exist": (
        "本会议的表决票已印制过；补发请用 --voter 指定表决人，全部重印请加 --reprint-all（原票全部作废）"
    ),
    "voting_voter_not_found": "未找到表决人：{voter}",
}
ERRORS.update(BALLOT_MESSAGES)

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
ERRORS.update(DELIVERY_MESSAGES)

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


#: ``label(key)``: a word of :data:`LABELS` (an unknown key comes back as itself).
label = Labels(LABELS)


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
    "voting_cast_out_of_scope": "第 {motion} 项只由{scope}的业主表决，您不在表决范围内",
    "voting_cast_bad_signature": "签名无效，表决票未被接受",
    "voting_cast_unknown_key": "投票密钥不属于本次会议的任何表决人",
    "voting_cast_revoked": "这张表决票已作废（已补发新票），请使用新的表决票",
    "voting_cast_not_open": "本次会议尚未开始表决",
    "voting_cast_closed": "本次会议的表决已截止",
    "voting_cast_already": "您已于 {at} 投过票，每位表决人只能投票一次，以首次提交的表决票为准（{source}）",
    "voting_cast_too_large": "提交的内容过大",
    "voting_sheet_malformed": "查询请求格式不正确",
    "voting_sheet_stale": "手机时间与标准时间相差超过 10 分钟，请校准手机时间后重试",
}
ERRORS.update(CAST_MESSAGES)

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
    "voting_paper_self_confirm": "监票人“{name}”不能确认自己录入的表决票，须由另一名监票人确认",
    "voting_scrutineer_key_missing": "监票人“{name}”尚未登记签名密钥，请先由其本人登录计票并设置口令",
    "voting_scrutineer_key_draft": "会议尚未公告，监票人名单未确定，暂不能登记签名密钥",
    "voting_scrutineer_key_later": "监票人“{name}”的签名密钥登记时间晚于本次录入时间，请核对服务器时间",
    "voting_scrutineer_key_exists": "监票人“{name}”已登记签名密钥，不能重复登记",
    "voting_scrutineer_passphrase_short": "监票口令至少 {min} 个字符",
    "voting_scrutineer_passphrase_wrong": "监票人“{name}”的口令不正确，未录入",
    "voting_count_sheet_invalid": "计票表有 {count} 处错误，未录入任何表决票",
    "voting_count_sheet_empty": "计票表没有任何数据行",
    "voting_count_sheet_too_large": "计票表行数过多（最多 {max} 行）",
    "voting_paper_status_counted": "已计入",
    "voting_paper_status_revoked": "该表决票已作废（挂失或补发），不计入",
    "voting_paper_status_conflict_online": "该表决人已网上投票，按规则以网上表决票为准，本纸质票不计入",
    "voting_paper_status_conflict_paper": "该表决人也已网上投票，按规则以纸质表决票为准，网上表决票不计入",
    "voting_paper_status_conflict_first": (
        "该表决人也已网上投票，按规则以先收到的表决票为准（按纸质票交回时间与网上表决票收到时间比较）"
    ),
    "voting_paper_status_late": "该表决票在表决截止后交回，不计入",
    "voting_paper_handed_in_bad": "交回时间“{value}”无法识别，请填写如 2026-12-20 14:30",
    "voting_paper_handed_in_future": "交回时间 {at} 晚于现在，请核对",
    "voting_paper_handed_in_early": "交回时间 {at} 早于表决开始时间 {opened}，请核对",
    "voting_paper_handed_in_required": (
        "编号为 {serial} 的表决票的表决人也已网上投票；按规则以先收到的表决票为准，须填写纸质票的交回时间"
    ),
    "voting_revoke_no_reason": "作废表决票须填写理由",
    "voting_revoke_not_active": "编号为 {serial} 的表决票没有可作废的有效票",
    "voting_revoke_status": "会议当前状态（{status}）下不能作废表决票",
    "voting_revoke_voted": "该表决人已于 {at} 网上投票，不能再作废其表决票",
}
ERRORS.update(PAPER_MESSAGES)

#: How a motion's scope (plugins/voting/protocol/scope.py) reads: ``2`` → 2号楼, ``3-2`` → 3号楼2单元.
SCOPE_WORDS = {
    "building": "{b}号楼",
    "entrance": "{b}号楼{u}单元",
    "part": "{p}",  #: a prefix that ends in a word of its own (2栋, 3号楼2单元)
    "prefix": "房号以“{p}”开头的房屋",
    "joiner": "、",
    "whole": "全体业主",
    "notice": "（仅由{label}的业主表决）",
    "reason": "本事项由{label}的业主表决（{voters} 名表决人，专有部分面积 {area} 平方米）。",
}

#: Words of the tally and of the verifier (assembled into sentences by plugins/voting/protocol/tally.py).
TALLY_WORDS = {
    "participation": "参与表决的专有部分面积 {area} 平方米，占总面积的 {area_share}（{area_fraction}）；"
    "参与表决人数 {heads} 人，占总人数的 {heads_share}（{heads_fraction}）；参与表决须达到{rule}，{met}。",
    "met": "已达到",
    "not_met": "未达到",
    "participation_failed": "其中{which}未达到参与表决的要求，本事项未获通过。",
    "area": "专有部分面积",
    "heads": "人数",
    "base_total": "总数",
    "base_participating": "参与表决数",
    "agree": "同意的专有部分面积占{base}的 {area_share}（{area_fraction}），同意人数占{base}的 {heads_share}"
    "（{heads_fraction}）；通过须达到{rule}。",
    "both_met": "面积和人数均已达到，本事项通过。",
    "not_reached": "{which}未达到，本事项未获通过。",
    "objection": "本事项采用异议表决：反对的专有部分面积占总面积的 {area}（{area_fraction}），"
    "反对人数占总人数的 {heads}（{heads_fraction}）；反对{rule}即不通过。本事项{outcome}。",
    "objection_below_quorum": "注意：参与表决的面积或人数未达到{rule}"
    "（面积 {area_share}，人数 {heads_share}），异议表决在参与不足时作出的决定存在法律风险"
    "（《民法典》第二百七十八条要求的参与表决比例），请审慎对待。",
    "passed": "通过",
    "failed": "未获通过",
    "election": "候选人得票须达到{rule}，按得票人数、面积依次排序，应选 {seats} 名。当选：{names}。",
    "nobody": "无人当选",
    "tie": "{names}得票相同，并列于最后一个席位，均未当选，须另行决定。",
    "election_no_participation": "参与表决未达到要求，选举无效，无人当选。",
}

SEAL_MESSAGES = {
    "voting_seal_already": "会议已封存",
    "voting_seal_not_open": "会议尚未开始表决，不能封存（当前状态：{status}）",
    "voting_seal_before_close": "表决尚未截止，不能封存",
    "voting_not_sealed": "会议尚未封存计票，暂无表决结果",
    "voting_announce_not_sealed": "会议封存后才能生成表决结果公告",
    "voting_receipt_invalid": "回执格式不正确：请粘贴完整的回执文本",
    "voting_head_not_open": "会议当前状态为“{status}”，只有表决开始后、封存前才能签署公示",
    "voting_head_none": "本次会议尚未签署公示快照",
}
ERRORS.update(SEAL_MESSAGES)

#: What ``wuye verify`` reports (code -> Chinese sentence); the codes are stable for programs.
VERIFY_MESSAGES = {
    "bundle_unreadable": "无法读取表决记录包：{detail}",
    "bundle_missing": "表决记录包缺少文件：{name}",
    "bundle_bad_json": "{name} 不是有效的 JSON：{detail}",
    "bundle_bad_shape": "{name} 的结构不正确：{detail}",
    "bundle_too_large": "表决记录包中的 {name} 解压后超过 {limit}，不予读取",
    "seal_key_mismatch": "封存声明中的会议公钥与记录不一致",
    "seal_meeting_mismatch": "封存声明中的会议编号与记录不一致",
    "seal_signature_invalid": "封存签名无效（会议公钥不能验证封存声明）",
    "seal_root_mismatch": "哈希根与封存声明不符",
    "seal_section_mismatch": "记录的“{section}”部分与封存时不一致（{section_cn}已被改动）",
    "seal_count_mismatch": "记录中的{what}数量（{have}）与封存时（{sealed}）不一致",
    "register_digest_mismatch": "业主名册摘要与会议公告不一致（名册已被改动）",
    "pinned_key_mismatch": (
        "会议密钥与会议公告所印不符：公告为 {pinned}，记录包为 {found}（记录包可能已用另一把密钥重新签署）"
    ),
    "rehearsal_bad_value": "记录中的 meeting.rehearsal 只能为 true（演练记录），收到：{value}",
    "verify_rehearsal": (
        "【演练】这是培训区演练会议的记录（meeting.rehearsal），不是真实的业主大会表决结果，不具效力。"
    ),
    "pinned_register_mismatch": "业主名册核验码与会议公告所印不符：公告为 {pinned}，记录包为 {found}",
    "pinned_scrutineer_key_unknown": (
        "记录中“{name}”的监票人密钥 {found} 不在计票记录所载的密钥指纹之中（可能是他人登记的密钥）"
    ),
    "pinned_scrutineer_key_missing": "计票记录所载的监票人密钥指纹 {pinned} 不在记录包中",
    "pin_too_short": "{what}至少需要 16 位十六进制字符（会议公告所印的 4 组 4 位），收到：{value}",
    "pin_notice_missing": "会议公告中找不到“{what}”",
    "register_area_mismatch": "第 {voter_no} 号表决人的面积 {have} 与其房屋面积之和 {want} 不符",
    "register_grouping_mismatch": "按{method}规则重新归并的表决人与记录不一致",
    "credential_duplicate": "公钥重复：{key}",
    "credential_unknown_voter": "公钥属于不存在的表决人：第 {voter_no} 号",
    "ballot_malformed": "第 {voter_no} 号表决人的网上表决票格式不正确：{detail}",
    "register_scope_mismatch": "第 {voter_no} 号表决人在分区表决事项中的面积或人数与其房屋不符",
    "ballot_hash_mismatch": "第 {voter_no} 号表决人的表决票内容与其哈希不符（表决内容已被改动）",
    "ballot_signature_invalid": "第 {voter_no} 号表决人的表决票签名无效",
    "ballot_unknown_key": "第 {voter_no} 号表决人的表决票所用公钥不属于该表决人",
    "ballot_duplicate_voter": "第 {voter_no} 号表决人有 {count} 张网上表决票（每人只能一张）",
    "ballot_duplicate_hash": "同一张表决票出现了 {count} 次：{hash}",
    "ballot_after_close": "第 {voter_no} 号表决人的表决票在表决截止后收到",
    "ballot_after_revocation": "第 {voter_no} 号表决人的表决票在其投票密钥作废后收到",
    "ballot_beyond_proxy": "第 {voter_no} 号表决人的受托人表决超出授权委托书：{detail}",
    "paper_beyond_proxy": "纸质表决票 {serial}（受托人表决）超出授权委托书：{detail}",
    "proxy_malformed": "第 {voter_no} 号表决人第 {version} 次印制的表决票所附授权委托信息不完整",
    "revocation_no_reason": "第 {voter_no} 号表决人第 {version} 张表决票已作废，但记录中没有作废原因",
    "delivery_malformed": "第 {voter_no} 号表决人第 {version} 张表决票的送达记录格式不正确",
    "delivery_unwitnessed": (
        "第 {voter_no} 号表决人第 {version} 张表决票以留置方式送达，但见证人只有 {count} 名（须两名）"
    ),
    "private_delivery_mismatch": "第 {voter_no} 号表决人第 {version} 张表决票的送达记录与非公开记录不符",
    "rules_digest_mismatch": "记录中的本地规则与会议所载规则摘要不一致（规则已被改动）",
    "ballot_before_open": "第 {voter_no} 号表决人的表决票在表决开始（{opened}）之前收到",
    "proxy_over_cap": "第 {proxy_no} 号受托人代理了 {count} 名表决人，超过本地规则允许的 {cap} 名",
    "paper_duplicate_sheet": "纸质表决票 {serial} 被录入了 {count} 次",
    "paper_unknown_sheet": "纸质表决票 {serial} 不属于任何已印制的表决票",
    "paper_status_mismatch": "纸质表决票 {serial} 的状态应为“{want}”，记录为“{have}”",
    "paper_not_confirmed": "纸质表决票 {serial} 没有监票人确认（{name}）",
    "paper_unconfirmed": "纸质表决票 {serial} 没有监票人的签名确认",
    "paper_confirmation_invalid": "纸质表决票 {serial} 的监票人签名确认无效（内容被改动或非该监票人所签）",
    "paper_confirmed_before_key": "纸质表决票 {serial} 的确认时间早于监票人密钥的登记时间",
    "scrutineer_key_unknown": "纸质表决票 {serial} 由记录中未登记的监票人密钥签名确认",
    "scrutineer_key_not_official": "监票人密钥 {key} 登记在“{name}”名下，但其不是本次会议的监票人",
    "paper_confirmation_reused": "纸质表决票 {serial} 的监票人签名确认与另一张表决票的相同（确认被复制）",
    "scrutineer_key_duplicate": "监票人密钥 {key} 在记录中登记了不止一次",
    "paper_handed_in_missing": "纸质表决票 {serial} 的表决人也网上投了票，规则以先收到的为准，却无交回时间",
    "paper_malformed": "纸质表决票 {serial} 的内容不正确：{detail}",
    "tally_mismatch": "第 {motion} 项的计票结果与记录重新计算的结果不一致：{field}",
    "tally_uncomputable": "记录中的表决票数据不完整，无法重新计票：{detail}",
    "tally_motions_mismatch": "表决结果中的事项与记录不一致",
    "register_commitment_malformed": "第 {voter_no} 号表决人没有有效的名册承诺值",
    "paper_custody_malformed": "纸质表决票 {serial} 没有有效的录入承诺值",
    "private_meeting_mismatch": "完整记录（private.json）不属于这次会议或这次封存",
    "private_commitment_mismatch": (
        "完整记录中第 {voter_no} 号表决人的房屋与公开记录的承诺值不符（完整记录已被改动）"
    ),
    "private_unknown_voter": "完整记录中的第 {voter_no} 号表决人不在公开记录中（或重复出现）",
    "private_missing_voter": "完整记录缺少第 {voter_no} 号表决人",
    "private_paper_mismatch": "完整记录中纸质表决票 {serial} 的录入信息与公开记录的承诺值不符",
    "private_serial_mismatch": "完整记录中纸质表决票 {serial} 的编号与其表决人不符",
    # board heads and snapshots (docs/protocol.md §12)
    "head_malformed": "heads.json 中有一条不是有效的公示签名",
    "head_meeting_mismatch": "{at} 的公示签名不属于这次会议",
    "head_key_mismatch": "公示快照（head.json）中的会议公钥与记录不一致",
    "head_signature_invalid": "{at} 的公示签名无效（会议公钥不能验证）",
    "head_section_mismatch": "记录的“{section}”部分与 {at} 公示时签名的不一致（{section_cn}已被改动）",
    "head_ballots_mismatch": (
        "{at} 公示时已签名的网上表决票（{head} 张）在本记录中缺失或被改动（本记录中该时刻前收到 {have} 张）"
    ),
    "snapshot_paper": "公示快照中不应有纸质表决票（有 {count} 张）：纸质表决票只在表决截止后录入",
    "snapshot_ballot_after_head": "第 {voter_no} 号表决人的表决票晚于公示时间 {at} 收到，不应在快照中",
    # wuye verify --since OLD NEW
    "since_usage": "用法：wuye verify 记录包.zip，或 wuye verify --since 旧记录包.zip 新记录包.zip",
    "since_old": "旧记录包：",
    "since_new": "新记录包：",
    "since_meeting_mismatch": "两个记录包不属于同一次会议（旧：{old}，新：{new}）",
    "since_key_mismatch": "两个记录包的会议公钥不同（新记录包可能已用另一把密钥重新签署）",
    "since_older": "新记录包的时间（{new}）早于旧记录包（{old}）",
    "since_section_changed": "记录的“{section}”部分（{section_cn}）在新记录包中被改动，应与旧记录包完全相同",
    "since_ballot_removed": "旧记录包中第 {voter_no} 号表决人的网上表决票在新记录包中被删除",
    "since_ballot_changed": "旧记录包中第 {voter_no} 号表决人的网上表决票在新记录包中被改动",
    "since_ballot_backdated": (
        "新记录包中第 {voter_no} 号表决人的网上表决票注明早于旧记录包收到，但旧记录包中没有"
    ),
    "since_credential_changed": "第 {voter_no} 号表决人第 {version} 张表决票的投票密钥在新记录包中被删或更换",
    "since_revocation_removed": "第 {voter_no} 号表决人第 {version} 张表决票的作废记录在新记录包中被删除",
    "since_revocation_moved": "第 {voter_no} 号表决人第 {version} 张表决票的作废时间在新记录包中被改动",
    "since_revocation_changed": "第 {voter_no} 号表决人第 {version} 张表决票的作废原因在新记录包中被改动",
    "since_revocation_backdated": (
        "第 {voter_no} 号表决人第 {version} 张表决票在新记录包中注明早于旧记录包作废，但旧记录包中未作废"
    ),
    "since_paper_removed": (
        "旧记录包中第 {voter_no} 号表决人第 {version} 张纸质表决票在新记录包中被删除或改动"
    ),
}
ERRORS.update(VERIFY_MESSAGES)

SECTION_NAMES = {
    "meeting": "会议与表决事项",
    "rules": "表决规则",
    "register": "业主名册",
    "credentials": "投票密钥",
    "ballots": "网上表决票",
    "paper": "纸质表决票",
}

BUNDLE_README = (
    "表决记录包（{title}）\n\n"
    "record.json  封存的表决记录：会议与表决事项、表决规则、业主名册、投票密钥（公钥）、\n"
    "             网上表决票、纸质表决票录入记录\n"
    "seal.json    封存声明、哈希根（root）及会议公钥的签名\n"
    "tally.json   依据封存记录计算的表决结果\n\n"
    "核验方法：wuye verify 本文件.zip（退出码 0 表示全部核验通过）。\n"
    "协议说明见 docs/protocol.md 第 9 节，任何人都可以据此编写自己的核验程序。\n"
    "会议公钥：{meeting_key}\n"
    "哈希根：{root}\n"
)

#: README of a bundle sealed as a published record (docs/protocol.md §10); ``{private}`` is
#: BUNDLE_PRIVATE_NOTE when the bundle holds the private record.
BUNDLE_README_V2 = (
    "表决记录包（{title}）\n\n"
    "record.json  封存的公开表决记录：会议与表决事项、表决规则、每位表决人的记录编号、专有部分面积和人数、\n"
    "             投票密钥（公钥）、网上表决票、纸质表决票录入记录。\n"
    "             公开记录不含房号和姓名：记录编号与房屋的对应关系只在不公开的完整记录中。\n"
    "seal.json    封存声明、哈希根（root）及会议公钥的签名\n"
    "tally.json   依据封存记录计算的表决结果\n"
    "{private}\n"
    "核验方法：wuye verify 本文件.zip（退出码 0 表示全部核验通过）。\n"
    "协议说明见 docs/protocol.md 第 9、10 节，任何人都可以据此编写自己的核验程序。\n"
    "会议公钥：{meeting_key}\n"
    "哈希根：{root}\n"
)

#: README of a snapshot of the open board (docs/protocol.md §12).
SNAPSHOT_README = (
    "表决公示快照（{title}）\n\n"
    "这是表决进行中的公示快照，不是表决结果：表决尚未截止，纸质表决票尚未录入，不计票。\n\n"
    "record.json  截至 {at}（协调世界时）的公开表决记录：会议与表决事项、表决规则、每位表决人的记录编号、\n"
    "             专有部分面积和人数、投票密钥（公钥）、已收到的网上表决票 {ballots} 张。不含房号和姓名。\n"
    "head.json    公示签名：上述各部分的摘要，由会议公钥签名\n\n"
    "核验方法：wuye verify 本文件.zip；与之后的快照或封存后的表决记录包比对：\n"
    "wuye verify --since 本文件.zip 新记录包.zip（证明新记录只在本快照之后增加，没有删改）。\n"
    "协议说明见 docs/protocol.md 第 12 节。\n"
    "会议公钥：{meeting_key}\n"
)

BUNDLE_PRIVATE_NOTE = (
    "private.json 完整记录（不公开部分）：房号、业主姓名、表决票编号、纸质票录入人及核对用的随机数。\n"
    "             含个人信息，仅供街道房屋管理机构、业主委员会和监票人核对，请勿转发或张贴。\n"
)

#: The same file in a bundle that the profile publishes with names (``voting.published_record = named``).
BUNDLE_NAMED_NOTE = (
    "private.json 记名部分：房号、业主姓名、表决票编号、纸质票录入人及核对用的随机数。\n"
    "             依本地规则，表决结果记名公布，此部分随公开记录一并发布。\n"
)

#: Words of the result announcement and of its deadline in the console.
ANNOUNCEMENT_WORDS = {
    "issuer_suffix": "业主大会（业主委员会代章）",
    "number_office": "业字",  # 发文字号 prefix: <小区>业字〔2026〕1号
    "total": "总数",
    "participating": "参与表决",
    "agree": "同意",
    "oppose": "反对",
    "abstain": "弃权",
    "not_voted": "未参与表决",
    "elected": "（当选）",
    "heading": "{position}. {title}（{matter}）：{outcome}",
    "passed": "通过",
    "failed": "未通过",
    "elected_outcome": "选举有效",
    "take_part": "的业主参与表决",
    "agree_needed": "同意",
    "state_pending": "表决结果须在封存后 {days} 日内（{due} 前）公告",
    "state_overdue": "已超过公告期限（{due}），请尽快生成并张贴表决结果公告",
    "state_on_time": "表决结果公告已按期生成（期限 {due}）",
    "state_late": "表决结果公告晚于期限（{due}）生成",
    "state_preliminary": "初步统计结果已公示（公告期限 {due}）；最终表决结果在公示期满、异议均已答复后公告",
}

#: The result in phases (services/result_phases.py): errors and the documents' words.
PHASE_MESSAGES = {
    "voting_preliminary_after_final": "最终表决结果已公告，不能再发布初步统计结果公示",
    "voting_final_in_objection_period": "初步统计结果公示期至 {until}，公示期满后才能公告最终表决结果",
    "voting_final_objections_open": "尚有异议未答复（第 {numbers} 件），全部答复后才能公告最终表决结果",
    "voting_objection_no_preliminary": "尚未发布初步统计结果公示，不能登记异议",
    "voting_objection_after_final": "最终表决结果已公告，不能再登记异议",
    "voting_objection_out_of_period": "异议须在公示期内（{start}至{until}）提出",
    "voting_objection_future": "收到异议的日期 {day} 晚于今天",
    "voting_objection_not_found": "未找到第 {number} 件异议",
    "voting_objection_answered": "第 {number} 件异议已答复，答复不能更改",
    "voting_extend_not_open": "只有正在表决、尚未截止的会议才能延长表决期限",
    "voting_extend_not_later": "新的表决截止时间须晚于现在的截止时间（{closes}）",
    "voting_extend_count_before_close": "计票日不能早于新的表决截止日",
    "voting_extension_none": "本会议没有延长过表决期限",
}
ERRORS.update(PHASE_MESSAGES)
PHASE_WORDS = {
    "calendar": "日",
    "working": "个工作日",
    "final_phase": "本次表决的初步统计结果已于{issued}公示，公示期至{until}。",
    "final_none": "公示期内未收到异议。",
    "final_answered": "公示期内共收到异议 {count} 件，均已答复。",
}

#: What the public verification page says about a receipt.
RECEIPT_WORDS = {
    "signature_ok": "回执签名有效：确为本次会议发出。",
    "received": "系统收到这张表决票的时间：{time}。",
    "signature_bad": "回执签名无效：该回执不是本次会议发出的，或已被改动。",
    "not_sealed": "计票尚未完成，封存后可查询您的表决票是否计入。",
    "included": "您的表决票已收入封存的表决记录，并已计入表决结果。",
    "included_not_counted": (
        "您的表决票已收入封存的表决记录，但依规则未计入结果（例如同时交回了纸质表决票）。"
    ),
    "not_included": "封存的表决记录中没有这张表决票，请立即向业主委员会或街道房屋管理事务机构反映。",
}


#: The columns of an electoral register (业主名册): the English names programs write, the headings of
#: the template and the other headings offices use; the words of the template's "填写说明" sheet.
REGISTER_COLUMNS = (
    Column(
        "unit_code",
        "房号",
        ("房屋编号", "房屋号", "房间号", "门牌号", "专有部分编号", "单元号"),
        meaning="专有部分（房屋、车位）的编号，在本小区内唯一，如 1-101、3-2-1502",
        allowed="数字、字母、汉字及 - . _ # /",
        example="1-101",
    ),
    Column(
        "area_m2",
        "专有部分面积",
        ("建筑面积", "面积", "房屋面积", "专有面积", "产权面积"),
        meaning="专有部分的建筑面积，按不动产登记簿，尚未登记的按测绘或合同",
        allowed="大于 0 的数字，最多两位小数；可带单位（89.5㎡、89.50 平方米）",
        unit="平方米（㎡）",
        example="89.50",
    ),
    Column(
        "area_source",
        "面积来源",
        ("面积依据",),
        meaning="面积取自哪里",
        allowed="不动产登记、实测、合同（也可写 register、survey、contract）",
        example="不动产登记",
    ),
    Column(
        "owner_key",
        "业主编号",
        ("权利人证件号", "业主证件号", "证件号码", "身份证号", "权利人编号"),
        meaning="识别同一业主的编号或证件号：同一业主的多套房屋填写相同的值",
        allowed="不超过 128 个字符",
        example="O1",
    ),
    Column(
        "owner_name",
        "业主姓名",
        ("权利人", "权利人姓名", "业主", "姓名", "业主名称"),
        meaning="业主（不动产权利人）的姓名或单位名称",
        example="张三",
    ),
    Column(
        "certificate_no",
        "不动产权证号",
        ("不动产权证书号", "产权证号", "房产证号", "权证号"),
        required=False,
        meaning="不动产权证书号（按证书计人数时使用）",
        example="沪(2020)黄字不动产权第000001号",
    ),
    Column(
        "developer_unsold",
        "开发商未售",
        ("建设单位未售", "是否未售", "开发商持有"),
        required=False,
        meaning="该房屋是否为建设单位（开发商）尚未出售",
        allowed="是/否、未售/已售、✓、1/0；空白为否",
        example="否",
    ),
)

#: What people write for an area's source, and the code the register keeps.
AREA_SOURCE_WORDS = {
    "register": "register",
    "不动产登记": "register",
    "产权登记": "register",
    "登记": "register",
    "不动产登记簿": "register",
    "survey": "survey",
    "实测": "survey",
    "测绘": "survey",
    "房屋测绘": "survey",
    "contract": "contract",
    "合同": "contract",
    "预售合同": "contract",
    "购房合同": "contract",
    "买卖合同": "contract",
}
#: The words of the developer_unsold column besides 是/否, ✓/×, 1/0.
UNSOLD_WORDS = ("未售", "开发商未售", "建设单位未售")
SOLD_WORDS = ("已售",)


#: The count sheet's columns: the sheet's serial, then one per motion (headed by its number).
COUNT_SHEET_SERIAL = Column(
    "serial",
    "表决票编号",
    ("编号", "票号", "表决票号"),
    meaning="表决票上印制的编号",
    example="（表决票上的编号）",
)


COUNT_SHEET_HANDED_IN = Column(
    "handed_in",
    "交回时间",
    ("交票时间", "收回时间", "交回日期", "投票时间", "handed_in_at"),
    required=False,
    meaning="纸质表决票交回（投入票箱）的日期和时间，精确到分钟；以先收到的表决票为准的地方必填",
    example="2026-12-20 14:30",
)


def count_sheet_columns(motions: list[tuple[int, str, str]]) -> tuple[Column, ...]:
    """The count sheet's columns for ``(position, title, allowed values)`` of each motion."""
    return (
        COUNT_SHEET_SERIAL,
        COUNT_SHEET_HANDED_IN,
        *(
            Column(
                str(position),
                f"议题{position}",
                (
                    f"motion_{position}",
                    f"motion{position}",
                    f"第{position}项",
                    f"议题 {position}",
                    f"第{position}号议题",
                ),
                meaning=title,
                allowed=allowed,
                example=allowed.split("、")[0] if allowed else "",
            )
            for position, title, allowed in motions
        ),
    )


COUNT_SHEET_WORDS = {
    "resolution": "同意、反对、弃权（空白为未表决）",
    "election": "所选候选人姓名，多人以逗号或顿号分隔",
}


#: Which ballot counts when a voter used both, as the meeting page says it (``voting.dual_ballot``).
DUAL_BALLOT_WORDS = {
    "online": "网上表决票",
    "paper": "纸质表决票",
    "first": "先收到的表决票（按纸质票交回时间）",
}


#: The sheets and headings of the XLSX the console hands out (templates and exported lists).
EXPORT_WORDS = {
    "register_sheet": "业主名册",
    "register_file": "业主名册填写模板.xlsx",
    "register_note": (
        "同一业主有多套房屋时，每套一行，业主编号相同。开发商（建设单位）未售的房屋在“开发商未售”填“是”。"
    ),
    "count_sheet": "计票表",
    "count_file": "计票表填写模板-{meeting}.xlsx",
    "count_note": "每张收回的纸质表决票一行；议题列填写表决票上的选择。",
    "meetings_sheet": "表决会议",
    "meetings_file": "表决会议-{district}.xlsx",
    "voters_sheet": "表决人与送达",
    "voters_file": "表决人与送达-{meeting}.xlsx",
    "file_limit": "文件不超过 {mb} MB",
    "template_link": "下载填写模板",
    "export_link": "导出 Excel",
}
MEETING_HEADINGS = (
    "会议编号",
    "会议名称",
    "小区",
    "状态",
    "公告日",
    "送达截止日",
    "会议召开日",
    "表决截止",
    "表决人数",
)
VOTER_HEADINGS = (
    "表决人序号",
    "表决票编号",
    "业主姓名",
    "房屋",
    "专有部分面积（㎡）",
    "送达方式",
    "送达日期",
    "签收人或见证人",
)


#: Live turnout of an open meeting (services/turnout.py): participation only, never the choices.
TURNOUT_WORDS = {
    "area_label": "专有部分面积",
    "heads_label": "业主人数",
    "area_words": "已参与表决的专有部分面积 {part} / {whole} 平方米（{percent}%）",
    "heads_words": "已参与表决的业主 {part} / {whole} 人（{percent}%）",
    "quorum": "参与表决的法定要求：面积和人数均须达到{rule}（{article}）",
    "met": "参与表决的面积和人数均已达到法定要求",
    "not_met": "参与表决的面积或人数尚未达到法定要求",
    "panel_title": "表决进行中：{title}",
}

#: The morning board (core.board): what each meeting owes next, in words.
BOARD = {
    "deliver": "送达表决票",
    "deliver_detail": "已送达 {delivered} / {voters} 张",
    "open": "开始表决（会议召开日）",
    "close": "表决截止",
    "close_detail": "已参与 {part} / {voters} 名表决人",
    "count": "唱票、计票并封存结果",
    "publish": "公告表决结果",
    "publish_detail": "封存于 {sealed}",
    "final": "公告最终表决结果（初步结果公示期满）",
    "final_detail": "公示期至 {until}；异议 {count} 件，未答复 {open} 件",
}


#: What the fields of a meeting's problems are called on the form (services/meetings.py: field_label).
FIELD_WORDS = {
    "timetable.notice_date": "公告日",
    "timetable.delivery_deadline": "表决票送达期限",
    "timetable.meeting_date": "会议召开日",
    "timetable.voting_closes": "表决截止时间",
    "timetable.count_date": "计票日",
    "motions": "第 {n} 项表决事项",
    "seats": "应选人数",
    "scope": "表决范围",
    "candidates": "候选人",
    "officials": "第 {n} 名会议工作人员",
}


#: Console forms: drafts, batch delivery, duplicates (errors with a stable code).
CONSOLE_MESSAGES = {
    "voting_meeting_draft_only": (
        "会议已发布（当前状态：{status}），不能再修改或删除；发布后业主名册和会议内容已冻结"
    ),
    "voting_meeting_file_unreadable": "会议文件无法读取：{detail}",
    "voting_delivery_duplicate": (
        "该表决票已于{date}登记送达（{method}，{proof}，登记人 {by}）；"
        "如需更正送达记录，请核对后点击“更正送达记录”，原记录将被替换并记入审计日志"
    ),
    "voting_delivery_building_empty": "楼栋“{building}”没有未送达的表决票",
    "voting_delivery_building_unknown": "本会议没有楼栋“{building}”",
    "voting_delivery_building_missing": "请选择楼栋",
    "voting_delivery_not_published": "只有已发布、尚未开始表决的会议才能登记送达（当前状态：{status}）",
    "voting_delivery_not_printed": "表决票编号 {serial} 尚未印制或已作废，不能登记送达",
    "voting_revoke_none": "请填写要作废的表决票编号",
    "voting_form_field": "{field}填写有误：{detail}",
}
ERRORS.update(CONSOLE_MESSAGES)

#: The words of the confirmation panels of the meeting console (core.web.confirm shows them).
CONFIRM_WORDS = {
    "irreversible": "此操作不可撤销。",
    "publish_title": "确认发布会议",
    "publish_summary": (
        "发布后将冻结业主名册（{units} 套专有部分），生成会议密钥；会"
        "议名称、时间表、表决事项和工作人员不能再修改，会议也不能再删除。"
    ),
    "publish_notice": "请在公告日（{date}）前在小区内张贴会议公告。",
    "publish_button": "确认发布",
    "reprint_title": "确认全部重印表决票",
    "reprint_summary": (
        "将作废 {active} 张原表决票并重新生成 {voters} 张"
        "；已送达的 {delivered} 张需重新送达，已投票的 {voted} 人的网上表决票不受影响。"
    ),
    "reprint_old": "原表决票上的二维码和投票码全部失效，业主持原票无法投票。",
    "reprint_typed": "请输入要作废的表决票张数（{active}）以确认",
    "reprint_button": "确认全部重印",
    "reissue_title": "确认补发第 {voter} 号表决人的表决票",
    "reissue_summary": "将作废第 {voter} 号表决人（{name}）现有的表决票并生成新票；新票须重新送达。",
    "reissue_button": "确认补发",
    "download_hint": "确认后浏览器将下载表决票文件（唯一载体，请妥善保存）；下载完成后请返回会议页面。",
    "open_title": "确认开始表决",
    "open_summary": "开始表决后，业主即可网上投票；不能再登记送达、不能退回已发布状态。",
    "open_undelivered": "尚有 {count} 张表决票未送达，将以所填理由开始表决，理由记入会议和审计日志：{reason}",
    "open_button": "确认开始表决",
    "seal_title": "确认封存并计票",
    "seal_summary": "封存后不能再网上投票或录入纸质表决票；系统依封存记录计票，并用会议密钥签署哈希根。",
    "seal_counts": "目前已收到网上表决票 {online} 张、纸质表决票 {paper} 张，共 {voters} 名表决人。",
    "seal_button": "确认封存",
    "revoke_title": "确认作废表决票",
    "revoke_summary": (
        "将作废 {count} 张表决票：{serials}。作废后持该票无法投票，须在“表决票”中补发并重新送达。"
    ),
    "revoke_reason": "理由：{reason}",
    "revoke_typed": "作废多张表决票，请输入张数（{count}）以确认",
    "revoke_button": "确认作废",
    "transfer_title": "确认登记产权转移",
    "transfer_summary": "表决票 {serial} 的房屋已于 {on} 转让给 {name}（凭证：{evidence}）。",
    "transfer_rule": (
        "按本地规则：原业主已表决的，其表决有效，不补发；原业主未表决的，原表决票作废，"
        "并为新业主打印新的表决票（只能打印一次，请当场送达新业主）。"
    ),
    "transfer_button": "确认登记",
    "delivery_title": "该表决票已登记送达",
    "delivery_button": "更正送达记录",
    "batch_title": "确认登记“{building}”全部送达",
    "batch_summary": (
        "将为楼栋“{building}”的 {count} 张未送达表决票登记送达（{method}，{date}），全部成功或全部不登记。"
    ),
    "batch_witnesses": "见证人：{witness_1}、{witness_2}",
    "batch_in_person": "当面送达：每张表决票的签收人登记为业主本人（以纸质签收单为据）。",
    "batch_typed": "请输入张数（{count}）以确认",
    "batch_button": "确认全部送达",
    "delete_title": "确认删除草稿会议",
    "delete_summary": (
        "将删除草稿会议“{title}”及其 {motions} 项表决事项和 {officials} 名工作人员；删除记入审计日志。"
    ),
    "delete_button": "确认删除",
    "edit_title": "确认修改草稿会议",
    "edit_summary": "将以新内容替换草稿会议“{title}”：{changes}。",
    "edit_file": "按上传的会议文件替换全部内容（{motions} 项表决事项）",
    "edit_button": "确认修改",
}

#: The undelivered list and its export.
UNDELIVERED_WORDS = {
    "sheet": "未送达表决票",
    "file": "未送达表决票-{meeting}.xlsx",
    "file_building": "未送达表决票-{meeting}-{building}.xlsx",
    "all_buildings": "全部楼栋",
    "no_building": "（未标明楼栋）",
    "not_printed": "未印制或已作废",
}
UNDELIVERED_HEADINGS = ("表决人序号", "表决票编号", "楼栋", "房屋", "业主姓名", "备注")

#: What a console form did (``?done=…`` on the page it leads back to).
DONE_WORDS = {
    "published": "会议已发布，业主名册已冻结。",
    "edited": "草稿会议已修改。",
    "deleted": "草稿会议已删除。",
    "delivered": "送达已登记。",
    "corrected": "送达记录已更正（原记录已替换，记入审计日志）。",
    "batch": "已按楼栋登记送达。",
    "opened": "已开始表决。",
    "sealed": "已封存并计票。",
    "revoked": "表决票已作废，请在“表决票”中补发。",
    "transfer_stands": "产权转移已登记：原业主已表决，按本地规则其表决有效，不补发表决票。",
    "head": "已签署公示：当前表决记录的摘要已由会议密钥签名，并可在公开核验页面下载公示快照。",
}
#: The kinds of meeting, as the forms offer them.
KIND_TITLES = {"regular": "定期会议", "special": "临时会议", "first": "首次业主大会会议"}

#: Proxies (委托投票): recording a written authorisation and the proxy's ballots.
PROXY_MESSAGES = {
    "voting_rule_unsupported": (
        "本地规则“{profile}”的 {key} = {value} 本平台尚不支持，会议不能发布；请联系管理员"
    ),
    "voting_transfer_status": "会议{status}，不能登记产权转移（须在发布后、表决截止前登记）",
    "voting_transfer_closed": "表决已截止，不能再登记产权转移",
    "voting_transfer_rule": "本地规则的产权转移处理方式“{rule}”本平台尚不支持，请联系管理员",
    "voting_transfer_no_name": "请填写新业主姓名",
    "voting_transfer_future": "产权转移登记日期 {date} 晚于今天",
    "voting_transfer_same_owner": "新业主与原业主同名，请核对",
    "voting_transfer_exists": "该房屋的产权转移已登记（新业主：{name}），不能重复登记",
    "voting_proxy_status": "会议{status}，不能登记委托投票（须在发布后、表决截止前登记）",
    "voting_proxy_closed": "表决已截止，不能再登记委托投票",
    "voting_proxy_voted": "该表决人已于 {at} 网上投票，不能再委托他人表决",
    "voting_proxy_exists": "该表决人已委托{name}表决（第 {number} 号委托书），不能重复委托",
    "voting_proxy_cap": "{name}已受 {count} 名业主委托，{source}规定一名受托人最多接受 {cap} 名业主的委托",
    "voting_proxy_no_name": "请填写受托人姓名",
    "voting_proxy_bad_id": "受托人身份证件号码有误（应为 6–18 位字母或数字）",
    "voting_proxy_no_motions": "请选择委托表决的议题",
    "voting_proxy_unknown_motion": "委托书中的第 {motion} 项不是本次会议的表决事项",
    "voting_proxy_instructions_required": (
        "{source}规定受托人须按委托人的意愿表决：请填写委托人对第 {motion} 项的表决意见"
    ),
    "voting_proxy_bad_instruction": "委托人对第 {motion} 项的表决意见无效",
    "voting_proxy_no_scan": "请上传委托人签名的授权委托书扫描件（PDF、JPG 或 PNG）",
    "voting_proxy_scan_type": "授权委托书扫描件须为 PDF、JPG 或 PNG 文件",
    "voting_proxy_self": "受托人不能是委托人本人",
    "voting_proxy_not_found": "未找到第 {number} 号委托书",
    "voting_proxy_unchecked": "请先核对授权委托书原件并勾选确认（登记后委托人原表决票作废）",
    "voting_proxy_concurrent": "该表决人的委托投票正由他人登记，请刷新后查看",
    "voting_cast_proxy_motion": "受托人只能对授权委托书载明的议题表决",
    "voting_cast_proxy_instructions": "受托人须按授权委托书载明的委托人意见表决",
}
ERRORS.update(PROXY_MESSAGES)
#: How a proxy's sheet names its holder, and the revocation reason of the owner's own sheet.
TRANSFER_WORDS = {
    "holder": "{name}（新业主）",
    "revoked": "产权转移：{on}转让给{name}，原业主表决票作废",
    "voted_online": "原业主已于 {at} 网上投票，按本地规则原业主的表决有效，不为新业主补发表决票。",
    "paper_returned": "原业主已交回纸质表决票，按本地规则原业主的表决有效，不为新业主补发表决票。",
    "reissued": "产权转移已登记，原业主表决票已作废；请将新表决票送达新业主。",
    "outcome_ballot_stands": "原业主已表决，其表决有效，未补发",
    "outcome_reissued": "原表决票作废，已为新业主补发",
}

PROXY_WORDS = {
    "holder": "{principal}（委托人）　受托人：{proxy}",
    "revoked": "委托投票：表决权由受托人{proxy}行使",
    "instructed": "委托人意见：{answer}",
    "not_authorised": "未委托",
    "done": "委托投票已登记，原表决票已作废；请将受托人表决票交给受托人。",
}
