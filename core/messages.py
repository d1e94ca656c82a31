"""Every message core shows to a person, in one place so it can be translated.

Plugins keep their own catalogue in ``plugins/<name>/messages.py`` and hand it over through the
``register_messages`` hook; :func:`core.plugins.create_plugin_manager` adds every plugin's catalogue
here (:func:`add_messages`) so :class:`core.errors.WuyeError` can find it by code.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    # generic HTTP
    "bad_request": "请求格式不正确",
    "invalid_json": "请求内容不是有效的 JSON",
    "validation_failed": "提交的数据不符合要求：{detail}",
    "not_found": "未找到所请求的页面或记录",
    "method_not_allowed": "不支持该请求方法",
    "payload_too_large": "提交的内容过大",
    "payload_too_large_limit": "提交的内容过大：不能超过 {mb} MB",
    "unsupported_media_type": "不支持的内容类型",
    "internal_error": "服务器内部错误，请稍后再试；如持续出现请联系管理员",
    "too_many_requests": "请求过于频繁，请稍后再试",
    "control_characters": "请求中含有不可见的控制字符，请检查链接或填写的内容",
    "upload_name_control": "上传文件的名称“{name}”含有不可见的控制字符，请改名后再上传",
    "json_too_deep": "请求内容嵌套层数过多，无法读取",
    "invalid_form": "表单内容无法读取：字段名和文字字段须为 UTF-8 编码",
    # uploaded lists (core.data.tabular; in the plugin's "unreadable" message as {detail})
    "tabular_xls": "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再上传",
    "tabular_encoding": "无法识别文字编码（支持 UTF-8、GBK 和 UTF-16），请另存为 CSV UTF-8 后再上传",
    "tabular_quote": "第 {row} 行附近的引号不配对或格式错误（单元格内的引号应写成两个）",
    "tabular_control": "第 {row} 行含有不可见的控制字符，请检查是否误传了其他文件",
    "tabular_long_cell": "第 {row} 行有单元格超过 {max} 个字符",
    "tabular_xlsx": "XLSX 文件已损坏或不是 Excel 文件（{reason}），请重新导出",
    "tabular_no_sheet": "XLSX 文件中没有工作表",
    # the confirmation panel of an irreversible console action (core.web.confirm)
    "confirm_button": "确认",
    "confirm_cancel": "取消",
    "confirm_irreversible": "此操作不可撤销，请核对后再确认。",
    "confirm_duplicate": "请核对是否重复登记；确属另一件的，可仍然创建。",
    "confirm_typed_wrong": "输入的内容与要求不符：请输入“{expected}”以确认",
    "confirm_state_changed": (
        "自您打开本确认以来情况已有变化（可能已有人办理，或确认被重复提交），请核对下面的新情况后再确认"
    ),
    "confirm_files_again": "浏览器不能代为保留已选的文件，请重新选择后再确认",
    # switching a duty off (core/templates/plugins.html)
    "confirm_plugin_off_title": "确认停用“{title}”",
    "confirm_plugin_off_summary": (
        "停用后，本辖区（{district}）的“{title}”菜单和页面立即不可用，办理中的事项无法继续办理；"
        "已有数据保留，重新启用后恢复。"
    ),
    "confirm_plugin_off_button": "确认停用",
    # the fill-in template of an import and exported lists (core.data.workbook)
    "workbook_notes_column": "列名",
    "workbook_notes_meaning": "含义",
    "workbook_notes_required": "是否必填",
    "workbook_notes_allowed": "可填写的值",
    "workbook_notes_unit": "单位",
    "workbook_notes_aliases": "也可使用的列名",
    "workbook_required": "必填",
    "workbook_optional": "选填",
    "workbook_note_header": (
        "表头须在第一行（其上方可保留一行标题）；第二行是示例，导入前请改为实际数据或删除。"
    ),
    "workbook_note_formats": (
        "可保存为 Excel 工作簿（.xlsx）或 CSV（UTF-8、GBK 均可）；列的顺序不限，列名中的单位可写可不写。"
    ),
    "upload_limit": "文件不超过 {mb} MB",
    "upload_too_large": "文件过大：不能超过 {mb} MB，请删减或压缩后重新选择",
    # auth
    "not_authenticated": "请先登录",
    "bad_credentials": "用户名或密码不正确",
    "account_disabled": "该账号已停用",
    "login_throttled": "登录失败次数过多，为保护账号安全已暂停登录，请 {minutes} 分钟后再试；"
    "如忘记密码请联系管理员重置",
    "forbidden": "您没有执行此操作的权限",
    "csrf_failed": "页面已过期或来源不可信，请刷新后重试",
    "bad_token": "访问令牌无效或已过期",
    # districts and plugins
    "district_not_found": "未找到该区/街道",
    "estate_not_found": "未找到该小区",
    "estate_exists": "该小区编号已存在：{code}",
    "district_exists": "该区/街道编号已存在：{slug}",
    # a district's clock (core.clock): training districts (演练) only
    "clock_production": "{district}是正式区/街道，不能调整时钟；只有培训区（演练）可以设定时钟",
    "clock_bad_moment": "无法识别的时间：{value}（格式如 2026-12-20 09:00）",
    "clock_banner": "演练环境：本区为培训区，此处的会议、表决和文书均为演练，不具效力。当前时钟 {now}",
    "clock_banner_set": "演练环境：本区为培训区，时钟已设为 {now}；此处的会议、表决和文书均为演练，不具效力",
    "clock_mark": "演练",
    "clock_document_mark": "演练文书（培训区，不具效力）",
    "bad_slug": "编号只能包含小写字母、数字和连字符，且以字母开头：{value}",
    "plugin_not_found": "未安装该功能模块：{plugin}",
    "plugin_essential": "基础模块不能停用：{plugin}",
    "jurisdiction_not_found": "未找到该地区规则：{code}",
    "jurisdiction_default_unknown": "默认地区规则 {code} 未注册（已注册：{known}）。"
    "请检查 WUYE_DEFAULT_JURISDICTION 或 wuye.toml 中的 default_jurisdiction，或启用提供该规则的插件。",
    "staff_not_found": "未找到该工作人员账号：{username}",
    "staff_exists": "该用户名已存在：{username}",
    "bad_role": "未知的角色：{role}",
    "weak_password": "密码至少需要 10 个字符",
    # the staff page's confirmations (core.web.staff_pages)
    "staff_done_create": "已新建账号 {username}",
    "staff_done_enable": "已启用账号 {username}",
    "staff_done_disable": "已停用账号 {username}，其登录和接口令牌已失效",
    "staff_done_password": "已重置 {username} 的密码",
    "staff_done_grant": "已授予 {username}：{role}",
    "staff_done_revoke": "已取消 {username} 的一项角色",
    "staff_done_token": "已为 {username} 签发接口令牌",
    "staff_done_token_revoke": "已吊销 {username} 的一个接口令牌",
    # staff accounts managed in the console (core.identity.accounts)
    "staff_bad_username": "用户名须以小写字母开头，只含小写字母、数字和 . _ -，2 至 64 个字符：{value}",
    "staff_bad_name": "请填写姓名（不超过 100 个字）",
    "staff_role_needs_estate": "“{role}”须指定所在小区",
    "staff_role_held": "该账号已有此角色：{role}",
    "staff_role_not_found": "未找到该角色授权",
    "staff_other_district": "账号 {username} 在其他街道也有角色，只能由市级管理员修改",
    "staff_not_yourself": "不能停用自己的账号或取消自己的管理员角色",
    "staff_token_label": "请填写令牌用途（不超过 100 个字）",
    "staff_token_days": "有效期只能选择 30、90 或 365 天",
    "staff_token_not_found": "未找到该接口令牌",
    "staff_disabled": "账号 {username} 已停用，不能签发接口令牌",
    # working days
    "bad_date": "日期格式不正确，应为 YYYY-MM-DD：{value}",
    "bad_days": "天数必须是 0 到 366 之间的整数：{value}",
    "calendar_year_missing": "{year} 年的节假日安排尚未载入，无法计算",
    "bad_calendar_file": "节假日安排文件有误：{detail}",
    # documents
    "template_not_found": "未找到文书模板：{name}",
    "template_error": "文书模板有误：{detail}",
    # audit
    "audit_broken": "审计日志校验失败：{detail}",
    # cli
    "db_unavailable": "无法连接数据库：{detail}",
}


#: What is wrong with one field of a request body (``core.web.bodies.BodyProblem.kind`` → words).
BODY_PROBLEMS: dict[str, str] = {
    "missing": "缺少此项",
    "unknown": "未知的字段",
    "bool": "应为 true 或 false",
    "int": "应为整数",
    "number": "应为数字",
    "str": "应为文字",
    "array": "应为列表",
    "object": "应为 JSON 对象",
    "null": "应为空值",
    "value": "取值不符合要求",
    "too_long": "长度不能超过 {bound}",
    "too_short": "长度不能少于 {bound}",
    "empty_value": "不能为空",
    "too_small": "不能小于 {bound}",
    "too_large": "不能大于 {bound}",
    "above": "应大于 {bound}",
    "below": "应小于 {bound}",
    "json": "不是有效的 JSON",
    "empty": "缺少请求内容",
}


#: Words official documents use for who did something, when no person's name is on file.
DOCUMENT_PEOPLE: dict[str, str] = {
    "operator": "系统管理员",
}


def add_messages(catalogue: dict[str, str]) -> None:
    """Add a plugin's messages; codes must not clash with existing ones."""
    for code, text in catalogue.items():
        if code in MESSAGES and MESSAGES[code] != text:
            raise ValueError(f"message code {code!r} is already defined")
        MESSAGES[code] = text


def message(code: str, /, **fmt: Any) -> str:
    """The Chinese text for ``code``, formatted with ``fmt``; the code itself if unknown."""
    text = MESSAGES.get(code, code)
    if fmt:
        try:
            return text.format(**fmt)
        except (KeyError, IndexError):
            return text
    return text


class Labels:
    """A plugin's table of words for pages and documents, looked up by key: ``label("status.open")``;
    ``label("calc.basis", scheme=…)`` fills the placeholders. An unknown key comes back as itself, so a
    missing word shows up on the page instead of failing it."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def __call__(self, key: str, /, **fmt: Any) -> str:
        text = self.table.get(key, key)
        return text.format(**fmt) if fmt else text
