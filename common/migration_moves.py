"""Helpers for the migrations that moved models from one app to another.

A moved model keeps its rows (its table is renamed), and its content type is moved
too, so that permissions granted to the role groups and the admin's history stay
attached to it. On a fresh database the new content type exists already and nothing
changes.
"""

from __future__ import annotations


def content_types_move(apps, *, old_app_label: str, new_app_label: str, models: list[str]) -> None:
    """Relabel the content types of ``models`` from ``old_app_label`` to ``new_app_label``."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if content_type.objects.filter(app_label=new_app_label, model=model).exists():
            continue
        content_type.objects.filter(app_label=old_app_label, model=model).update(app_label=new_app_label)
