"""Guessing join codes is slowed down per client address: after too many codes that name no
running exercise, an address gets no answer for a while, whether its next code is right or
wrong. Behind a trusted proxy each visitor is counted by her own address."""

import pytest
from django.test import Client as HttpClient

from tests.live_helpers import run_in
from tila.live.models import Participant

PROXY = "10.0.0.5"
WRONG = "ZZZZZZ"
TOO_MANY = "Tästä osoitteesta on kokeiltu liian monta koodia."


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.TILA_LIVE_CODE_LIMIT = 3


def phone(peer: str, forwarded: str | None = None) -> HttpClient:
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return HttpClient(**headers)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_after_too_many_wrong_codes_even_the_right_one_is_refused(world):
    run = run_in(world.meeting, world.owner)
    guesser = phone("198.51.100.7")
    statuses = [
        guesser.post("/live/", {"code": WRONG}).status_code,
        guesser.get(f"/live/{WRONG}/").status_code,
        guesser.post(f"/live/{WRONG}/join/").status_code,
    ]
    assert statuses == [200, 404, 404]
    refused = guesser.post("/live/", {"code": run.join_code})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    page = guesser.get(f"/live/{run.join_code}/")
    assert page.status_code == 429 and TOO_MANY in page.content.decode()
    assert guesser.post(f"/live/{run.join_code}/join/").status_code == 429
    assert not Participant.objects.exists()
    # Someone else in the room is not slowed down.
    other = phone("203.0.113.9")
    assert other.post("/live/", {"code": run.join_code}).status_code == 302
    assert other.post(f"/live/{run.join_code}/join/").status_code == 302
    assert Participant.objects.count() == 1


@pytest.mark.django_db
def test_right_codes_and_reloads_are_not_counted(world):
    run = run_in(world.meeting, world.owner)
    device = phone("198.51.100.7")
    device.post(f"/live/{run.join_code}/join/")
    for _ in range(10):
        assert device.get(f"/live/{run.join_code}/").status_code == 200
    assert device.post("/live/", {"code": run.join_code.lower()}).status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_visitor_has_her_own_limit(world, settings):
    settings.TILA_TRUSTED_PROXIES = ["10.0.0.0/24"]
    run = run_in(world.meeting, world.owner)
    guesser = phone(PROXY, "198.51.100.7")
    for _ in range(3):
        guesser.get(f"/live/{WRONG}/")
    assert guesser.get(f"/live/{run.join_code}/").status_code == 429
    assert phone(PROXY, "203.0.113.9").get(f"/live/{run.join_code}/").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_escape_the_limit(world):
    run = run_in(world.meeting, world.owner)
    for index in range(3):
        phone("198.51.100.7", f"192.0.2.{index}").get(f"/live/{WRONG}/")
    assert phone("198.51.100.7", "192.0.2.99").get(f"/live/{run.join_code}/").status_code == 429
