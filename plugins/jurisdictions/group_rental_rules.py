"""Group-rental (群租) rule sets, one per profile, each value beside its article and evidence grade.

Read by the ``group_rental`` plugin as ``profile.rules["group_rental"]``. Keys:

``collective_dormitory``
    Criterion 1 on/off: a unit's collective dormitory inside a residential estate.
``partition_or_bed``
    Criterion 2 on/off: a room designed as living space partitioned (or built) into several and let,
    or let by the bed.
``forbidden_spaces``
    Criterion 3: designed uses that may not be let for living in.
``min_area_per_person_centi``
    Criterion 4: living area per person in a let room, integer hundredths of a m²; a room is in breach
    when its area per person is strictly BELOW the value (低于), so exactly the value is lawful.
    ``None``: the profile sets no number.
``area_basis``
    Which area the officer measures (Shanghai: usable area of rooms originally designed as living space).
``max_persons_per_room``
    Criterion 5: a let room is in breach when its occupants are strictly MORE than the value (超过).
``family_exception``
    Criterion 5 does not apply when all occupants owe each other legal support (赡养、抚养、扶养).
``living_room_exception``
    ``None`` (off) or the agency-managed living-room exception: ``min_area_centi`` (以上: inclusive),
    daylight and ventilation required, once per flat, never a dining room or hall.
``rectification_period``
    ``{"days", "unit"}``: the time given in the rectification order (责令限期改正).

Grades follow ``shared/reference/jurisdiction-rules.md`` §4: ``S`` secondary source quoting the text,
``UNCONFIRMED`` not found in a primary text (shipped as a setting and flagged in the docs).
"""

from __future__ import annotations

from core import Rule, Source

FORBIDDEN_SPACES = ("kitchen", "bathroom", "balcony", "basement_storage")

# --- national -------------------------------------------------------------------------------------
NATIONAL_ART_8 = Source(
    "《商品房屋租赁管理办法》（住房和城乡建设部令第6号）第八条",
    grade="S",
    note="人均租住建筑面积不得低于当地人民政府规定的最低标准：全国规定未设具体数值",
)
NATIONAL_LOCAL = Source(
    "《商品房屋租赁管理办法》（住房和城乡建设部令第6号）第八条",
    grade="S",
    note="由当地人民政府规定；全国默认规则不设数值，请选用地方规则",
)
#: The rectification period. Checked 2026-11-24 against shared/domain.md §4 and seed 000 §16 (“《责令改正
#: 通知书》送达”, “逾期不改正”): neither gives a number of days, and no stored primary text does. The
#: regulations say only 责令限期改正 (the authority sets the time), so 15 calendar days is the office's
#: setting, counted from the day after the order is issued (Civil Code Art. 201), and stays UNCONFIRMED.
PERIOD_NOTE = (
    "种子文件000第16项和domain.md第4节只写“责令改正”“逾期不改正”，均未规定期限；"
    "规章只规定“责令限期改正”，期限由主管部门确定。15日（自制发次日起算的日历日）为办公室默认设置，未经证实"
)
NATIONAL_PERIOD = Source(
    "《商品房屋租赁管理办法》（住房和城乡建设部令第6号）第二十二条（责令限期改正；条文号未核对原文）",
    grade="UNCONFIRMED",
    note=PERIOD_NOTE,
)

GROUP_RENTAL_NATIONAL = {
    "collective_dormitory": Rule(False, NATIONAL_LOCAL),
    "partition_or_bed": Rule(True, NATIONAL_ART_8),
    "forbidden_spaces": Rule(FORBIDDEN_SPACES, NATIONAL_ART_8),
    "min_area_per_person_centi": Rule(None, NATIONAL_LOCAL),
    "area_basis": Rule("floor_area", NATIONAL_ART_8),
    "max_persons_per_room": Rule(None, NATIONAL_LOCAL),
    "family_exception": Rule(True, NATIONAL_LOCAL),
    "living_room_exception": Rule(None, NATIONAL_LOCAL),
    "rectification_period": Rule({"days": 15, "unit": "calendar"}, NATIONAL_PERIOD),
}

# --- Shanghai -------------------------------------------------------------------------------------
SH_ART_10 = Source("《上海市居住房屋租赁管理办法》（2014年5月1日施行）第十条", grade="S")
SH_ART_11 = Source("《上海市居住房屋租赁管理办法》（2014年5月1日施行）第十一条", grade="S")
SH_OPINION = "《关于加强本市住宅小区出租房屋综合管理工作的实施意见》（2014年）"
SH_TEST_1 = Source(SH_OPINION + "“群租”认定标准第1项", grade="S")
SH_TEST_2 = Source(SH_OPINION + "“群租”认定标准第2项", grade="S")
SH_TEST_3 = Source(SH_OPINION + "“群租”认定标准第3项", grade="S")
SH_TEST_4 = Source(SH_OPINION + "“群租”认定标准第4项；《上海市居住房屋租赁管理办法》第十条", grade="S")
SH_TEST_5 = Source(SH_OPINION + "“群租”认定标准第5项；《上海市居住房屋租赁管理办法》第十条", grade="S")
SH_LIVING_ROOM = Source(
    "《关于鼓励社会各类机构代理经租社会闲置存量住房试行意见》（市住房保障房屋管理局等七部门，市政府办公厅转发）",
    grade="UNCONFIRMED",
    note="种子文件000第16项引用；原文未见，12平方米客厅分隔规则仅在无锡市房屋租赁管理办法第九条得到证实",
)
SH_PERIOD = Source(
    "《上海市居住房屋租赁管理办法》（责令限期改正）；种子文件000第16项（《责令改正通知书》送达）",
    grade="UNCONFIRMED",
    note=PERIOD_NOTE,
)

GROUP_RENTAL_SHANGHAI = {
    "collective_dormitory": Rule(True, SH_TEST_1),
    "partition_or_bed": Rule(True, SH_TEST_2),
    "forbidden_spaces": Rule(FORBIDDEN_SPACES, SH_TEST_3),
    "min_area_per_person_centi": Rule(500, SH_TEST_4),
    "area_basis": Rule("usable_area_of_living_rooms", SH_ART_10),
    "max_persons_per_room": Rule(2, SH_TEST_5),
    "family_exception": Rule(True, SH_ART_10),
    "living_room_exception": Rule(
        {
            "min_area_centi": 1200,
            "daylight": True,
            "ventilation": True,
            "once_per_flat": True,
            "excluded_uses": ("dining", "hall"),
        },
        SH_LIVING_ROOM,
    ),
    "rectification_period": Rule({"days": 15, "unit": "calendar"}, SH_PERIOD),
}

# --- Beijing --------------------------------------------------------------------------------------
BJ_NOTICE = Source(
    "北京市住建委等《关于公布本市出租房屋人均居住面积标准等有关问题的通知》（2013年7月）",
    grade="S",
    note="文号京建法〔2013〕8号未经证实；2022年市政府问答确认仍然有效",
)
BJ_NOT_IN_NOTICE = Source(
    "北京市住建委等《关于公布本市出租房屋人均居住面积标准等有关问题的通知》（2013年7月）",
    grade="S",
    note="通知未列集体宿舍或客厅分隔例外",
)
BJ_PERIOD = Source(
    "北京市住建委等《关于公布本市出租房屋人均居住面积标准等有关问题的通知》（责令改正）",
    grade="UNCONFIRMED",
    note=PERIOD_NOTE,
)

GROUP_RENTAL_BEIJING = {
    "collective_dormitory": Rule(False, BJ_NOT_IN_NOTICE),
    "partition_or_bed": Rule(True, BJ_NOTICE),
    "forbidden_spaces": Rule(FORBIDDEN_SPACES, BJ_NOTICE),
    "min_area_per_person_centi": Rule(500, BJ_NOTICE),
    "area_basis": Rule("living_area", BJ_NOTICE),
    "max_persons_per_room": Rule(2, BJ_NOTICE),
    "family_exception": Rule(True, BJ_NOTICE),
    "living_room_exception": Rule(None, BJ_NOT_IN_NOTICE),
    "rectification_period": Rule({"days": 15, "unit": "calendar"}, BJ_PERIOD),
}
