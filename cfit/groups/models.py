from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cfit.lib.countries import country_choices, country_name
from cfit.organisations.models import Organisation


class BuyerGroupKind(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")
    THEMATIC = "thematic", _("Thematic")


class BuyerGroup(models.Model):
    """Procurers who buy together. Every buyer group is part of the Strategic Buyer Group."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=BuyerGroupKind.choices)
    country = models.CharField(
        _("country"), max_length=2, choices=country_choices, blank=True
    )
    region = models.CharField(_("region"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_groups",
        verbose_name=_("coordinating organisation"),
        help_text=_("Empty for a self-organised group."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes of the languages the group works in."),
    )
    how_to_join = models.TextField(_("how procurers join"), blank=True)
    website = models.URLField(
        _("website of the existing group"),
        blank=True,
        help_text=_("For a group that already exists outside this site."),
    )
    # A coordinating signatory may offer to coordinate a self-organised group, so that
    # an existing group is linked to it; the founding members accept or decline.
    coordination_offered_by = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered to coordinate"),
    )
    coordination_offered_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer group")
        verbose_name_plural = _("buyer groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"slug": self.slug})

    @property
    def is_self_organised(self) -> bool:
        return self.coordinator_id is None

    @property
    def country_name(self) -> str:
        return country_name(self.country) if self.country else ""

    @property
    def language_names(self) -> list[str]:
        names = dict(LANGUAGE_CHOICES)
        return [str(names.get(code, code)) for code in self.languages]


class GroupMembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class BuyerGroupMembership(models.Model):
    """A procuring organisation in a buyer group; joining is a request the group accepts."""

    group = models.ForeignKey(
        BuyerGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="group_memberships"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=GroupMembershipStatus.choices,
        default=GroupMembershipStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    is_founding_member = models.BooleanField(
        _("founding member"),
        default=False,
        help_text=_("Founding members answer join requests of a self-organised group."),
    )
    message = models.TextField(_("message with the request"), blank=True)
    decision_message = models.TextField(_("message with the answer"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("buyer group membership")
        verbose_name_plural = _("buyer group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"],
                condition=Q(status__in=["requested", "active"]),
                name="groups_one_open_membership_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.group}"


# Languages a buyer group can work in: the EU's official languages and a few more that
# the Pact's signatories use. Stored as ISO 639-1 codes.
LANGUAGE_CHOICES: list[tuple[str, str | Promise]] = [
    ("bg", _("Bulgarian")),
    ("ca", _("Catalan")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("no", _("Norwegian")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
    ("sw", _("Swahili")),
]


class GroupPostKind(models.TextChoices):
    NEWS = "news", _("News")
    DISCUSSION = "discussion", _("Discussion")


class GroupPost(models.Model):
    """A news post or a message in the discussion thread of a buyer group's members' page."""

    group = models.ForeignKey(
        BuyerGroup, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GroupPostKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("group post")
        verbose_name_plural = _("group posts")
        indexes = [
            models.Index(
                fields=["group", "kind", "created_at"], name="groups_post_by_kind"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class ComplexIssue(models.Model):
    """A cross-group topic in the Strategic Buyer Group, raised by a group representative."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("complex issue")
        verbose_name_plural = _("complex issues")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:issue", kwargs={"pk": self.pk})


class ComplexIssueReply(models.Model):
    issue = models.ForeignKey(
        ComplexIssue, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return self.body[:60]


class WorkingGroupTopic(models.TextChoices):
    CRITERIA = "criteria", _("Criteria")
    PROCUREMENT_GUIDANCE = "procurement_guidance", _("Procurement guidance")
    MONITORING_GUIDANCE = "monitoring_guidance", _("Monitoring guidance")
    NEW_PRODUCT_GROUP = "new_product_group", _("A new product group")
    OTHER = "other", _("Other")


class WorkingGroupStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def public(self) -> "WorkingGroupQuerySet":
        """Working groups the secretariat has opened: active or closed."""
        return self.filter(
            status__in=[WorkingGroupStatus.ACTIVE, WorkingGroupStatus.CLOSED]
        )


class WorkingGroup(models.Model):
    """An international group of people on one topic; proposed by a signatory, opened by the secretariat."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    topic = models.CharField(
        _("topic"), max_length=32, choices=WorkingGroupTopic.choices
    )
    purpose = models.TextField(_("purpose"))
    description = models.TextField(_("description"), blank=True)
    product_groups = models.ManyToManyField(
        "criteria.ProductGroup",
        blank=True,
        related_name="working_groups",
        verbose_name=_("product groups concerned"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=WorkingGroupStatus.choices,
        default=WorkingGroupStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_working_groups",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_message = models.TextField(_("message with the decision"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[WorkingGroupQuerySet] = WorkingGroupQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:working-group", kwargs={"slug": self.slug})


class WorkingGroupMembership(models.Model):
    """A person in a working group."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="working_group_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "user"],
                name="groups_one_membership_per_working_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.working_group}"


def _document_path(instance: "WorkingGroupDocument", filename: str) -> str:
    return f"working-groups/{instance.working_group.slug}/{filename}"


class WorkingGroupDocument(models.Model):
    """A file a working group shares: PDF, DOCX, XLSX or ODT, checked by its content."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    file_type = models.CharField(_("type"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("working group document")
        verbose_name_plural = _("working group documents")

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    """Something that happened that one person should know about, shown on their Notices page."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind of event"), max_length=60, blank=True)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waits for the person's weekly digest email (they chose a digest for its kind).
    in_digest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="groups_notice_unread"),
            models.Index(
                fields=["in_digest"],
                condition=Q(in_digest=True),
                name="groups_notice_in_digest",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Delivery(models.TextChoices):
    """How a person wants to hear about one kind of event."""

    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("In a weekly digest email")
    NONE = "none", _("No email (only a notice on the platform)")


# Kinds of event a person can choose for. Helpers elsewhere may notify with kinds not
# listed here: those follow the person's choice for OTHER_KINDS, by default at once.
NOTICE_KINDS: dict[str, Promise] = {
    "report.submitted": _("A report was sent for your review"),
    "report.queried": _("Your coordinator asked a question about your report"),
    "report.answered": _("A procurer answered your question"),
    "report.accepted": _("Your report was accepted"),
    "report.reopened": _("Your report was reopened"),
    "report.reminder": _("A report is due soon"),
    "signature.decided": _("A signature of your organisation was decided"),
    "group.join": _("Requests to join your buyer group and their answers"),
    "working_group": _("Working groups: proposals and decisions"),
}
OTHER_KINDS = "other"
NOTICE_KINDS[OTHER_KINDS] = _("Everything else")
DEFAULT_DELIVERY = Delivery.IMMEDIATE


class NoticePreference(models.Model):
    """A person's choice of how to hear about one kind of event."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
    )
    kind = models.CharField(_("kind of event"), max_length=60)
    delivery = models.CharField(
        _("how to tell you"),
        max_length=16,
        choices=Delivery.choices,
        default=DEFAULT_DELIVERY,
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="groups_one_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.get_delivery_display()}"
