from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Weekly reports")

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from notifications.registry import register_email
        from people.handover import register_handover_provider
        from reports import handover
        from reports.emails import WEEKLY_REPORT, WEEKLY_REPORT_RESEND, weekly_report_message

        register_email(WEEKLY_REPORT, weekly_report_message)
        register_email(WEEKLY_REPORT_RESEND, weekly_report_message)
        for provider in handover.PROVIDERS:
            register_handover_provider(provider)
