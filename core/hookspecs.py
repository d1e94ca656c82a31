# mypy: disable-error-code="empty-body"
"""Hook specifications: the whole contract between the core and a plugin.

Two groups:

* **Registration hooks** run once while the app (or the CLI) is built. They are synchronous and return
  data: routers, Piccolo app paths, template folders, jurisdiction profiles, CLI commands.
* **Runtime hooks** run per request or event and are district-scoped: the core calls them through
  :class:`core.plugins.DistrictHooks`, so a plugin switched off for a district is never called for it.
  An implementation may be ``async def`` (or return an awaitable); callers resolve results with
  :func:`core.plugins.await_me_maybe`. ``firstresult`` hooks must stay synchronous.

Every hook is documented, with an example, in ``docs/plugin_hooks.md``; a test fails when one is not.
Implementations may accept any subset of the documented arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    import click
    from litestar import Litestar
    from litestar.types import ControllerRouterHandler

    from core.board import BoardItem, BoardPanel
    from core.districts import DistrictInfo
    from core.events import Event
    from core.identity.auth import Actor
    from core.jurisdiction import Jurisdiction
    from core.menu import MenuItem
    from core.runtime import Runtime

PROJECT = "wuye"
hookspec = pluggy.HookspecMarker(PROJECT)


# --- registration hooks ---------------------------------------------------------------------------


@hookspec(historic=True)
def register_hookspecs(pm: pluggy.PluginManager) -> None:
    """Publish hook specs owned by a plugin: call ``pm.add_hookspecs(module)``.

    Historic: a plugin registered later still gets the call. Spec names must start with the plugin's
    name (``voting_motion_rules``) so two plugins cannot collide.
    """


@hookspec
def register_routes() -> list[ControllerRouterHandler]:
    """Return route handlers. A duty returns routers built with :func:`core.district_router`, which
    mounts them under ``/d/{district}/<plugin>/`` behind the district-enablement guard."""


@hookspec
def register_piccolo_apps() -> list[str]:
    """Return dotted paths of Piccolo app modules (``["plugins.voting.piccolo_app"]``)."""


@hookspec
def register_template_dirs() -> dict[str, Path]:
    """Return ``{namespace: folder}``: document (.docx) and page (.html) templates addressed as
    ``"<namespace>/<file>"``. The namespace is the plugin's name."""


@hookspec
def register_static_dirs() -> dict[str, Path]:
    """Return ``{namespace: folder}``: the scripts (and other files) a plugin's pages load, served at
    ``/static/<namespace>/<file>``. The namespace is the plugin's name. Pages load scripts only from
    here: the Content-Security-Policy allows no inline script."""


@hookspec
def register_messages() -> dict[str, str]:
    """Return ``{code: Chinese message}``: the plugin's error catalogue, so a
    :class:`core.errors.WuyeError` raised with one of its codes reads in Chinese. Codes start with the
    plugin's name and must not clash with another plugin's."""


@hookspec
def register_jurisdictions() -> list[Jurisdiction]:
    """Return the jurisdiction profiles (law as data) this plugin provides."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``wuye`` command line (``cli.add_command(...)``)."""


# --- runtime hooks (district-scoped) --------------------------------------------------------------


@hookspec
def startup(app: Litestar) -> None:
    """Called once when the app has started and the database is reachable; may be async."""


@hookspec
def menu_items(district: DistrictInfo, actor: Actor) -> list[MenuItem] | None:
    """Return console navigation entries for ``district`` as seen by ``actor``; may be async."""


@hookspec
def board_items(
    district: DistrictInfo, actor: Actor, today: date, runtime: Runtime
) -> list[BoardItem] | None:
    """Return what is due or overdue in ``district`` for the morning board (今日待办), only what
    ``actor`` may see, each with its deadline and a link to act; may be async. ``today`` is the
    district's date. Use :func:`core.board.level_for` for the level."""


@hookspec
def board_panels(district: DistrictInfo, actor: Actor, runtime: Runtime) -> list[BoardPanel] | None:
    """Return blocks drawn on the board under the deadlines (a chart of an open vote's turnout),
    each rendered from the plugin's own page template; may be async."""


@hookspec
def document_context(
    district: DistrictInfo | None, document: str, context: dict[str, Any]
) -> dict[str, Any] | None:
    """Return variables merged into the context of ``document`` (``"voting/notice.docx"``) before it
    is rendered; may be async. Later plugins override earlier keys; the caller's own context wins."""


@hookspec
def on_event(district: DistrictInfo | None, event: Event) -> None:
    """React to a domain event (``event.name`` such as ``"core.plugin_enabled"``); may be async.
    Errors are logged and do not undo the action that emitted the event."""


@hookspec
def populate_demo(
    district: DistrictInfo, estate: dict[str, Any], actor: str, runtime: Runtime
) -> list[str] | None:
    """Add this plugin's demo data (``wuye demo``); may be async; must be idempotent. Return what was
    created, in words (Chinese), for the operator. ``runtime`` is the started runtime (settings,
    jurisdictions, plugin manager). Called only for
    plugins enabled in the demo district, after core has created the district, estate and accounts."""
