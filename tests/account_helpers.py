"""Logging in and confirming access through allauth's real pages, for tests."""

from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import PASSWORD


def reauthenticate(http: HttpClient, password: str = PASSWORD) -> None:
    """Confirm access with the password ("sudo mode"), as the re-authentication page does."""
    response = http.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
