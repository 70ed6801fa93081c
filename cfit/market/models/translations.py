"""Translations (django-parler) of what buyers write for the market: consultations and
statements of demand. The original stays in the row's own fields and language."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.models import TranslatedFieldsModel

from .consultations import MarketConsultation
from .demand import StatementOfDemand


class MarketConsultationTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        MarketConsultation,
        on_delete=models.CASCADE,
        related_name="translations",
        null=True,
    )
    translated_title = models.CharField(_("title"), max_length=200)
    translated_context = models.TextField(_("context"))
    translated_summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("translation")
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="market_one_consultation_translation_per_language",
            )
        ]


class StatementOfDemandTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        StatementOfDemand,
        on_delete=models.CASCADE,
        related_name="translations",
        null=True,
    )
    translated_title = models.CharField(_("title"), max_length=200)
    translated_text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("translation")
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="market_one_statement_translation_per_language",
            )
        ]
