from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.lib.countries import country_choices
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

    class Meta:
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
