"""Server-rendered pages: one Jinja environment over the installation's ``templates/`` folder (local
overrides, looked at first) and every plugin's registered template folder (addressed as
``"<namespace>/<file>.html"``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape
from litestar import MediaType, Request, Router
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import CacheControlHeader
from litestar.response import Template
from litestar.static_files import create_static_files_router

from core.clock import rehearsal_banner
from core.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from core.districts import DistrictInfo
    from core.identity.auth import Actor


def page_environment(pm: pluggy.PluginManager) -> Environment:
    prefixed: dict[str, Any] = {}
    for dirs in pm.hook.register_template_dirs():
        for namespace, folder in (dirs or {}).items():
            prefixed.setdefault(namespace, FileSystemLoader(str(folder)))
    loader = ChoiceLoader([FileSystemLoader(str(PROJECT_ROOT / "templates")), PrefixLoader(prefixed)])
    env = Environment(loader=loader, autoescape=select_autoescape(["html"]), enable_async=False)
    return env


def static_routers(pm: pluggy.PluginManager) -> list[Router]:
    """One router per ``register_static_dirs`` entry: ``/static/<namespace>/<file>``, cached for an
    hour (the files change only with a release)."""
    routers = []
    for dirs in pm.hook.register_static_dirs():
        for namespace, folder in (dirs or {}).items():
            routers.append(
                create_static_files_router(
                    path=f"/static/{namespace}",
                    directories=[folder],
                    name=f"static-{namespace}",
                    cache_control=CacheControlHeader(max_age=3600),
                )
            )
    return routers


def template_engine(pm: pluggy.PluginManager) -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(page_environment(pm))


async def district_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    district: DistrictInfo,
    template: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    """A console page of a district: the layout's context (the actor, the CSRF token for its forms,
    the district and its menu) and the page's own. Always HTML, also when a form's handler answers
    with the page again (its validation errors on it)."""
    from core.district_services import menu_for

    runtime = request.app.state["runtime"]
    return Template(
        template_name=template,
        status_code=status_code,
        media_type=MediaType.HTML,
        context={
            "actor": actor,
            "csrf_token": actor.csrf_token,
            "district": district,
            "menu": await menu_for(runtime, district, actor),
            # a training district (演练): every page says so, with the clock it is set to
            "rehearsal": rehearsal_banner(district, runtime.jurisdictions.get(district.jurisdiction_code)),
            **context,
        },
    )
