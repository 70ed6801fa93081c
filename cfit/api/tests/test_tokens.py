"""Tokens: made and revoked on the profile page, shown once, hashed, limited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cfit.api.models import ApiToken, hash_token

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_member_makes_a_token_that_is_shown_once_and_stored_hashed(
    client, procurer_a
):
    client.force_login(procurer_a)
    response = client.post(
        "/me/tokens/", {"name": "Finance export", "scope": "read", "days": "90"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name="Finance export")
    page = response.content.decode()
    raw = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert token.token_hash == hash_token(raw)
    assert raw not in client.get("/me/profile/").content.decode()
    assert "Finance export" in client.get("/me/profile/").content.decode()
    assert client.get("/api/v1/me", headers=bearer(raw)).json()["organisation"] == (
        "City of Alphen"
    )


def test_someone_without_an_organisation_cannot_make_a_token(client, outsider):
    client.force_login(outsider)
    response = client.post("/me/tokens/", {"name": "x", "scope": "read", "days": "30"})
    assert response.status_code == 404
    assert not ApiToken.objects.exists()


def test_a_revoked_token_no_longer_works(client, procurer_a, token_a):
    token = ApiToken.objects.get()
    client.force_login(procurer_a)
    client.post(f"/me/tokens/{token.pk}/revoke/")
    response = client.get("/api/v1/me", headers=bearer(token_a))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_one_can_revoke_another_persons_token(client, procurer_b, token_a):
    token = ApiToken.objects.get()
    client.force_login(procurer_b)
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_no_longer_works(client, token_a):
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/me", headers=bearer(token_a)).status_code == 401


def test_a_token_stops_working_when_its_person_leaves_the_organisation(
    client, procurer_a, token_a
):
    procurer_a.memberships.all().delete()
    assert client.get("/api/v1/me", headers=bearer(token_a)).status_code == 401


def test_no_token_is_a_401_problem(client):
    response = client.get("/api/v1/reports")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_too_many_requests_get_a_429_with_retry_after(client, settings, token_a):
    settings.API_TOKEN_REQUESTS_PER_MINUTE = 3
    statuses = [
        client.get("/api/v1/me", headers=bearer(token_a)).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/me", headers=bearer(token_a))
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["status"] == 429


def test_a_token_records_when_it_was_last_used(client, token_a):
    client.get("/api/v1/me", headers=bearer(token_a))
    assert ApiToken.objects.get().last_used_at is not None


def test_the_secretariat_revokes_a_token_in_the_admin(client, secretariat, token_a):
    secretariat.is_superuser = True
    secretariat.save()
    token = ApiToken.objects.get()
    client.force_login(secretariat)
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert client.get("/api/v1/me", headers=bearer(token_a)).status_code == 401
