"""Build the .docx templates shipped in core/templates/ and plugins/voting/templates/ (deterministic;
run after changing a layout).

.venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.documents.layout import (
    TITLE_FONT,
    add_issuer_block,
    add_page_break_between,
    add_signature,
    add_table,
    add_title,
    add_verification_annex,
    control,
    new_document,
    official_document,
    paragraph,
    save_deterministic,
)

ROOT = Path(__file__).resolve().parent.parent


def ballot_sheets():
    """plugins/voting/templates/ballot.docx: one page per voter, with the QR code and the motions."""
    document = new_document()
    control(document, "{%p for s in sheets %}")
    paragraph(
        document,
        "{{ meeting_title|title_lines(23) }}",
        font=TITLE_FONT,
        size=18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact_line=None,
        space_after=2,
    )
    paragraph(
        document,
        "表 决 票",
        font=TITLE_FONT,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact_line=None,
        space_after=6,
    )
    paragraph(document, "表决票编号：{{ s.serial }}　　表决人：{{ s.name }}", size=12, exact_line=20)
    paragraph(document, "房屋：{{ s.units }}　　专有部分面积：{{ s.area }} 平方米", size=12, exact_line=20)
    paragraph(document, "{{ s.qr }}", align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=None, space_before=4)
    paragraph(
        document,
        "用手机扫描上方二维码即可在线表决。无法扫码时，请打开 {{ vote_url }} 并输入投票码：",
        size=10.5,
        exact_line=16,
    )
    paragraph(
        document, "{{ s.code }}", size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=16, space_after=4
    )
    add_table(
        document,
        ["序号", "表决事项", "同意", "反对", "弃权"],
        ["{{ m.position }}", "{{ m.title }}", "{{ m.box }}", "{{ m.box }}", "{{ m.box }}"],
        "m in resolutions",
        [14, 96, 16, 16, 16],
    )
    control(document, "{%p for e in elections %}")
    paragraph(
        document,
        "{{ e.position }}. {{ e.title }}"
        "（应选 {{ e.seats }} 名，最多选 {{ e.seats }} 名，在所选候选人后打“√”）",
        size=12,
        exact_line=20,
        space_before=4,
    )
    paragraph(
        document,
        "{% for c in e.candidates %}{{ c.name }} {{ e.box }}　　{% endfor %}",
        size=12,
        exact_line=20,
    )
    control(document, "{%p endfor %}")
    paragraph(
        document,
        "说明：1. 在线表决后会显示带签名的回执，请保存以便核对。"
        "2. 纸质表决请在方框内打“√”，签名后于 {{ closes }} 前投入票箱或交回。"
        "3. 线上、纸质只能选择一种方式，重复表决按表决规则处理。"
        "4. 本票遗失请向{{ issuer }}申请补发，原票作废。",
        size=10.5,
        exact_line=16,
        space_before=6,
    )
    paragraph(document, "表决结果及核验：{{ verify_url }}", size=10.5, exact_line=16)
    paragraph(
        document,
        "业主（代理人）签名：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿",
        size=12,
        exact_line=24,
        space_before=8,
    )
    add_page_break_between(document)
    control(document, "{%p endfor %}")
    return document


def meeting_notice():
    """plugins/voting/templates/notice.docx: the meeting notice (公告), GB/T 9704 layout."""
    document = new_document()
    add_issuer_block(document)
    add_title(document, '"关于召开" ~ meeting_title ~ "的公告"')
    paragraph(document, "全体业主：")
    for text in (
        "根据《中华人民共和国民法典》第二百七十八条及本小区业主大会议事规则，定于{{ meeting_date_cn }}召开"
        "{{ meeting_title }}，采用书面（含线上）表决方式。现将有关事项公告如下。",
        "一、表决票送达：{{ delivery_deadline_cn }}前送达全体业主，送达情况另行公布。",
        "二、表决时间：自{{ meeting_date_cn }}起至{{ closes_cn }}止；{{ count_date_cn }}"
        "{% if location %}在{{ location }}{% endif %}公开唱票、计票、监票。",
        "三、表决方式：扫描表决票上的二维码在线表决并保存回执；或在纸质表决票上勾选、签名后交回。两种方式只能选择一种。",
        "四、表决规则（{{ profile_name }}）：{{ rule_summary }}",
        "五、表决事项如下：",
    ):
        paragraph(document, text, indent_chars=2)
    add_table(
        document,
        ["序号", "表决事项", "事项类别", "通过条件", "说明"],
        ["{{ m.position }}", "{{ m.title }}", "{{ m.matter }}", "{{ m.rule }}", "{{ m.detail }}"],
        "m in motions",
        [12, 42, 36, 40, 26],
        size=10.5,
    )
    paragraph(
        document,
        "六、监票、计票、唱票人员：{% for o in officials %}{{ o.role }}{{ o.name }}"
        "{% if not loop.last %}；{% endif %}{% endfor %}。",
        indent_chars=2,
        space_before=6,
    )
    paragraph(
        document,
        "七、本次表决人共 {{ voters }} 名。业主名册和会议密钥的核验码如下（完整数值见附件，"
        "表决回执和计票结果据此核验）：",
        indent_chars=2,
    )
    paragraph(document, "业主名册核验码：{{ register_code }}", indent_chars=2)
    paragraph(document, "会议密钥核验码：{{ key_code }}", indent_chars=2)
    paragraph(
        document,
        "表决结果将在计票后公告，业主可访问 {{ verify_url }} 查看结果并核验本人表决票是否计入。",
        indent_chars=2,
    )
    add_signature(document)
    add_verification_annex(
        document,
        [("业主名册摘要（SHA-256）", "{{ register_digest }}"), ("会议电子签名公钥", "{{ meeting_key }}")],
    )
    return document


def _result_document(title: str, lead: str, closing: str, *, phase: bool):
    """The result's documents share their body: the count, a table per motion by area and headcount,
    the rule and the reason, the officials; ``closing`` says what the reader may do next."""
    document = new_document()
    add_issuer_block(document)
    add_title(document, f'meeting_title ~ "{title}"')
    paragraph(document, "全体业主：")
    for text in (
        "{{ meeting_title }}自{{ meeting_date_cn }}起至{{ closes_cn }}止以书面（含线上）方式表决，"
        "于{{ count_date_cn }}公开唱票、计票、监票。本次表决适用{{ profile_name }}。",
        "本次会议共有表决人 {{ voters }} 名，专有部分总面积 {{ area_total }} 平方米。"
        "收回并计入表决票 {{ counted }} 张，其中网上表决票 {{ online }} 张、纸质表决票 {{ paper }} 张。"
        "{% if set_aside %}另有 {{ set_aside }} 张表决票依规则不计入（详见表决记录）。{% endif %}",
    ):
        paragraph(document, text, indent_chars=2)
    if phase:
        control(document, "{%p if preliminary %}")
        paragraph(document, "{{ preliminary }}", indent_chars=2)
        control(document, "{%p endif %}")
    paragraph(document, lead, indent_chars=2)
    control(document, "{%p for m in motions %}")
    paragraph(document, "{{ m.heading }}", indent_chars=2, space_before=6)
    add_table(
        document,
        ["项目", "专有部分面积（平方米）", "占比", "人数", "占比"],
        ["{{ r.label }}", "{{ r.area }}", "{{ r.area_share }}", "{{ r.heads }}", "{{ r.heads_share }}"],
        "r in m.rows",
        [26, 30, 46, 18, 32],  # the area share column holds "25519.56/30358.84" on one line
        size=10.5,
    )
    paragraph(document, "表决规则：{{ m.rule }}", indent_chars=2, size=12)
    paragraph(document, "{{ m.reason }}", indent_chars=2, size=12)
    control(document, "{%p endfor %}")
    paragraph(
        document,
        "计票人：{{ counters }}；监票人：{{ scrutineers }}"
        "{% if callers %}；唱票人：{{ callers }}{% endif %}。",
        indent_chars=2,
        space_before=6,
    )
    paragraph(document, closing, indent_chars=2)
    paragraph(document, "{{ qr }}", align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=None, space_before=4)
    paragraph(document, "核验码：{{ check_code }}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, exact_line=20)
    add_signature(document)
    add_verification_annex(
        document, [("封存哈希根", "{{ root }}"), ("会议电子签名公钥", "{{ meeting_key }}")]
    )
    return document


def result_announcement():
    """plugins/voting/templates/result.docx: the result announcement (表决结果公告), GB/T 9704 layout."""
    return _result_document(
        "表决结果公告",
        "现将表决结果公告如下：",
        "表决记录已于{{ sealed_cn }}封存。业主可扫描下方二维码或访问 {{ verify_url }} 查看结果、"
        "下载表决记录并核验本人表决票是否计入；核验页面显示的核验码应与本公告所载一致。"
        "对本公告有异议的，可自公告之日起向业主委员会或街道房屋管理事务机构提出。",
        phase=True,
    )


def preliminary_notice():
    """plugins/voting/templates/preliminary.docx: the preliminary result notice (初步统计结果公示),
    which opens the objection period before the final announcement."""
    return _result_document(
        "表决初步统计结果公示",
        "现将初步统计结果公示如下：",
        "公示期自{{ issued_cn }}起至{{ until_cn }}止（{{ period_days }}{{ period_unit }}，"
        "依据：{{ period_source }}）。业主对统计结果有异议的，请在公示期内以书面形式向业主委员会提出，"
        "写明姓名、房号和异议内容；业主委员会将逐件答复，公示期满且异议均已答复后公告最终表决结果。"
        "表决记录已于{{ sealed_cn }}封存，业主可扫描下方二维码或访问 {{ verify_url }} "
        "查看并核验本人表决票是否计入。",
        phase=False,
    )


def extension_notice():
    """plugins/voting/templates/extension.docx: the extension notice (延期公告) of an open vote."""
    document = new_document()
    add_issuer_block(document)
    add_title(document, '"关于" ~ meeting_title ~ "延长表决期限的公告"')
    paragraph(document, "全体业主：")
    for text in (
        "{{ meeting_title }}原定表决截止时间为{{ old_closes_cn }}。截至本公告发布时，{{ turnout }}。",
        "因{{ reason }}，经研究，表决截止时间延长至{{ new_closes_cn }}，计票日调整为{{ count_date_cn }}。"
        "已投票的业主无需重新投票；尚未投票的业主，请在新的截止时间前扫描表决票上的二维码"
        "或访问 {{ vote_url }} 在线表决，或将纸质表决票投入票箱。",
        "特此公告。",
    ):
        paragraph(document, text, indent_chars=2)
    add_signature(document)
    return document


def delivery_list():
    """plugins/voting/templates/delivery.docx: the delivery record (送达记录) of every voter."""
    document = new_document()
    add_issuer_block(document)
    add_title(document)
    paragraph(
        document, "送达期限：{{ deadline }}。已送达 {{ delivered }} 户，共 {{ total }} 户。", indent_chars=2
    )
    add_table(
        document,
        ["编号", "表决人", "房屋", "送达方式", "送达日期", "签收人/见证人"],
        [
            "{{ r.serial }}",
            "{{ r.name }}",
            "{{ r.units }}",
            "{{ r.method }}",
            "{{ r.date }}",
            "{{ r.proof }}",
        ],
        "r in rows",
        [18, 26, 28, 26, 26, 32],
        size=10.5,
    )
    # a body line after the table: it goes with the signature to a new page (a table cannot be kept
    # with the paragraph after it in LibreOffice), so the seal and date never stand alone
    paragraph(
        document,
        "以上共 {{ total }} 户，其中已送达 {{ delivered }} 户。",
        indent_chars=2,
        space_before=6,
    )
    add_signature(document)
    return document


def main() -> None:
    targets = {
        ROOT / "core" / "templates" / "official.docx": official_document,
        ROOT / "plugins" / "voting" / "templates" / "ballot.docx": ballot_sheets,
        ROOT / "plugins" / "voting" / "templates" / "notice.docx": meeting_notice,
        ROOT / "plugins" / "voting" / "templates" / "delivery.docx": delivery_list,
        ROOT / "plugins" / "voting" / "templates" / "result.docx": result_announcement,
        ROOT / "plugins" / "voting" / "templates" / "preliminary.docx": preliminary_notice,
        ROOT / "plugins" / "voting" / "templates" / "extension.docx": extension_notice,
    }
    for target, build in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        save_deterministic(build(), target)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
