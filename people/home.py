"""The home page's "what needs me now" panels.

Each app contributes panels through a function ``home_panels(user) -> list[HomePanel]``
(in its selectors), registered from its ``AppConfig.ready()`` with
:func:`register_panel_provider`. A panel says what it shows and which template renders
it; the home view only collects them, so this app never imports the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class HomePanel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    # Higher first: urgent items (overdue) above routine ones.
    priority: int = 0


PanelProvider = Callable[..., list[HomePanel]]
_panel_providers: list[PanelProvider] = []


def register_panel_provider(provider: PanelProvider) -> None:
    """Add ``provider`` to the home page (once, however often an app's ``ready`` runs)."""
    if provider not in _panel_providers:
        _panel_providers.append(provider)


def home_panels_for(user) -> list[HomePanel]:
    panels: list[HomePanel] = []
    for provider in _panel_providers:
        panels.extend(provider(user))
    return sorted(panels, key=lambda panel: -panel.priority)
