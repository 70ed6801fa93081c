import re
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.models import TranslatableModelMixin, TranslatedFieldsModel

from cfit.lib.translations import ORIGINAL_LANGUAGE_CHOICES, LocalText, translated


class ProductGroupQuerySet(models.QuerySet["ProductGroup"]):
    def in_scope(self) -> "ProductGroupQuerySet":
        return self.filter(in_pact_scope=True)


class ProductGroup(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """A kind of device the Pact covers. Data, not code: the secretariat adds new ones."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    cpv_codes = models.CharField(
        _("CPV codes"),
        max_length=200,
        blank=True,
        help_text=_("Common Procurement Vocabulary codes, separated by commas."),
    )
    baseline_lifetime_years = models.DecimalField(
        _("baseline lifetime (years)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("L0: how long a new device is used in the baseline."),
    )
    impact_archetype = models.CharField(
        _("impact archetype"),
        max_length=80,
        blank=True,
        help_text=_(
            "The Boavizta archetype whose factors describe this product group."
        ),
    )
    in_pact_scope = models.BooleanField(
        _("in the Pact's scope"),
        default=False,
        help_text=_("Product groups not yet in scope are shown as such."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    objects: ClassVar[ProductGroupQuerySet] = ProductGroupQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self) -> str:
        return str(self.name)


class Ecolabel(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """A label accepted as proof that a device meets criteria (TCO Certified, EPEAT...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("ecolabel")
        verbose_name_plural = _("ecolabels")

    def __str__(self) -> str:
        return str(self.name)


class CriterionLevel(models.TextChoices):
    BASE = "base", _("Base")
    AMBITIOUS = "ambitious", _("Ambitious")
    FRONTRUNNER = "frontrunner", _("Front-runner")


class CriterionCategory(models.TextChoices):
    LIFETIME = "lifetime", _("Lifetime and durability")
    REPARABILITY = "reparability", _("Reparability and spare parts")
    BATTERY = "battery", _("Battery")
    ENERGY = "energy", _("Energy")
    HAZARDOUS_SUBSTANCES = "hazardous_substances", _("Hazardous substances")
    MATERIALS = "materials", _("Recycled and recyclable materials")
    END_OF_LIFE = "end_of_life", _("Take-back, data erasure and end of life")
    BUY_LESS = "buy_less", _("Buy less: refurbished devices and fewer accessories")
    SOCIAL = "social", _("Social and labour conditions")
    CLIMATE = "climate", _("Climate")
    PACKAGING = "packaging", _("Packaging")


class CriterionKind(models.TextChoices):
    """The part of a tender a criterion belongs in; also the order of the exports."""

    SELECTION = "selection", _("Selection criterion")
    TECHNICAL_SPECIFICATION = "technical_specification", _("Technical specification")
    AWARD = "award", _("Award criterion")
    CONTRACT_CLAUSE = "contract_clause", _("Contract performance clause")


KIND_ORDER = [kind.value for kind in CriterionKind]
# Headings of the parts of a tender, in the builder and the exported documents.
KIND_HEADINGS = {
    CriterionKind.SELECTION: _("Selection criteria"),
    CriterionKind.TECHNICAL_SPECIFICATION: _("Technical specifications"),
    CriterionKind.AWARD: _("Award criteria"),
    CriterionKind.CONTRACT_CLAUSE: _("Contract performance clauses"),
}
LEVEL_ORDER = [level.value for level in CriterionLevel]


def levels_up_to(level: str) -> list[str]:
    """The levels a tender at this level includes: BASE, then AMBITIOUS, then FRONTRUNNER."""
    return LEVEL_ORDER[: LEVEL_ORDER.index(level) + 1]


class CriterionSource(models.TextChoices):
    EU_GPP_2021 = "eu_gpp_2021", _("EU GPP criteria 2021")
    NATIONAL = "national", _("A national criteria set")
    ECOLABEL = "ecolabel", _("An ecolabel's criteria")
    PACT_WORKING_GROUP = "pact_working_group", _("A Pact working group")
    OTHER = "other", _("Other guidance")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")


class CriterionQuerySet(models.QuerySet["Criterion"]):
    def published(self) -> "CriterionQuerySet":
        """Criteria with an approved version: the public criteria base."""
        return self.filter(versions__status=VersionStatus.APPROVED).distinct()

    def for_product_group(self, product_group: ProductGroup) -> "CriterionQuerySet":
        return self.filter(product_groups=product_group)

    def base(self) -> "CriterionQuerySet":
        return self.filter(level=CriterionLevel.BASE)


class Criterion(models.Model):
    """A purchasing criterion, known by its stable code. Its texts are versioned."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=CriterionLevel.choices)
    product_groups = models.ManyToManyField(
        ProductGroup, related_name="criteria", verbose_name=_("product groups")
    )

    objects: ClassVar[CriterionQuerySet] = CriterionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("criteria:detail", kwargs={"code": self.code})

    @property
    def current_version(self) -> "CriterionVersion | None":
        """The approved version, the one the public reads and tenders use."""
        return self.versions.filter(status=VersionStatus.APPROVED).first()


class CriterionVersionQuerySet(models.QuerySet["CriterionVersion"]):
    def approved(self) -> "CriterionVersionQuerySet":
        return self.filter(status=VersionStatus.APPROVED)

    def public(self) -> "CriterionVersionQuerySet":
        """Versions anyone may read: the current one and the ones it replaced."""
        return self.filter(status__in=[VersionStatus.APPROVED, VersionStatus.RETIRED])

    def pending(self) -> "CriterionVersionQuerySet":
        return self.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])


class CriterionVersion(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """One wording of a criterion. Approved versions never change; a change is a new version.

    Saved tender selections point at versions, so what a procurer put in a tender stays
    readable and citable at its own address after the criterion moves on.
    """

    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VersionStatus.choices,
        default=VersionStatus.DRAFT,
    )
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=CriterionLevel.choices)
    refurbished_lots_only = models.BooleanField(
        _("only for lots of refurbished devices"),
        default=False,
        help_text=_(
            "Part of the common base only when a tender buys refurbished devices."
        ),
    )
    category = models.CharField(
        _("category"), max_length=32, choices=CriterionCategory.choices
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CriterionKind.choices)
    product_groups = models.ManyToManyField(
        ProductGroup,
        related_name="criterion_versions",
        verbose_name=_("product groups"),
    )
    tender_text = models.TextField(
        _("tender text"),
        help_text=_(
            "The text that goes into the tender. Write a parameter as {name}, "
            "for example {years}."
        ),
    )
    rationale = models.TextField(_("why this criterion"), blank=True)
    verification = models.TextField(
        _("how to verify it"),
        blank=True,
        help_text=_("The documents a bidder hands in as proof."),
    )
    ecolabels = models.ManyToManyField(
        Ecolabel,
        blank=True,
        related_name="criterion_versions",
        verbose_name=_("ecolabels accepted as proof"),
    )
    source = models.CharField(
        _("source"), max_length=32, choices=CriterionSource.choices
    )
    source_reference = models.CharField(
        _("reference in the source"),
        max_length=200,
        blank=True,
        help_text=_("For example: EU GPP TS3. The secretariat checks it."),
    )
    change_note = models.TextField(_("what changed"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note from the reviewer"), blank=True)
    # On PostgreSQL: the texts and their translations, each parsed in its language
    # (cfit.criteria.search; GIN-indexed by migration 0007). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    objects: ClassVar[CriterionVersionQuerySet] = CriterionVersionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["criterion__code", "-number"]
        verbose_name = _("criterion version")
        verbose_name_plural = _("criterion versions")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "number"], name="criteria_unique_version_number"
            ),
            models.UniqueConstraint(
                fields=["criterion"],
                condition=Q(status="approved"),
                name="criteria_one_approved_version",
            ),
        ]
        permissions = [
            ("draft_criterion", _("Can draft criteria and new versions")),
            ("approve_criterion", _("Can approve or retire criteria versions")),
            ("view_criteria_usage", _("Can see how often criteria are used")),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "criteria:version",
            kwargs={"code": self.criterion.code, "number": self.number},
        )

    @property
    def is_public(self) -> bool:
        return self.status in (VersionStatus.APPROVED, VersionStatus.RETIRED)

    def filled(
        self, values: dict[str, str] | None = None, language: str | None = None
    ) -> LocalText:
        """The tender text in the reader's (or a tender's) language, or the original
        marked with its own, with each {parameter} replaced by its value or default."""
        values = values or {}
        local = translated(self, "tender_text", language)
        text = local.text
        for parameter in self.parameters.all():
            raw = str(values.get(parameter.name) or parameter.default)
            value = localised_value(raw, local.language)
            placeholder = "{" + parameter.name + "}"
            if local.language == "en" and raw.strip() == "1":
                # "at least 1 year", not "at least 1 years"
                text = SINGULAR_UNIT.sub(
                    lambda m: m.group(1) + m.group(2),
                    text.replace(placeholder, "\x00"),
                ).replace("\x00", value)
            text = text.replace(placeholder, value)
        return LocalText(text, local.language, local.is_fallback)

    def filled_text(
        self, values: dict[str, str] | None = None, language: str | None = None
    ) -> str:
        """The filled tender text alone (see `filled`)."""
        return self.filled(values, language).text


def localised_value(raw: str, language: str) -> str:
    """A parameter value in the number format of the text's language: 2,5 in French."""
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        return raw
    if not number.is_finite():
        return raw
    with translation.override(language):
        return formats.number_format(number.normalize(), force_grouping=True)


# A value's place in a tender text: {years}. Translations keep the same ones.
PLACEHOLDER = re.compile(r"\{([a-z0-9_-]+)\}")

# The tender texts are written in English: a unit after a value of 1 loses its "s".
SINGULAR_UNIT = re.compile(r"(\x00 )(year|month|week|day|hour|cycle)s\b")


def value_with_unit(value: object, unit: str) -> str:
    """'1 year', '3 years', '80 %': the unit in the singular after a value of 1."""
    text = str(value).strip()
    if text == "1" and re.fullmatch(r"(year|month|week|day|hour|cycle)s", unit):
        unit = unit[:-1]
    return f"{text} {unit}".strip()


class ParameterType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    CHOICE = "choice", _("One of a list")


class CriterionParameter(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """A value a procurer sets in the tender builder, within an allowed range."""

    version = models.ForeignKey(
        CriterionVersion, on_delete=models.CASCADE, related_name="parameters"
    )
    name = models.SlugField(
        _("name in the text"),
        max_length=40,
        help_text=_("Written as {name} in the tender text."),
    )
    label = models.CharField(_("label"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value_type = models.CharField(
        _("type"),
        max_length=16,
        choices=ParameterType.choices,
        default=ParameterType.INTEGER,
    )
    default = models.CharField(_("default value"), max_length=40)
    minimum = models.DecimalField(
        _("lowest allowed"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("highest allowed"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    choices = models.CharField(
        _("allowed values"),
        max_length=200,
        blank=True,
        help_text=_("For a list: the values, separated by commas."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"], name="criteria_unique_parameter_name"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split(",") if c.strip()]

    @property
    def range_text(self) -> str:
        if self.value_type == ParameterType.CHOICE:
            return ", ".join(self.choice_list)
        low = _number(self.minimum)
        high = _number(self.maximum)
        if low and high:
            return f"{low}–{high}"
        if low:
            return _("at least %(n)s") % {"n": low}
        if high:
            return _("at most %(n)s") % {"n": high}
        return ""

    def clean_value(self, raw: str) -> str:
        """The value as text if it is allowed; else a ValidationError in plain words."""
        raw = (raw or "").strip()
        if raw == "":
            raise ValidationError(_("Enter a value."))
        if self.value_type == ParameterType.CHOICE:
            if raw not in self.choice_list:
                raise ValidationError(
                    _("Choose one of: %(choices)s.") % {"choices": self.range_text}
                )
            return raw
        try:
            number = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        if self.value_type == ParameterType.INTEGER and number != number.to_integral():
            raise ValidationError(_("Enter a whole number."))
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            raise ValidationError(
                _("%(label)s must be between %(low)s and %(high)s %(unit)s.")
                % {
                    "label": self.label,
                    "low": _number(self.minimum) or "…",
                    "high": _number(self.maximum) or "…",
                    "unit": self.unit,
                }
            )
        return _number(number)


def _number(value: Decimal | int | None) -> str:
    """A decimal without trailing zeros: 3, 2.5."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


class TenderSelection(models.Model):
    """A set of criteria an organisation saved from the tender builder, to reopen later."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="tender_selections",
    )
    title = models.CharField(_("title of the tender"), max_length=200)
    product_group = models.ForeignKey(
        ProductGroup, on_delete=models.PROTECT, related_name="tender_selections"
    )
    level = models.CharField(_("level"), max_length=16, choices=CriterionLevel.choices)
    refurbished_lot = models.BooleanField(
        _("lot of refurbished devices"), default=False
    )
    language = models.CharField(
        _("language of the tender documents"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("saved tender selection")
        verbose_name_plural = _("saved tender selections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("criteria:selection", kwargs={"pk": self.pk})


class TenderSelectionItem(models.Model):
    """One criterion in a saved selection, pinned to the version that was current then."""

    selection = models.ForeignKey(
        TenderSelection, on_delete=models.CASCADE, related_name="items"
    )
    version = models.ForeignKey(
        CriterionVersion, on_delete=models.PROTECT, related_name="selection_items"
    )
    parameter_values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["version__criterion__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "version"], name="criteria_unique_selection_item"
            )
        ]

    def __str__(self) -> str:
        return str(self.version)


class UsageEvent(models.TextChoices):
    SAVED = "saved", _("Saved in a selection")
    EXPORTED = "exported", _("Exported into a tender document")


class CriterionUse(models.Model):
    """One use of a criterion in a tender: counted for the secretariat."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="uses"
    )
    version = models.ForeignKey(
        CriterionVersion, on_delete=models.CASCADE, related_name="uses"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.CharField(max_length=16, choices=UsageEvent.choices)
    export_format = models.CharField(max_length=8, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(
                fields=["criterion", "event"], name="criteria_use_by_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.event}"


# Translations (django-parler: one row per language). The original text stays in the
# row's own fields, in its original_language, so every query, export and API field
# that reads it keeps working; cfit.lib.translations picks the reader's language.
# The columns are named translated_<field> because parler proxies them onto the
# translated model, where <field> is already the original.


class ProductGroupTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        ProductGroup, on_delete=models.CASCADE, related_name="translations", null=True
    )
    translated_name = models.CharField(_("name"), max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="criteria_one_product_group_translation_per_language",
            )
        ]
        verbose_name = _("product group translation")


class EcolabelTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        Ecolabel, on_delete=models.CASCADE, related_name="translations", null=True
    )
    translated_name = models.CharField(_("name"), max_length=120)
    translated_description = models.TextField(_("description"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="criteria_one_ecolabel_translation_per_language",
            )
        ]
        verbose_name = _("ecolabel translation")


class CriterionVersionTranslation(TranslatedFieldsModel):
    """A criterion version's texts in another language; it belongs to that version."""

    master = TranslationsForeignKey(
        CriterionVersion,
        on_delete=models.CASCADE,
        related_name="translations",
        null=True,
    )
    translated_title = models.CharField(_("title"), max_length=300)
    translated_tender_text = models.TextField(_("tender text"))
    translated_rationale = models.TextField(_("why this criterion"), blank=True)
    translated_verification = models.TextField(_("how to verify it"), blank=True)
    # Copied from the version this one replaced: shown, but flagged for a translator.
    needs_review = models.BooleanField(
        _("to be checked against the new wording"), default=False
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="criteria_one_version_translation_per_language",
            )
        ]
        verbose_name = _("criterion translation")


class CriterionParameterTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        CriterionParameter,
        on_delete=models.CASCADE,
        related_name="translations",
        null=True,
    )
    translated_label = models.CharField(_("label"), max_length=200)
    translated_unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="criteria_one_parameter_translation_per_language",
            )
        ]
        verbose_name = _("parameter translation")
