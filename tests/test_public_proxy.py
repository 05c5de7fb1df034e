"""The public forms' per-address limit behind a reverse proxy: X-Forwarded-For counts only
when a trusted proxy sends it; otherwise the peer address does, whatever the headers say."""

import pytest
import time_machine
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import at
from tests.intake_helpers import forget_rate_limits, inquiry_data, publish
from tila.intake.models import Inquiry
from tila.lib.client_address import client_address

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _fresh(world, settings):
    settings.TILA_PUBLIC_FORM_LIMIT = 2
    forget_rate_limits()
    publish(world.practice, world.owner)
    with time_machine.travel(at(2026, 11, 20, 10), tick=True):
        yield


def send(world, peer: str, forwarded: str | None = None) -> int:
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    url = reverse("public_inquiry", args=[world.practice.slug])
    return HttpClient().post(url, inquiry_data(), **headers).status_code  # type: ignore[arg-type]


def test_behind_a_trusted_proxy_each_visitor_has_her_own_limit(world, settings):
    settings.TILA_TRUSTED_PROXIES = ["10.0.0.0/24"]
    first = [send(world, PROXY, "198.51.100.7") for _ in range(3)]
    second = [send(world, PROXY, "203.0.113.9") for _ in range(2)]
    assert first == [302, 302, 429]
    assert second == [302, 302]  # not counted with the first visitor, nor as the proxy
    assert Inquiry.objects.count() == 4


def test_without_the_setting_the_header_is_ignored(world, settings):
    settings.TILA_TRUSTED_PROXIES = []
    statuses = [send(world, PROXY, f"198.51.100.{n}") for n in range(3)]
    assert statuses == [302, 302, 429]  # everyone behind the proxy shares its address


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(world, settings):
    settings.TILA_TRUSTED_PROXIES = [PROXY]
    statuses = [send(world, "192.0.2.50", f"198.51.100.{n}") for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Inquiry.objects.count() == 2


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # A visitor who puts a made-up address first is known by what the proxy saw.
        (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two trusted proxies in a row are passed over.
        (PROXY, "198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # Garbage stops the reading: the nearest believable address is the proxy's own peer.
        (PROXY, "198.51.100.7, not-an-address", PROXY),
        (PROXY, None, PROXY),
        (PROXY, "2001:db8::1", "2001:db8::1"),
        ("192.0.2.50", "198.51.100.7", "192.0.2.50"),
    ],
)
def test_the_address_is_read_from_the_right_past_trusted_proxies(settings, peer, forwarded, client):
    settings.TILA_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request_from(peer, forwarded)) == client
