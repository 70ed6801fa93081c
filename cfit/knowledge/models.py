"""Good examples (with their documents and comments), news and events.

A good example answers the Pact's four questions: what was bought, how, who, and the
outcomes and lessons. It moves draft → in review → published; a reviewer may send it
back to draft with a reason. Its `search_document` holds the words of its texts and of
its attached PDF and DOCX files, kept by the services, so that search finds a word that
appears only inside a document.
"""

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.models import TranslatableModelMixin, TranslatedFieldsModel

from cfit.criteria.models import CriterionVersion, ProductGroup
from cfit.groups.models import BuyerGroup
from cfit.lib.translations import ORIGINAL_LANGUAGE_CHOICES
from cfit.monitoring.models import Condition, PurchaseLine
from cfit.organisations.models import Organisation


class ExampleKind(models.TextChoices):
    TENDER = "tender", _("Tender")
    CASE = "case", _("Case study")
    LESSON = "lesson", _("Lesson learned")


class ExampleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of the Pact only")


class ContractValueBand(models.TextChoices):
    UNDER_100K = "under_100k", _("Under EUR 100,000")
    UNDER_1M = "100k_1m", _("EUR 100,000 to 1 million")
    UNDER_10M = "1m_10m", _("EUR 1 to 10 million")
    OVER_10M = "over_10m", _("Over EUR 10 million")


class ContractType(models.TextChoices):
    FRAMEWORK = "framework", _("Framework agreement")
    SINGLE = "single", _("Single contract")


class Procedure(models.TextChoices):
    OPEN = "open", _("Open procedure")
    RESTRICTED = "restricted", _("Restricted procedure")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    NEGOTIATED = "negotiated", _("Competitive procedure with negotiation")
    MINI_COMPETITION = "mini_competition", _("Call-off from a framework")
    JOINT = "joint", _("Joint procurement")
    OTHER = "other", _("Other")


# The languages an example can be written in, and PostgreSQL's text search
# configuration for each ("simple": no stemming, where PostgreSQL has none).
LANGUAGE_SEARCH_CONFIGS: dict[str, str] = {
    "en": "english",
    "nl": "dutch",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "sv": "swedish",
    "da": "danish",
    "fi": "finnish",
    "pt": "portuguese",
    "pl": "simple",
}


class ExampleLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    FINNISH = "fi", _("Finnish")
    PORTUGUESE = "pt", _("Portuguese")
    POLISH = "pl", _("Polish")


# The totals of the computed effects an author may show on the public page:
# key → (label, unit). Keys are cfit.impact.method's indicators, plus "devices".
PUBLISHABLE_EFFECTS: dict[str, tuple[str | Promise, str]] = {
    "devices": (_("Devices"), ""),
    "gwp_kg": (_("Greenhouse gases saved"), "kg CO2e"),
    "adpe_kg_sb": (_("Minerals and metals saved"), "kg Sb eq"),
    "mass_kg": (_("Device mass saved"), "kg"),
}


class GoodExampleQuerySet(models.QuerySet["GoodExample"]):
    def published(self) -> "GoodExampleQuerySet":
        return self.filter(status=ExampleStatus.PUBLISHED)

    def public(self) -> "GoodExampleQuerySet":
        """What a visitor, a search engine and the sitemap may see."""
        return self.published().filter(visibility=Visibility.PUBLIC)


class GoodExample(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """A tender, a case or a lesson learned that one procurer shares with the others."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ExampleKind.choices)
    summary = models.CharField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences shown in lists and search results."),
    )
    language = models.CharField(
        _("language of the example"),
        max_length=2,
        choices=ExampleLanguage.choices,
        default=ExampleLanguage.ENGLISH,
    )
    tags = models.CharField(
        _("tags"),
        max_length=300,
        blank=True,
        help_text=_("Words that describe it, separated by commas."),
    )
    visibility = models.CharField(
        _("who may read it"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    # What was bought
    product_groups = models.ManyToManyField(
        ProductGroup, related_name="good_examples", verbose_name=_("product groups")
    )
    devices = models.PositiveIntegerField(_("number of devices"), null=True, blank=True)
    contract_value = models.CharField(
        _("contract value"),
        max_length=16,
        choices=ContractValueBand.choices,
        blank=True,
    )
    duration_months = models.PositiveSmallIntegerField(
        _("contract duration (months)"), null=True, blank=True
    )
    contract_type = models.CharField(
        _("framework or single contract"),
        max_length=16,
        choices=ContractType.choices,
        blank=True,
    )
    condition = models.CharField(
        _("condition of the devices"), max_length=16, choices=Condition.choices
    )
    year = models.PositiveSmallIntegerField(_("year of the tender"))
    # How
    procedure = models.CharField(
        _("procedure"), max_length=32, choices=Procedure.choices
    )
    market_consultation = models.TextField(_("market consultation"), blank=True)
    award_weights = models.TextField(_("award criteria and weights"), blank=True)
    verification = models.TextField(_("how bids were verified"), blank=True)
    # Who
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="good_examples",
        verbose_name=_("organisation"),
    )
    buyer_group = models.ForeignKey(
        BuyerGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_examples",
        verbose_name=_("buyer group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    show_contact = models.BooleanField(
        _("show my name and email as contact person"), default=False
    )
    # Outcomes and lessons
    results = models.TextField(_("results"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    do_differently = models.TextField(_("what we would do differently"), blank=True)
    purchase_lines = models.ManyToManyField(
        PurchaseLine,
        blank=True,
        related_name="good_examples",
        verbose_name=_("purchase lines whose effects are shown"),
    )
    published_effects = models.JSONField(
        _("effects shown to everyone"),
        default=list,
        blank=True,
        help_text=_("Totals of the computed effects that the public page shows."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExampleStatus.choices,
        default=ExampleStatus.DRAFT,
    )
    sent_back_reason = models.TextField(_("why it was sent back"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Lower-cased words of every text and attached document (kept by the services).
    search_document = models.TextField(default="", blank=True, editable=False)
    # On PostgreSQL: the search document parsed with the language's configuration,
    # kept with it, so that a search reads stored lexemes instead of parsing every
    # document again (indexed with GIN by migration 0002). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[GoodExampleQuerySet] = GoodExampleQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")
        indexes = [
            models.Index(
                fields=["status", "visibility", "published_at"],
                name="knowledge_example_listing",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:example", kwargs={"slug": self.slug})

    @property
    def search_config(self) -> str:
        return LANGUAGE_SEARCH_CONFIGS.get(self.language, "simple")

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def is_public(self) -> bool:
        return (
            self.status == ExampleStatus.PUBLISHED
            and self.visibility == Visibility.PUBLIC
        )


class ExampleCriterion(models.Model):
    """A criterion an example used, pinned to the version (and so the level) it used."""

    example = models.ForeignKey(
        GoodExample, on_delete=models.CASCADE, related_name="criteria_used"
    )
    version = models.ForeignKey(
        CriterionVersion, on_delete=models.PROTECT, related_name="good_examples"
    )

    class Meta:
        ordering = ["version__criterion__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["example", "version"], name="knowledge_unique_example_version"
            )
        ]

    def __str__(self) -> str:
        return str(self.version)


def _document_path(instance: "ExampleDocument", filename: str) -> str:
    return f"good-examples/{instance.example.slug}/{filename}"


class ExampleDocument(models.Model):
    """A tender document, evaluation grid or contract clause attached to an example."""

    example = models.ForeignKey(
        GoodExample, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    file_type = models.CharField(_("type"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))
    # The text read from a PDF or DOCX, for search; empty for other kinds.
    text = models.TextField(default="", blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document of a good example")
        verbose_name_plural = _("documents of good examples")

    def __str__(self) -> str:
        return self.title


class ExampleComment(models.Model):
    """A member's comment on a published example, or a question to its author."""

    example = models.ForeignKey(
        GoodExample, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    is_question = models.BooleanField(_("a question to the author"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


# News and events ----------------------------------------------------------------------


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of the Pact")
    GROUP = "group", _("One buyer group")


class NewsItemQuerySet(models.QuerySet["NewsItem"]):
    def public(self) -> "NewsItemQuerySet":
        """News for everyone: the /news/ page, its feed and the sitemap."""
        return self.filter(audience=Audience.PUBLIC, published_at__lte=timezone.now())


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> "EventQuerySet":
        return self.filter(audience=Audience.PUBLIC)

    def upcoming(self) -> "EventQuerySet":
        return self.filter(ends_at__gte=timezone.now())


class NewsItem(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """News from the secretariat or a coordinator, for everyone, members or one group."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=400)
    body = models.TextField(_("text"), help_text=_("You can use Markdown."))
    audience = models.CharField(
        _("for whom"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    group = models.ForeignKey(
        BuyerGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name=_("buyer group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    objects: ClassVar[NewsItemQuerySet] = NewsItemQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="group", group__isnull=False)
                | (~Q(audience="group") & Q(group__isnull=True)),
                name="knowledge_news_group_only_for_group_audience",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:news-item", kwargs={"slug": self.slug})


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    GROUP_MEETING = "group_meeting", _("Buyer group meeting")
    MARKET_DIALOGUE = "market_dialogue", _("Market dialogue day")
    TRAINING = "training", _("Training")


class Event(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """A webinar, meeting, market dialogue or training, with registration if asked."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    description = models.TextField(
        _("description"), help_text=_("You can use Markdown.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels"
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    audience = models.CharField(
        _("for whom"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    group = models.ForeignKey(
        BuyerGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("buyer group"),
    )
    registration_open = models.BooleanField(_("people register"), default=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Once full, people join a waiting list."),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    objects: ClassVar[EventQuerySet] = EventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="knowledge_event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(audience="group", group__isnull=False)
                | (~Q(audience="group") & Q(group__isnull=True)),
                name="knowledge_event_group_only_for_group_audience",
            ),
        ]
        indexes = [
            models.Index(fields=["audience", "starts_at"], name="knowledge_event_next")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:event", kwargs={"slug": self.slug})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EventRegistration(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["registered", "waiting"]),
                name="knowledge_one_open_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


# Translations (django-parler), added by authors; the original stays in the row's own
# fields and language (GoodExample.language, original_language). Read them with
# cfit.lib.translations, which falls back to the original, marked.


class GoodExampleTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        GoodExample, on_delete=models.CASCADE, related_name="translations", null=True
    )
    translated_title = models.CharField(_("title"), max_length=200)
    translated_summary = models.CharField(_("summary"), max_length=400)
    translated_results = models.TextField(_("results"), blank=True)
    translated_what_worked = models.TextField(_("what worked"), blank=True)
    translated_do_differently = models.TextField(
        _("what we would do differently"), blank=True
    )

    class Meta:
        verbose_name = _("translation")
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="knowledge_one_example_translation_per_language",
            )
        ]


class NewsItemTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="translations", null=True
    )
    translated_title = models.CharField(_("title"), max_length=200)
    translated_summary = models.CharField(_("summary"), max_length=400)
    translated_body = models.TextField(_("text"), help_text=_("You can use Markdown."))

    class Meta:
        verbose_name = _("translation")
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="knowledge_one_news_translation_per_language",
            )
        ]


class EventTranslation(TranslatedFieldsModel):
    master = TranslationsForeignKey(
        Event, on_delete=models.CASCADE, related_name="translations", null=True
    )
    translated_title = models.CharField(_("title"), max_length=200)
    translated_description = models.TextField(
        _("description"), help_text=_("You can use Markdown.")
    )

    class Meta:
        verbose_name = _("translation")
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"],
                name="knowledge_one_event_translation_per_language",
            )
        ]
