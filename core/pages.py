"""Server-rendered pages: one Jinja environment over the project's ``templates/`` folder and every
plugin's registered template folder (addressed as ``"<namespace>/<file>.html"``)."""

from __future__ import annotations

from typing import Any

import pluggy
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape
from litestar.contrib.jinja import JinjaTemplateEngine

from core.settings import PROJECT_ROOT


def page_environment(pm: pluggy.PluginManager) -> Environment:
    prefixed: dict[str, Any] = {}
    for dirs in pm.hook.register_template_dirs():
        for namespace, folder in (dirs or {}).items():
            prefixed.setdefault(namespace, FileSystemLoader(str(folder)))
    loader = ChoiceLoader([FileSystemLoader(str(PROJECT_ROOT / "templates")), PrefixLoader(prefixed)])
    env = Environment(loader=loader, autoescape=select_autoescape(["html"]), enable_async=False)
    return env


def template_engine(pm: pluggy.PluginManager) -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(page_environment(pm))
