"""The 住房状况核查结果报告's context (templates/report.docx): the letter, a section per household with
its members (ID numbers masked), steps, computation and conclusion, and the deadline met or missed.
Pure: the service gathers the data and renders."""

from __future__ import annotations

from datetime import date
from typing import Any

from core import Deadline, chinese_date, chinese_number, mask_id
from plugins.housing_check import messages
from plugins.housing_check.messages import label

#: The 发文字号's kind for the report (core.documents.numbers): one number per entrustment.
NUMBER_KIND = "housing_check.report"


def _ordinal(n: int) -> str:
    return chinese_number(n) if n < 32 else str(n)


def report_context(
    district: Any,
    row: dict[str, Any],
    sections: list[dict[str, Any]],
    officers: list[dict[str, Any]],
    *,
    deadline: Deadline,
    due: Any,
    issued: date,
    met: bool,
) -> dict[str, Any]:
    """The report's context: ``row`` is the entrustment, ``due`` its computed due date."""
    return {
        "issuer": messages.REPORT["issuer"].format(district=district.name),
        "doc_number": "",
        "title": messages.REPORT["title"],
        "addressee": row["entrusting_office"],
        "intro": [
            messages.REPORT["intro"].format(
                letter_no=row["letter_no"].removesuffix("号"),
                received=chinese_date(row["received_on"]),
                scheme=label(f"scheme.{row['scheme']}"),
                count=len(sections),
            )
        ],
        "households": sections,
        "closing": [
            messages.REPORT["deadline"].format(
                days=deadline.days,
                due=chinese_date(due.due),
                provisional=messages.REPORT["provisional"] if due.provisional else "",
                issued=chinese_date(issued),
                state=label("met") if met else label("late"),
            ),
            messages.REPORT["confidential"],
        ],
        "officers": "、".join(o["display_name"] or o["username"] for o in officers) or "—",
        "date_cn": chinese_date(issued),
    }


def household_section(number: int, data: dict[str, Any]) -> dict[str, Any]:
    """One household's section of the report (``data`` as services.households.household_data gives it)."""
    members = data["members"]
    applicant = members[0]["name"] if members else ""
    computation = data["computation"]
    return {
        "heading": messages.REPORT["heading"].format(
            n=_ordinal(number), name=applicant, no=data["household_no"]
        ),
        "members": [
            {
                "n": i,
                "name": m["name"],
                "relation": m["relation"],
                "id_number": mask_id(m["id_number"]),
            }
            for i, m in enumerate(members, start=1)
        ],
        "steps": [
            messages.REPORT["step"].format(
                date=chinese_date(s["date"]),
                kind=s["kind_label"],
                officer=s["officer"],
                result=s["result_label"],
                finding=s["finding"],
            )
            for s in data["steps"]
        ],
        "computation": computation["steps"],
        "conclusion": messages.REPORT["conclusion"].format(
            members=computation["members"],
            total=computation["total"],
            per_person=computation["per_person"],
            basis=label(f"area.{computation['basis']}"),
        ),
    }
