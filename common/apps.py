from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        # Imported here: it touches the database driver, which must wait for the app registry.
        from common.database import tolerate_out_of_range_timestamps

        tolerate_out_of_range_timestamps()
