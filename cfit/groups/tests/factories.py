import factory
from django.utils import timezone

from cfit.accounts.tests.factories import UserFactory
from cfit.groups.models import (
    BuyerGroup,
    BuyerGroupKind,
    BuyerGroupMembership,
    ComplexIssue,
    GroupMembershipStatus,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupStatus,
    WorkingGroupTopic,
)
from cfit.organisations.tests.factories import OrganisationFactory


class BuyerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerGroup

    name = factory.Sequence(lambda n: f"Buyer group {n}")
    slug = factory.Sequence(lambda n: f"buyer-group-{n}")
    kind = BuyerGroupKind.NATIONAL
    country = "NL"
    description = "Public buyers who tender together."
    languages = factory.LazyFunction(lambda: ["nl", "en"])


class BuyerGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerGroupMembership

    group = factory.SubFactory(BuyerGroupFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = GroupMembershipStatus.ACTIVE
    decided_at = factory.LazyFunction(timezone.now)


class ComplexIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplexIssue

    title = "Erasure certificates across borders"
    body = "Which certificates do the groups accept?"
    author = factory.SubFactory(UserFactory)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    topic = WorkingGroupTopic.CRITERIA
    purpose = "Draft a criterion on spare batteries."
    status = WorkingGroupStatus.ACTIVE
    proposed_by = factory.SubFactory(UserFactory)


class WorkingGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMembership

    working_group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
