"""Piccolo's configuration, so the plain ``piccolo`` CLI works too: engine from the settings, apps
from the plugin manager (core's app plus every installed plugin's)."""

from piccolo.conf.apps import AppRegistry

from core.data.db import make_engine
from core.plugins import create_plugin_manager_from_settings, piccolo_app_modules
from core.settings import get_settings

_settings = get_settings()
DB = make_engine(_settings.database_url)
APP_REGISTRY = AppRegistry(apps=piccolo_app_modules(create_plugin_manager_from_settings(_settings)))
