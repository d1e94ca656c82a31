"""The Litestar application: one ``CorePlugin`` wires the core routes, every plugin's routes, the
page templates, error handling, CSRF protection and the database lifespan."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins import InitPlugin
from litestar.template import TemplateConfig

from core.plugins import await_me_maybe
from core.runtime import Runtime
from core.web.access import CSRFMiddleware, provide_actor
from core.web.compression import OwnerPageCompression
from core.web.errors import EXCEPTION_HANDLERS
from core.web.openapi import TruthfulJsonRenderPlugin
from core.web.pages import static_routers, template_engine
from core.web.routing import provide_reach
from core.web.security import ControlCharacterMiddleware, security_headers_hook

log = logging.getLogger("wuye.app")

MAX_BODY_BYTES = 2 * 1024 * 1024


class CorePlugin(InitPlugin):
    """Everything the platform adds to a bare Litestar app."""

    def __init__(self, runtime: Runtime, *, owns_runtime: bool) -> None:
        self.runtime = runtime
        self.owns_runtime = owns_runtime

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        from core.web.controllers import CORE_ROUTE_HANDLERS

        runtime = self.runtime
        app_config.state.update({"runtime": runtime})
        app_config.route_handlers.extend(CORE_ROUTE_HANDLERS)
        for handlers in runtime.pm.hook.register_routes():
            app_config.route_handlers.extend(handlers or ())
        app_config.dependencies["actor"] = Provide(provide_actor)
        # What of the district the actor may see on this route (officers: all; estate roles: theirs).
        app_config.dependencies["reach"] = Provide(provide_reach)
        # Handlers take ``runtime: Runtime`` as a parameter and hand it to services as an argument (no
        # process-global lookup): the runtime this app was built with.
        app_config.dependencies["runtime"] = Provide(lambda: runtime, use_cache=True, sync_to_thread=False)
        app_config.exception_handlers.update(EXCEPTION_HANDLERS)
        app_config.middleware.append(OwnerPageCompression)
        app_config.middleware.append(ControlCharacterMiddleware)
        app_config.middleware.append(DefineMiddleware(CSRFMiddleware))
        app_config.before_send.append(security_headers_hook(https=runtime.settings.cookie_secure))
        for static in static_routers(runtime.pm):
            app_config.route_handlers.append(static)
        app_config.template_config = TemplateConfig(instance=template_engine(runtime.pm))
        # /schema/openapi.json as the server answers (core/web/openapi.py), a browsable page at /schema.
        app_config.openapi_config = OpenAPIConfig(
            title="wuye",
            version="0.1.0",
            description="街道房屋管理事务平台 API",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), TruthfulJsonRenderPlugin()],
        )
        app_config.lifespan.append(self.lifespan)
        return app_config

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Litestar) -> AsyncIterator[None]:
        if self.owns_runtime:
            await self.runtime.start()
        for result in self.runtime.pm.hook.startup(app=app):
            await await_me_maybe(result)
        try:
            yield
        finally:
            if self.owns_runtime:
                await self.runtime.stop()


def create_app(runtime: Runtime | None = None, **litestar_kwargs: Any) -> Litestar:
    """The app for ``runtime`` (default: one built from the environment's settings)."""
    owns = runtime is None
    runtime = runtime or Runtime.build()
    litestar_kwargs.setdefault("request_max_body_size", MAX_BODY_BYTES)  # not read from AppConfig (2.x)
    app = Litestar(plugins=[CorePlugin(runtime, owns_runtime=owns)], **litestar_kwargs)
    if owns:
        # A server process: move the long-lived objects of start-up (modules, routes, templates) out of
        # the collector's reach, so full collections under load stay short (tail latency).
        import gc

        gc.collect()
        gc.freeze()
    return app
