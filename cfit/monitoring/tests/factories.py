"""What exists in monitoring tests: criteria (until the criteria base lands), reports, lines."""

import factory
from django.utils import timezone

from cfit.criteria.models import (
    Criterion,
    CriterionCategory,
    CriterionKind,
    CriterionLevel,
    CriterionSource,
    CriterionVersion,
    Ecolabel,
    ProductGroup,
    VersionStatus,
)
from cfit.groups.models import BuyerGroup, BuyerGroupMembership, GroupMembershipStatus
from cfit.monitoring import summaries
from cfit.monitoring.models import (
    Condition,
    DemandForecast,
    PurchaseLine,
    PurchaseReport,
    ReportingPeriod,
)
from cfit.organisations.models import Organisation
from cfit.organisations.tests.factories import OrganisationFactory


def product_group(code: str = "laptop") -> ProductGroup:
    return ProductGroup.objects.get(code=code)


def ecolabel(code: str = "tco-certified") -> Ecolabel:
    return Ecolabel.objects.get(code=code)


def criterion(
    code: str,
    *,
    level: str = CriterionLevel.BASE,
    groups: tuple[str, ...] = ("laptop",),
    approved: bool = True,
) -> Criterion:
    """A criterion of the given product groups; reuses one the criteria base already has.

    Approved unless told otherwise: only approved criteria are offered and counted.
    """
    found, created = Criterion.objects.get_or_create(
        code=code, defaults={"title": f"Criterion {code}", "level": level}
    )
    found.product_groups.add(*ProductGroup.objects.filter(code__in=groups))
    if created:
        CriterionVersion.objects.create(
            criterion=found,
            number=1,
            status=VersionStatus.APPROVED if approved else VersionStatus.IN_REVIEW,
            title=found.title,
            level=level,
            category=CriterionCategory.LIFETIME,
            kind=CriterionKind.TECHNICAL_SPECIFICATION,
            tender_text=f"The tender text of {code}.",
            source=CriterionSource.PACT_WORKING_GROUP,
        )
    return found


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("year",)

    year = 2025
    deadline = factory.LazyAttribute(
        lambda o: timezone.datetime(o.year + 1, 3, 31).date()
    )
    open = True


class PurchaseReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseReport

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025


class PurchaseLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseLine

    report = factory.SubFactory(PurchaseReportFactory)
    product_group = factory.LazyFunction(product_group)
    quantity = 10
    condition = Condition.NEW
    country_of_use = "NL"

    @classmethod
    def _after_postgeneration(
        cls, instance: PurchaseLine, create: bool, results: dict | None = None
    ) -> None:
        # As every service does: the report's summary follows its lines.
        super()._after_postgeneration(instance, create, results)
        if create:
            summaries.refresh_report(instance.report_id)


class DemandForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandForecast

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Laptop tender {n}")
    product_group = factory.LazyFunction(product_group)
    quantity = 500
    year = 2027
    level = CriterionLevel.BASE


def buyer_group_of(
    coordinator: Organisation, *members: Organisation, slug: str = "test-group"
) -> BuyerGroup:
    """A buyer group coordinated by `coordinator` with `members` as active members."""
    group = BuyerGroup.objects.create(
        name=f"Group {slug}", slug=slug, kind="national", coordinator=coordinator
    )
    for member in members:
        BuyerGroupMembership.objects.create(
            group=group, organisation=member, status=GroupMembershipStatus.ACTIVE
        )
    return group
