from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")
    # Dates of things that happened: never in the future (common.data_checks).
    event_date_fields = (
        "Complaint.received_at",
        "Complaint.resolved_at",
        "Complaint.closed_at",
        "ComplaintEvent.at",
    )

    def ready(self) -> None:
        # Imported here: an app's modules may be imported only once every app is loaded.
        from django.db.models.signals import pre_delete

        from complaints import customer_page, handover, selectors, services
        from complaints.conversation import emails as conversation_emails
        from complaints.conversation import services as conversation
        from complaints.intake import selectors as intake_selectors
        from complaints.survey import selectors as survey_selectors
        from complaints.survey import services as survey
        from complaints.survey.pulse import services as pulse
        from customers.models import Customer
        from customers.page import (
            register_customer_access,
            register_customer_contacts,
            register_customer_section,
        )
        from customers.signals import email_opted_out
        from notifications.registry import register_email
        from notifications.signals import email_sent
        from people.handover import register_handover_provider
        from people.home import register_panel_provider
        from standards.signals import version_published

        register_panel_provider(selectors.home_panels)
        register_panel_provider(survey_selectors.home_panels)
        register_panel_provider(intake_selectors.home_panels)
        register_email(survey.SURVEY_EMAIL, survey.survey_message)
        register_email(pulse.PULSE_EMAIL, pulse.pulse_message)
        for kind, builder in conversation_emails.BUILDERS.items():
            register_email(kind, builder)
        email_opted_out.connect(pulse.survey_emails_cancel_for, dispatch_uid="complaints.survey_unsubscribed")
        email_opted_out.connect(
            conversation.conversation_emails_cancel_for, dispatch_uid="complaints.conversation_opted_out"
        )
        email_sent.connect(survey.survey_email_sent, dispatch_uid="complaints.survey_email_sent")
        version_published.connect(
            services.corrective_actions_complete_on_publication,
            dispatch_uid="complaints.actions_on_publication",
        )
        pre_delete.connect(
            services.complaint_customer_value_forget,
            sender=Customer,
            dispatch_uid="complaints.customer_value_forget",
        )
        register_customer_access(customer_page.customer_visible)
        register_customer_section(customer_page.complaints_section)
        register_customer_section(customer_page.survey_answers_section)
        register_customer_contacts(customer_page.contacts)
        for provider in handover.PROVIDERS:
            register_handover_provider(provider)
