"""Every page is sent with a strict content security policy and the usual security headers."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("page", ["dashboard", "mfa_index", "usersessions_list"])
def test_a_members_page_has_a_strict_nonce_policy(world, owner_client, page):
    response = owner_client.get(reverse(page))
    assert response.status_code == 200
    policy = directives(response)
    [nonce] = policy["script-src"]
    assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]{16,}'", nonce)
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_every_script_tag_carries_the_responses_nonce(world, owner_client):
    response = owner_client.get(reverse("dashboard"))
    nonce = directives(response)["script-src"][0][len("'nonce-") : -1]
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert len(scripts) >= 2
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


def test_each_response_gets_a_new_nonce(world, owner_client):
    first = directives(owner_client.get(reverse("dashboard")))["script-src"]
    second = directives(owner_client.get(reverse("dashboard")))["script-src"]
    assert first != second


def test_the_login_page_has_the_same_policy(client):
    response = client.get(reverse("account_login"))
    policy = directives(response)
    assert policy["script-src"][0].startswith("'nonce-")
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_usual_security_headers_are_set(world, owner_client):
    response = owner_client.get(reverse("dashboard"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_https_sites_add_hsts(world, owner_client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False
    response = owner_client.get(reverse("dashboard"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
