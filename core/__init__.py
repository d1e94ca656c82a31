"""wuye core: the plugin SDK, the one module a plugin imports from.

::

    from core import hookimpl, district_router, record_audit, transaction, BadRequest, MenuItem

Everything a plugin may rely on is named here; the modules behind it (``core.data.db``,
``core.identity.audit``, …)
are the core's own and may change. An import-linter contract (``.importlinter``) holds plugins to it.
Names load lazily (PEP 562), so importing the SDK pulls in only what a module uses: the pure voting
verifier imports ``canonical_json`` without the web stack or the database layer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

hookimpl = pluggy.HookimplMarker("wuye")

#: SDK name -> (module, attribute).
_EXPORTS: dict[str, tuple[str, str]] = {
    "BadRequest": ("core.errors", "BadRequest"),
    "Conflict": ("core.errors", "Conflict"),
    "Forbidden": ("core.errors", "Forbidden"),
    "Invalid": ("core.errors", "Invalid"),
    "NotFound": ("core.errors", "NotFound"),
    "Unauthorized": ("core.errors", "Unauthorized"),
    "WuyeError": ("core.errors", "WuyeError"),
    "Event": ("core.events", "Event"),
    "emit_event": ("core.events", "emit"),
    "Deadline": ("core.jurisdiction", "Deadline"),
    "Jurisdiction": ("core.jurisdiction", "Jurisdiction"),
    "Rule": ("core.jurisdiction", "Rule"),
    "Source": ("core.jurisdiction", "Source"),
    "Threshold": ("core.jurisdiction", "Threshold"),
    "configured_registry": ("core.jurisdiction", "configured_registry"),
    "today_in": ("core.jurisdiction", "today_in"),
    "district_now": ("core.clock", "district_now"),
    "district_today": ("core.clock", "district_today"),
    "set_district_clock": ("core.clock", "set_district_clock"),
    "rehearsal_banner": ("core.clock", "rehearsal_banner"),
    "local_time": ("core.jurisdiction", "local_time"),
    "people_time": ("core.jurisdiction", "people_time"),
    "people_date": ("core.jurisdiction", "people_date"),
    "MenuItem": ("core.menu", "MenuItem"),
    "BoardItem": ("core.board", "BoardItem"),
    "BoardPanel": ("core.board", "BoardPanel"),
    "board_level": ("core.board", "level_for"),
    "package_folder": ("core.resources", "package_folder"),
    "Labels": ("core.messages", "Labels"),
    "message": ("core.messages", "message"),
    "RowProblem": ("core.data.imports", "RowProblem"),
    "Upload": ("core.data.imports", "Upload"),
    "district_router": ("core.web.routing", "district_router"),
    "ListColumn": ("core.web.listing", "ListColumn"),
    "ListFilter": ("core.web.listing", "ListFilter"),
    "list_view": ("core.web.listing", "list_view"),
    "admits": ("core.web.routing", "admits"),
    "Reach": ("core.web.routing", "Reach"),
    "reaches": ("core.web.routing", "reaches"),
    "public_router": ("core.web.routing", "public_router"),
    "record_audit": ("core.identity.audit", "record"),
    "people_names": ("core.identity.names", "people_names"),
    "people_name": ("core.identity.names", "people_name"),
    "record_read": ("core.identity.audit", "record_read"),
    "bulk_insert": ("core.data.db", "bulk_insert"),
    "json_value": ("core.data.db", "json_value"),
    "transaction": ("core.data.db", "transaction"),
    "DistrictInfo": ("core.districts", "DistrictInfo"),
    "plugin_config": ("core.districts", "plugin_config"),
    "get_district": ("core.districts", "get_district"),
    "get_estate": ("core.districts", "get_estate"),
    "list_estates": ("core.districts", "list_estates"),
    "register_cache": ("core.districts", "register_cache"),
    "Actor": ("core.identity.auth", "Actor"),
    "Grant": ("core.identity.auth", "Grant"),
    "add_estate": ("core.district_services", "add_estate"),
    "district_by_id": ("core.district_services", "district_by_id"),
    "menu_for": ("core.district_services", "menu_for"),
    "require_manager": ("core.district_services", "require_manager"),
    "district_page": ("core.web.pages", "district_page"),
    "BodyProblem": ("core.web.bodies", "BodyProblem"),
    "body_error_handlers": ("core.web.errors", "body_error_handlers"),
    "District": ("core.data.tables", "District"),
    "Estate": ("core.data.tables", "Estate"),
    "RoleGrant": ("core.data.tables", "RoleGrant"),
    "Staff": ("core.data.tables", "Staff"),
    "canonical_json": ("core.signing", "canonical_json"),
    "installation_secret": ("core.signing", "installation_secret"),
    "is_plain_json": ("core.signing", "is_plain_json"),
    "public_key_of": ("core.signing", "public_key_of"),
    "sha256_hex": ("core.signing", "sha256_hex"),
    "sign": ("core.signing", "sign"),
    "signed_message": ("core.signing", "signed_message"),
    "unwrap_secret": ("core.signing", "unwrap_secret"),
    "verify_signature": ("core.signing", "verify"),
    "wrap_secret": ("core.signing", "wrap_secret"),
    "DOCX": ("core.web.downloads", "DOCX"),
    "ATTACHMENT": ("core.web.downloads", "ATTACHMENT"),
    "ZIP": ("core.web.downloads", "ZIP"),
    "download": ("core.web.downloads", "download"),
    "attachment": ("core.web.downloads", "attachment"),
    "DocxImage": ("core.documents.render", "DocxImage"),
    "chinese_date": ("core.documents.render", "chinese_date"),
    "chinese_number": ("core.documents.render", "chinese_number"),
    "format_area": ("core.documents.render", "format_area"),
    "mask_id": ("core.documents.render", "mask_id"),
    "render_document": ("core.documents.render", "render_document"),
    "resolve_template": ("core.documents.render", "resolve_template"),
    "render_repeated": ("core.documents.batch", "render_repeated"),
    "batch_field": ("core.documents.batch", "token"),
    "allocate_doc_number": ("core.documents.numbers", "allocate"),
    "office_prefix": ("core.documents.numbers", "office_prefix"),
    "issued_doc_number": ("core.documents.numbers", "existing"),
    "display_name_of": ("core.documents.people", "display_name"),
    "short_code": ("core.documents.typeset", "short_code"),
    "WorkCalendar": ("core.calendar.workdays", "WorkCalendar"),
    "parse_date": ("core.calendar.workdays", "parse_date"),
    "work_calendar": ("core.calendar.store", "work_calendar"),
    "read_rows": ("core.data.tabular", "read_rows"),
    "map_header": ("core.data.tabular", "map_header"),
    "Column": ("core.data.tabular", "Column"),
    "Table": ("core.data.tabular", "Table"),
    "read_table": ("core.data.tabular", "read_table"),
    "header_key": ("core.data.tabular", "header_key"),
    "parse_flag": ("core.data.tabular", "parse_flag"),
    "parse_quantity": ("core.data.tabular", "parse_quantity"),
    "XLSX": ("core.data.workbook", "XLSX"),
    "upload_limit": ("core.web.forms", "upload_limit"),
    "read_form": ("core.web.forms", "read_form"),
    "check_uploads": ("core.web.forms", "check_uploads"),
    "oversized_uploads": ("core.web.forms", "oversized_uploads"),
    "megabytes": ("core.web.forms", "megabytes"),
    "UploadTooLarge": ("core.web.forms", "UploadTooLarge"),
    "Confirmation": ("core.web.confirm", "Confirmation"),
    "confirmation_pending": ("core.web.confirm", "pending"),
    "is_confirmed": ("core.web.confirm", "is_confirmed"),
    "confirm_fingerprint": ("core.web.confirm", "fingerprint"),
    "template_xlsx": ("core.data.workbook", "template_xlsx"),
    "table_xlsx": ("core.data.workbook", "table_xlsx"),
    "create_staff": ("core.identity.staff", "create_staff"),
    "grant_role": ("core.identity.staff", "grant_role"),
    "staff_id": ("core.identity.staff", "staff_id"),
    "DEMO_ACCOUNTS": ("core.cli.demo", "DEMO_ACCOUNTS"),
    "CLIError": ("core.cli.support", "CLIError"),
    "echo_json": ("core.cli.support", "echo_json"),
    "exit_program": ("core.cli.support", "exit_program"),
    "handle_errors": ("core.cli.support", "handle_errors"),
    "run_db": ("core.cli.support", "run_db"),
    "cli_actor": ("core.cli.support", "cli_actor"),
    "add_columns": ("core.data.migrations", "add_columns"),
    "add_indexes": ("core.data.migrations", "add_indexes"),
    "column_params": ("core.data.migrations", "column_params"),
    "Runtime": ("core.runtime", "Runtime"),
}

if TYPE_CHECKING:
    from core.board import BoardItem as BoardItem
    from core.board import BoardPanel as BoardPanel
    from core.board import level_for as board_level
    from core.calendar.store import work_calendar as work_calendar
    from core.calendar.workdays import WorkCalendar as WorkCalendar
    from core.calendar.workdays import parse_date as parse_date
    from core.cli.commands import cli_actor as cli_actor
    from core.cli.demo import DEMO_ACCOUNTS as DEMO_ACCOUNTS
    from core.cli.support import CLIError as CLIError
    from core.cli.support import echo_json as echo_json
    from core.cli.support import exit_program as exit_program
    from core.cli.support import handle_errors as handle_errors
    from core.cli.support import run_db as run_db
    from core.clock import district_now as district_now
    from core.clock import district_today as district_today
    from core.clock import rehearsal_banner as rehearsal_banner
    from core.clock import set_district_clock as set_district_clock
    from core.data.db import bulk_insert as bulk_insert
    from core.data.db import json_value as json_value
    from core.data.db import transaction as transaction
    from core.data.imports import RowProblem as RowProblem
    from core.data.imports import Upload as Upload
    from core.data.migrations import add_columns as add_columns
    from core.data.migrations import add_indexes as add_indexes
    from core.data.migrations import column_params as column_params
    from core.data.tables import District as District
    from core.data.tables import Estate as Estate
    from core.data.tables import RoleGrant as RoleGrant
    from core.data.tables import Staff as Staff
    from core.data.tabular import Column as Column
    from core.data.tabular import Table as Table
    from core.data.tabular import header_key as header_key
    from core.data.tabular import map_header as map_header
    from core.data.tabular import parse_flag as parse_flag
    from core.data.tabular import parse_quantity as parse_quantity
    from core.data.tabular import read_rows as read_rows
    from core.data.tabular import read_table as read_table
    from core.data.workbook import XLSX as XLSX
    from core.data.workbook import table_xlsx as table_xlsx
    from core.data.workbook import template_xlsx as template_xlsx
    from core.district_services import (
        add_estate as add_estate,
    )
    from core.district_services import (
        district_by_id as district_by_id,
    )
    from core.district_services import (
        menu_for as menu_for,
    )
    from core.district_services import (
        require_manager as require_manager,
    )
    from core.districts import (
        DistrictInfo as DistrictInfo,
    )
    from core.districts import (
        get_district as get_district,
    )
    from core.districts import (
        get_estate as get_estate,
    )
    from core.districts import (
        list_estates as list_estates,
    )
    from core.districts import plugin_config as plugin_config
    from core.districts import (
        register_cache as register_cache,
    )
    from core.documents.batch import render_repeated as render_repeated
    from core.documents.batch import token as batch_field
    from core.documents.numbers import allocate as allocate_doc_number
    from core.documents.numbers import existing as issued_doc_number
    from core.documents.numbers import office_prefix as office_prefix
    from core.documents.people import display_name as display_name_of
    from core.documents.render import (
        DocxImage as DocxImage,
    )
    from core.documents.render import (
        chinese_date as chinese_date,
    )
    from core.documents.render import (
        chinese_number as chinese_number,
    )
    from core.documents.render import (
        format_area as format_area,
    )
    from core.documents.render import (
        mask_id as mask_id,
    )
    from core.documents.render import (
        render_document as render_document,
    )
    from core.documents.render import (
        resolve_template as resolve_template,
    )
    from core.documents.typeset import short_code as short_code
    from core.errors import (
        BadRequest as BadRequest,
    )
    from core.errors import (
        Conflict as Conflict,
    )
    from core.errors import (
        Forbidden as Forbidden,
    )
    from core.errors import (
        Invalid as Invalid,
    )
    from core.errors import (
        NotFound as NotFound,
    )
    from core.errors import (
        Unauthorized as Unauthorized,
    )
    from core.errors import (
        WuyeError as WuyeError,
    )
    from core.events import Event as Event
    from core.events import emit as emit_event
    from core.identity.audit import record as record_audit
    from core.identity.audit import record_read as record_read
    from core.identity.auth import Actor as Actor
    from core.identity.auth import Grant as Grant
    from core.identity.names import people_name as people_name
    from core.identity.names import people_names as people_names
    from core.identity.staff import create_staff as create_staff
    from core.identity.staff import grant_role as grant_role
    from core.identity.staff import staff_id as staff_id
    from core.jurisdiction import (
        Deadline as Deadline,
    )
    from core.jurisdiction import (
        Jurisdiction as Jurisdiction,
    )
    from core.jurisdiction import (
        Rule as Rule,
    )
    from core.jurisdiction import (
        Source as Source,
    )
    from core.jurisdiction import (
        Threshold as Threshold,
    )
    from core.jurisdiction import (
        configured_registry as configured_registry,
    )
    from core.jurisdiction import (
        local_time as local_time,
    )
    from core.jurisdiction import (
        people_date as people_date,
    )
    from core.jurisdiction import (
        people_time as people_time,
    )
    from core.jurisdiction import (
        today_in as today_in,
    )
    from core.menu import MenuItem as MenuItem
    from core.messages import Labels as Labels
    from core.messages import message as message
    from core.resources import package_folder as package_folder
    from core.runtime import Runtime as Runtime
    from core.signing import (
        canonical_json as canonical_json,
    )
    from core.signing import (
        installation_secret as installation_secret,
    )
    from core.signing import (
        is_plain_json as is_plain_json,
    )
    from core.signing import (
        public_key_of as public_key_of,
    )
    from core.signing import (
        sha256_hex as sha256_hex,
    )
    from core.signing import (
        sign as sign,
    )
    from core.signing import (
        signed_message as signed_message,
    )
    from core.signing import (
        unwrap_secret as unwrap_secret,
    )
    from core.signing import (
        verify as verify_signature,
    )
    from core.signing import (
        wrap_secret as wrap_secret,
    )
    from core.web.bodies import BodyProblem as BodyProblem
    from core.web.confirm import Confirmation as Confirmation
    from core.web.confirm import fingerprint as confirm_fingerprint
    from core.web.confirm import is_confirmed as is_confirmed
    from core.web.confirm import pending as confirmation_pending
    from core.web.downloads import ATTACHMENT as ATTACHMENT
    from core.web.downloads import DOCX as DOCX
    from core.web.downloads import ZIP as ZIP
    from core.web.downloads import attachment as attachment
    from core.web.downloads import download as download
    from core.web.errors import body_error_handlers as body_error_handlers
    from core.web.forms import UploadTooLarge as UploadTooLarge
    from core.web.forms import check_uploads as check_uploads
    from core.web.forms import megabytes as megabytes
    from core.web.forms import oversized_uploads as oversized_uploads
    from core.web.forms import read_form as read_form
    from core.web.forms import upload_limit as upload_limit
    from core.web.listing import ListColumn as ListColumn
    from core.web.listing import ListFilter as ListFilter
    from core.web.listing import list_view as list_view
    from core.web.pages import district_page as district_page
    from core.web.routing import Reach as Reach
    from core.web.routing import admits as admits
    from core.web.routing import district_router as district_router
    from core.web.routing import public_router as public_router
    from core.web.routing import reaches as reaches


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'core' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "ATTACHMENT",
    "DEMO_ACCOUNTS",
    "DOCX",
    "XLSX",
    "ZIP",
    "Actor",
    "BadRequest",
    "BoardItem",
    "BoardPanel",
    "BodyProblem",
    "CLIError",
    "Column",
    "Confirmation",
    "Conflict",
    "Deadline",
    "District",
    "DistrictInfo",
    "DocxImage",
    "Estate",
    "Event",
    "Forbidden",
    "Grant",
    "Invalid",
    "Jurisdiction",
    "Labels",
    "ListColumn",
    "ListFilter",
    "MenuItem",
    "NotFound",
    "Reach",
    "RoleGrant",
    "RowProblem",
    "Rule",
    "Runtime",
    "Source",
    "Staff",
    "Table",
    "Threshold",
    "Unauthorized",
    "Upload",
    "UploadTooLarge",
    "WorkCalendar",
    "WuyeError",
    "add_columns",
    "add_estate",
    "add_indexes",
    "admits",
    "allocate_doc_number",
    "attachment",
    "batch_field",
    "board_level",
    "body_error_handlers",
    "bulk_insert",
    "canonical_json",
    "check_uploads",
    "chinese_date",
    "chinese_number",
    "cli_actor",
    "column_params",
    "configured_registry",
    "confirm_fingerprint",
    "confirmation_pending",
    "create_staff",
    "display_name_of",
    "district_by_id",
    "district_now",
    "district_page",
    "district_router",
    "district_today",
    "download",
    "echo_json",
    "emit_event",
    "exit_program",
    "format_area",
    "get_district",
    "get_estate",
    "grant_role",
    "handle_errors",
    "header_key",
    "hookimpl",
    "installation_secret",
    "is_confirmed",
    "is_plain_json",
    "issued_doc_number",
    "json_value",
    "list_estates",
    "list_view",
    "local_time",
    "map_header",
    "mask_id",
    "megabytes",
    "menu_for",
    "message",
    "office_prefix",
    "oversized_uploads",
    "package_folder",
    "parse_date",
    "parse_flag",
    "parse_quantity",
    "people_date",
    "people_name",
    "people_names",
    "people_time",
    "plugin_config",
    "public_key_of",
    "public_router",
    "reaches",
    "read_form",
    "read_rows",
    "read_table",
    "record_audit",
    "record_read",
    "register_cache",
    "rehearsal_banner",
    "render_document",
    "render_repeated",
    "require_manager",
    "resolve_template",
    "run_db",
    "set_district_clock",
    "sha256_hex",
    "short_code",
    "sign",
    "signed_message",
    "staff_id",
    "table_xlsx",
    "template_xlsx",
    "today_in",
    "transaction",
    "unwrap_secret",
    "upload_limit",
    "verify_signature",
    "work_calendar",
    "wrap_secret",
]
