"""Shared housing_check fixtures: a district with the duty on, a supervisor, officers, and valid
resident ID numbers (the check character computed, GB 11643)."""

from __future__ import annotations

import pytest

from core.district_services import add_district, switch_plugin
from plugins.housing_check.services.access import SUPERVISOR_SCOPE

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(serial: int, birth: str = "19800101") -> str:
    body = f"310101{birth}{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


HEADER = "household_no,name,id_number,relation"


def list_rows() -> list[str]:
    return [
        f"H1,张伟,{id_number(11)},申请人",
        f"H1,李娜,{id_number(12, '19820202')},配偶",
        f"H1,张小明,{id_number(13, '20100303')},子女",
        f"H2,王芳,{id_number(21, '19750505')},申请人",
    ]


def list_csv(rows: list[str] | None = None) -> bytes:
    return ("\n".join([HEADER, *(list_rows() if rows is None else rows)]) + "\n").encode()


def letter(
    received_on: str, letter_no: str = "沪保委〔2026〕18号", scheme: str = "low_rent"
) -> dict[str, str]:
    return {
        "entrusting_office": "甲街道住房保障实施机构",
        "scheme": scheme,
        "letter_no": letter_no,
        "received_on": received_on,
    }


@pytest.fixture
async def district(db):
    info = await add_district(db, "test", "alpha", "甲街道")
    await switch_plugin(db, "test", info, "housing_check", True)
    other = await add_district(db, "test", "beta", "乙街道")
    await switch_plugin(db, "test", other, "housing_check", True)
    return info


@pytest.fixture
async def people(district, staff_factory):
    """sup (supervisor of alpha), officer_a (to be assigned), officer_b (alpha, not assigned),
    officer_x (beta's supervisor)."""
    await staff_factory("sup", "district_officer", "alpha", scope=SUPERVISOR_SCOPE)
    await staff_factory("officer_a", "district_officer", "alpha")
    await staff_factory("officer_b", "district_officer", "alpha")
    await staff_factory("officer_x", "district_officer", "beta", scope=SUPERVISOR_SCOPE)
    return ["sup", "officer_a", "officer_b", "officer_x"]
