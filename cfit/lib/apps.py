from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "cfit.lib"
    label = "lib"
    verbose_name = "Shared helpers"
