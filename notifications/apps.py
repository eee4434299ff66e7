from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from notifications.emails import reminder_digest_message
        from notifications.registry import register_email
        from notifications.services import DIGEST

        register_email(DIGEST, reminder_digest_message)

        # Imported here: an app's modules may be imported only once every app is loaded.
        from notifications import selectors
        from people.home import register_panel_provider

        register_panel_provider(selectors.home_panels)
