"""The home page's "what needs me now" panels.

Each app contributes panels through a function ``home_panels(user) -> list[HomePanel]``
in its selectors, listed in ``PANEL_PROVIDERS``. A panel says what it shows and
which template renders it; the home view only collects them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.module_loading import import_string

# Dotted paths of the apps' panel providers, in the order the home page shows them.
PANEL_PROVIDERS: list[str] = [
    "servicecraft.selectors.home_panels",
    "standards.selectors.home_panels",
    "complaints.selectors.home_panels",
    "complaints.survey_selectors.home_panels",
    "training.selectors.home_panels",
    "metrics.selectors.home_panels",
    "servicecraft.reports.home_panels",
]


@dataclass
class HomePanel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    # Higher first: urgent items (overdue) above routine ones.
    priority: int = 0


def home_panels_for(user) -> list[HomePanel]:
    panels: list[HomePanel] = []
    for path in PANEL_PROVIDERS:
        panels.extend(import_string(path)(user))
    return sorted(panels, key=lambda panel: -panel.priority)
