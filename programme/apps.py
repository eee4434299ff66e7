from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from complaints.signals import corrective_action_completed
        from metrics.selectors import register_summary_extension
        from people.handover import register_handover_provider
        from people.home import register_panel_provider
        from programme import handover, selectors, services

        register_panel_provider(selectors.home_panels)
        corrective_action_completed.connect(
            services.effectiveness_check_on_completion, dispatch_uid="programme.schedule_effectiveness_check"
        )
        for provider in handover.PROVIDERS:
            register_handover_provider(provider)
        register_summary_extension("targets", selectors.summary_targets)
