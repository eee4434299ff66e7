from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from metrics import selectors
        from people.home import register_panel_provider

        register_panel_provider(selectors.home_panels)
