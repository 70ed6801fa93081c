from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cfit.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Here, not at the top: models can be imported only once every app is loaded.
        # The standing watches rows of Django's own models (cfit/accounts/standing.py).
        from . import standing

        standing.connect()
