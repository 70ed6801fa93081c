"""Market consultations, their questions and the answers of market parties."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModelMixin

from cfit.criteria.models import (
    Criterion,
    ProductGroup,
)
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.lib.translations import ORIGINAL_LANGUAGE_CHOICES

from .parties import MarketParty, MarketPartyKind

# Consultations --------------------------------------------------------------------


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SCHEDULED = "scheduled", _("Opens soon")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class MarketConsultation(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """Questions the buyers ask the market, open between two moments."""

    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(
        _("context"), help_text=_("Why you ask and what you will do with the answers.")
    )
    buyer_groups = models.ManyToManyField(
        BuyerGroup, blank=True, related_name="+", verbose_name=_("buyer groups")
    )
    product_groups = models.ManyToManyField(
        ProductGroup, blank=True, related_name="+", verbose_name=_("product groups")
    )
    criteria = models.ManyToManyField(
        Criterion,
        blank=True,
        related_name="market_consultations",
        verbose_name=_("criteria it is about"),
    )
    organiser_group = models.ForeignKey(
        BuyerGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_consultations",
        verbose_name=_("run by the buyer group"),
    )
    organiser_working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_consultations",
        verbose_name=_("run by the working group"),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Empty: every verified market party; else only parties of these kinds.
    audience_kinds = models.JSONField(_("kinds of market party asked"), default=list)
    answers_attributed = models.BooleanField(
        _("answers named in the summary"),
        default=False,
        help_text=_(
            "Otherwise answers are confidential to the organisers: the summary and "
            "the export never name a party."
        ),
    )
    is_published = models.BooleanField(_("sent to the market"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    summary_published_at = models.DateTimeField(
        _("summary published"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("market consultation")
        verbose_name_plural = _("market consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="market_consultation_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:consultation", kwargs={"pk": self.pk})

    @property
    def state(self) -> str:
        if not self.is_published:
            return ConsultationState.DRAFT
        now = timezone.now()
        if now < self.opens_at:
            return ConsultationState.SCHEDULED
        if now < self.closes_at:
            return ConsultationState.OPEN
        return ConsultationState.CLOSED

    def get_state_display(self) -> str:
        return str(ConsultationState(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state == ConsultationState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == ConsultationState.CLOSED

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(MarketPartyKind.choices)
        return [str(labels[kind]) for kind in self.audience_kinds if kind in labels]


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    NUMBER = "number", _("A number")
    YES_NO = "yes_no", _("Yes or no")
    CRITERION = "criterion", _("Can you meet a criterion today, or by when")
    FILE = "file", _("A document")


class ConsultationQuestion(models.Model):
    consultation = models.ForeignKey(
        MarketConsultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One choice per line.")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_questions",
        verbose_name=_("criterion"),
    )
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="criterion") | Q(criterion__isnull=False),
                name="market_criterion_question_names_a_criterion",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ConsultationResponse(models.Model):
    """One market party's answers to one consultation: a draft, then submitted."""

    consultation = models.ForeignKey(
        MarketConsultation, on_delete=models.CASCADE, related_name="responses"
    )
    party = models.ForeignKey(
        MarketParty, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ResponseStatus.choices,
        default=ResponseStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["party__name"]
        verbose_name = _("answer of a market party")
        verbose_name_plural = _("answers of market parties")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "party"],
                name="market_one_response_per_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.consultation}"


def _answer_file_path(instance: "Answer", filename: str) -> str:
    return f"market/consultations/{instance.question.consultation_id}/{filename}"


class Answer(models.Model):
    """The answer to one question; which fields hold it depends on the question's kind."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("text"), blank=True)
    selected = models.JSONField(_("choices"), default=list, blank=True)
    number = models.DecimalField(
        _("number"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    meets_today = models.BooleanField(_("meets it today"), null=True, blank=True)
    expected_year = models.PositiveSmallIntegerField(
        _("expects to meet it in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    file = models.FileField(
        _("document"), upload_to=_answer_file_path, max_length=300, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="market_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display}"

    @property
    def display(self) -> str:
        """The answer in words, the same on the page and in the export."""
        kind = self.question.kind
        if kind == QuestionKind.CRITERION:
            if self.meets_today:
                return str(_("Meets it today"))
            if self.expected_year:
                return str(_("Expects to meet it in %(year)s")) % {
                    "year": self.expected_year
                }
            if self.meets_today is False:
                return str(_("Does not expect to meet it"))
            return ""
        if kind == QuestionKind.YES_NO:
            return "" if self.yes is None else str(_("Yes") if self.yes else _("No"))
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return "; ".join(self.selected)
        if kind == QuestionKind.NUMBER:
            return "" if self.number is None else f"{self.number.normalize():f}"
        if kind == QuestionKind.FILE:
            return self.file_name
        return self.text
