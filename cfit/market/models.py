"""The market side: market parties, consultations, statements of demand, the tender
calendar's openness and the roadmap to 2030."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import (
    Criterion,
    CriterionLevel,
    CriterionVersion,
    ProductGroup,
)
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.lib.countries import country_choices, country_name
from cfit.monitoring.models import DemandForecast
from cfit.organisations.models import MembershipRole, MembershipStatus, Organisation

# Market parties -------------------------------------------------------------------


class MarketPartyKind(models.TextChoices):
    BRAND = "brand", _("Brand or manufacturer")
    RESELLER = "reseller", _("Reseller")
    REFURBISHER = "refurbisher", _("Refurbisher")
    REMANUFACTURER = "remanufacturer", _("Remanufacturer")
    RECYCLER = "recycler", _("Recycler")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    NGO = "ngo", _("NGO")
    RESEARCH = "research", _("Research")


class MarketPartyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")


class MarketPartyQuerySet(models.QuerySet["MarketParty"]):
    def verified(self) -> "MarketPartyQuerySet":
        return self.filter(status=MarketPartyStatus.VERIFIED)


class MarketParty(models.Model):
    """A company or NGO that takes part in the Pact's work without signing it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    kind = models.CharField(_("kind"), max_length=24, choices=MarketPartyKind.choices)
    website = models.URLField(_("website"), blank=True)
    product_groups = models.ManyToManyField(
        ProductGroup,
        blank=True,
        related_name="market_parties",
        verbose_name=_("product groups it serves"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MarketPartyStatus.choices,
        default=MarketPartyStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects: ClassVar[MarketPartyQuerySet] = MarketPartyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("market party")
        verbose_name_plural = _("market parties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:party", kwargs={"slug": self.slug})

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def is_verified(self) -> bool:
        return self.status == MarketPartyStatus.VERIFIED


class MarketPartyMembership(models.Model):
    """A person in a market party; joining works as joining an organisation."""

    party = models.ForeignKey(
        MarketParty, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="market_memberships",
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    message = models.TextField(_("message to the administrators"), blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["party", "user__email"]
        verbose_name = _("market party membership")
        verbose_name_plural = _("market party memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="active"),
                name="market_one_active_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["party", "user"],
                condition=Q(status__in=["active", "requested"]),
                name="market_one_open_membership_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.party}"


# Consultations --------------------------------------------------------------------


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SCHEDULED = "scheduled", _("Opens soon")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class MarketConsultation(models.Model):
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


# Statements of demand ---------------------------------------------------------------


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class StatementOfDemand(models.Model):
    """What the buyers will ask for from a given year, endorsed by organisations."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    text = models.TextField(_("text"))
    from_year = models.PositiveSmallIntegerField(
        _("from the year"),
        validators=[MinValueValidator(2020), MaxValueValidator(2100)],
    )
    level = models.CharField(
        _("criteria level"), max_length=16, choices=CriterionLevel.choices
    )
    criteria = models.ManyToManyField(
        Criterion, related_name="statements_of_demand", verbose_name=_("criteria")
    )
    product_groups = models.ManyToManyField(
        ProductGroup, related_name="+", verbose_name=_("product groups")
    )
    drafted_by_group = models.ForeignKey(
        BuyerGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_of_demand",
        verbose_name=_("drafted by the buyer group"),
    )
    drafted_by_working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_of_demand",
        verbose_name=_("drafted by the working group"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-from_year", "title"]
        verbose_name = _("statement of demand")
        verbose_name_plural = _("statements of demand")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:statement", kwargs={"slug": self.slug})

    @property
    def drafted_by(self) -> BuyerGroup | WorkingGroup | None:
        return self.drafted_by_group or self.drafted_by_working_group


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def active(self) -> "EndorsementQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Endorsement(models.Model):
    """An organisation backs a statement; withdrawing keeps the row as history."""

    statement = models.ForeignKey(
        StatementOfDemand, on_delete=models.CASCADE, related_name="endorsements"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(_("endorsed"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[EndorsementQuerySet] = EndorsementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["endorsed_at"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="market_one_active_endorsement_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} endorses {self.statement}"


class Pledge(models.Model):
    """Devices per year an endorsing organisation pledges to buy as the statement asks."""

    endorsement = models.ForeignKey(
        Endorsement, on_delete=models.CASCADE, related_name="pledges"
    )
    product_group = models.ForeignKey(
        ProductGroup, on_delete=models.PROTECT, related_name="+"
    )
    devices_per_year = models.PositiveIntegerField(_("devices per year"))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement", "product_group"],
                name="market_one_pledge_per_product_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.devices_per_year} × {self.product_group}"


# The tender calendar ------------------------------------------------------------------


class CalendarEntry(models.Model):
    """What an organisation opens of a planned tender (kept beside monitoring's forecast)."""

    forecast = models.OneToOneField(
        DemandForecast, on_delete=models.CASCADE, related_name="calendar_entry"
    )
    open_to_joint_procurement = models.BooleanField(
        _("open to joint procurement"), default=False
    )
    aligned_criteria = models.BooleanField(
        _("open to aligning criteria"), default=False
    )
    show_name = models.BooleanField(_("show our name to market parties"), default=False)
    note = models.TextField(_("note for other members"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tender calendar entry")
        verbose_name_plural = _("tender calendar entries")

    def __str__(self) -> str:
        return str(self.forecast)

    @property
    def is_open(self) -> bool:
        return self.open_to_joint_procurement or self.aligned_criteria


class TenderInterest(models.Model):
    """Another member's interest in joining, or aligning with, a planned tender."""

    forecast = models.ForeignKey(
        DemandForecast, on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tender_interests"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["forecast", "organisation"],
                name="market_one_interest_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.forecast}"


# The roadmap to 2030 ---------------------------------------------------------------


class RoadmapTheme(models.TextChoices):
    LIFETIME = "lifetime", _("Lifetime")
    REPAIR = "repair", _("Repair")
    REFURBISHED = "refurbished", _("Share of refurbished devices")
    RECYCLED = "recycled", _("Recycled content")
    SOCIAL = "social", _("Social conditions")
    TAKE_BACK = "take_back", _("Take-back")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")
    DELAYED = "delayed", _("Delayed")


class Milestone(models.Model):
    """A step on the road to 2030, with the outcomes that show progress towards it."""

    theme = models.CharField(_("theme"), max_length=16, choices=RoadmapTheme.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), validators=[MinValueValidator(2020), MaxValueValidator(2030)]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PLANNED,
    )
    consultations = models.ManyToManyField(
        MarketConsultation,
        blank=True,
        related_name="milestones",
        verbose_name=_("consultation summaries"),
    )
    criterion_versions = models.ManyToManyField(
        CriterionVersion,
        blank=True,
        related_name="+",
        verbose_name=_("criteria versions"),
    )
    statements = models.ManyToManyField(
        StatementOfDemand,
        blank=True,
        related_name="milestones",
        verbose_name=_("statements of demand"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["theme", "target_year", "title"]
        verbose_name = _("roadmap milestone")
        verbose_name_plural = _("roadmap milestones")

    def __str__(self) -> str:
        return f"{self.title} ({self.target_year})"
