"""The portal's settings plus the slow job of the worker-kill test."""

from smartcity.settings import *  # noqa: F403
from smartcity.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.ops.killapp"]
