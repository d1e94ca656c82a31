"""Test configuration. Fixtures come from ``core.testing`` (the ``wuye`` pytest plugin)."""

import os

os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")
