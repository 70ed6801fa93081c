"""Racing clicks: two requests at the same moment change the data once.

Run on PostgreSQL only (marker `postgresql`): SQLite serialises every write, so it
cannot show the race these tests guard against.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cfit.monitoring.models import ImportStatus, PurchaseImport

from .test_views import SLUG, upload

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREE_LINES = b"Product group;Quantity\nlaptop;10\nsmartphone;5\nlaptop;1\n"


def _at_once(*requests):
    """Run each request in its own thread, released together; their responses."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            responses[index] = request()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_two_simultaneous_confirmations_store_the_import_once(procurer_a, report_a):
    for trial in range(6):
        client = Client()
        client.force_login(procurer_a)
        upload(client, THREE_LINES)
        purchase_import = PurchaseImport.objects.order_by("pk").last()
        assert purchase_import.status == ImportStatus.CHECKED
        before = report_a.lines.count()
        url = reverse(
            "monitoring:import-confirm",
            kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
        )
        clients = [Client(), Client()]
        for each in clients:
            each.force_login(procurer_a)
        responses = _at_once(
            *[lambda c=c, u=url: c.post(u, {"mode": "add"}) for c in clients]
        )
        assert [r.status_code for r in responses] == [302, 302]
        assert report_a.lines.count() == before + 3, f"trial {trial}"
        purchase_import.refresh_from_db()
        assert purchase_import.status == ImportStatus.DONE
