from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "cfit.knowledge"
    label = "knowledge"
    verbose_name = _("Good examples, news and events")
