"""Lets the plain ``piccolo`` CLI run from the project root; the real configuration is core's."""

from core.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
