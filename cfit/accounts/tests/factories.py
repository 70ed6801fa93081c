import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from cfit.accounts.models import User
from cfit.security.services import second_factor_activate

PASSWORD = "Correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def confirmed(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self, email=self.email, verified=True, primary=True
            )


# The authenticator app of every secretariat person in the tests (base32).
SECOND_FACTOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class SecretariatFactory(UserFactory):
    """Staff of the Strategic Buyer Group, with the second factor they must have."""

    is_staff = True

    @factory.post_generation
    def secretariat(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.groups.add(Group.objects.get(name="Secretariat"))
            second_factor_activate(user=self, secret=SECOND_FACTOR_SECRET)
