from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from notifications.registry import register_email
        from people.handover import register_handover_provider
        from people.home import register_panel_provider
        from people.signals import employees_changed
        from training import emails, handover, selectors, services

        register_panel_provider(selectors.home_panels)
        for provider in handover.PROVIDERS:
            register_handover_provider(provider)
        register_email(emails.INVITATION, emails.invitation_notification_message)
        register_email(emails.CHANGE, emails.change_notification_message)
        register_email(emails.CANCELLATION, emails.cancellation_notification_message)
        employees_changed.connect(
            services.training_standings_on_employees_changed, dispatch_uid="training.standings_on_employees"
        )
