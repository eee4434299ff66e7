"""Find a module of the same name in every installed app, in INSTALLED_APPS order.

The commands that run across apps (``seed_demo``, ``bench``) and the registries that
apps feed (home panels, reminders) find each app's contribution this way, so no
lower layer ever imports an app above it. INSTALLED_APPS lists servicecraft's apps in
layer order, so an app's contribution runs after those of the apps it builds on.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    """``<app>.<name>`` of every installed app that has one (an import error inside one propagates)."""
    found = []
    for app_config in apps.get_app_configs():
        dotted = f"{app_config.name}.{name}"
        if find_spec(dotted) is not None:
            found.append(import_module(dotted))
    return found
