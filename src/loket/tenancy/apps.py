from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "loket.tenancy"
    label = "tenancy"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from loket.tenancy import receivers

        receivers.connect()
