from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")
    # Dates of things that happened: never in the future (common.data_checks).
    event_date_fields = ("Customer.first_seen", "Customer.churned_on", "Purchase.date")
