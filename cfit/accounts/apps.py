from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cfit.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Here, once every app's models are loaded: the standing watches their rows.
        from . import standing  # noqa: PLC0415

        standing.connect()
