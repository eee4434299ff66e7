from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Standards")
    # Dates of things that happened: never in the future (common.data_checks).
    event_date_fields = ("ComplianceCheck.observed_on",)

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from people.handover import register_handover_provider
        from people.home import register_panel_provider
        from people.signals import employees_changed
        from standards import handover, selectors, services

        register_panel_provider(selectors.home_panels)
        for provider in handover.PROVIDERS:
            register_handover_provider(provider)
        employees_changed.connect(
            services.acknowledgement_standings_on_employees_changed,
            dispatch_uid="standards.acknowledgement_standings_on_employees",
        )
