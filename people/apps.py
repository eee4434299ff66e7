from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from people import handover, selectors
        from people.home import register_panel_provider

        register_panel_provider(selectors.home_panels)
        handover.register_handover_provider(handover.DEPARTMENT_HEADS)
