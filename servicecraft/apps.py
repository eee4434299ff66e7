from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicecraftConfig(AppConfig):
    name = "servicecraft"
    verbose_name = _("Organisation")
