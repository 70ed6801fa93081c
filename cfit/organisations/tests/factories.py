from datetime import date

import factory
from django.utils import timezone

from cfit.accounts.tests.factories import UserFactory
from cfit.organisations.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    PactText,
    Signature,
    SignatureRole,
    SignatureStatus,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    country = "NL"
    kind = OrganisationKind.LOCAL_GOVERNMENT


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
    status = MembershipStatus.ACTIVE


def current_pact_text() -> PactText:
    return PactText.objects.get(is_current=True)


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    organisation = factory.SubFactory(OrganisationFactory)
    role = SignatureRole.PROCURING
    signatory_name = factory.Faker("name")
    signatory_title = "Chief Procurement Officer"
    pact_text = factory.LazyFunction(current_pact_text)
    submitted_by = factory.SubFactory(UserFactory)
    status = SignatureStatus.PENDING

    class Params:
        approved = factory.Trait(
            status=SignatureStatus.APPROVED,
            # Signed long enough ago that the open reporting years are due.
            approved_on=date(2024, 6, 1),
            decided_at=factory.LazyFunction(timezone.now),
        )


def member_of(organisation: Organisation, *, admin: bool = True, **user_fields):  # type: ignore[no-untyped-def]
    """A person who is an active member (by default an administrator) of the organisation."""
    user = UserFactory(**user_fields)
    MembershipFactory(
        organisation=organisation,
        user=user,
        role=MembershipRole.ADMIN if admin else MembershipRole.MEMBER,
    )
    return user


def signatory(
    *, role: str = SignatureRole.PROCURING, **organisation_fields
) -> Organisation:  # type: ignore[no-untyped-def]
    """An organisation with an approved signature in the given role."""
    organisation = OrganisationFactory(**organisation_fields)
    SignatureFactory(organisation=organisation, role=role, approved=True)
    return organisation
