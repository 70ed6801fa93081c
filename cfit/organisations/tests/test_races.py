"""Racing decisions: two people approving the same thing at once change it once.

PostgreSQL only (marker `postgresql`): SQLite serialises writes and cannot race.
"""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from cfit.organisations import services
from cfit.organisations.models import Signature, SignatureStatus

from .factories import OrganisationFactory, SignatureFactory, member_of

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_simultaneous_approvals_of_a_signature_approve_it_once(secretariat):
    organisation = OrganisationFactory()
    member_of(organisation, email="admin@city.example")
    signature = SignatureFactory(organisation=organisation)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        # Each click holds its own copy of the signature, read before the other's write.
        mine = Signature.objects.get(pk=signature.pk)
        try:
            barrier.wait()
            services.signature_approve(signature=mine, by=secretariat)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert Signature.objects.get(pk=signature.pk).status == SignatureStatus.APPROVED
    # One approval, one email to the organisation's administrators.
    assert len([m for m in mail.outbox if "signed the Pact" in m.subject]) == 1
