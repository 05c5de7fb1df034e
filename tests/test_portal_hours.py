"""A supervisee's own hours of supervision in the portal: the held meetings she attended across
her contracts, as in the supervisor's ledger, and nobody else's."""

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import World, at, make_meeting
from tests.portal_helpers import log_in_as, member_of
from tests.test_billing_certificates import hold, pdf_text, supervisee_with_history
from tila.audit.models import AuditEvent
from tila.billing.models import CertificateRelease

pytestmark = pytest.mark.django_db


def hours_page(http: HttpClient) -> str:
    response = http.get(reverse("portal_hours"))
    assert response.status_code == 200
    return response.content.decode()


def test_she_sees_her_own_hours_across_contracts(world: World):
    supervisee_with_history(world)
    http = log_in_as(member_of(world.contract, 0), world.owner)
    assert reverse("portal_hours") in http.get(reverse("portal_home")).content.decode()
    page = hours_page(http)
    assert "8.9.2026" in page and "29.9.2026" in page and "3.11.2026" in page
    assert "20.10.2026" not in page  # she was absent
    assert "3,75 h (225 min)" in page and "5,00" in page
    assert "Tiimityönohjaus" in page and "Yksilötyönohjaus" in page


def test_another_member_sees_only_hers(world: World):
    supervisee_with_history(world)
    http = log_in_as(member_of(world.contract, 1), world.owner)
    page = hours_page(http)
    assert "8.9.2026" in page and "20.10.2026" in page
    assert "3.11.2026" not in page  # the first member's individual supervision


def test_the_number_of_queries_does_not_grow_with_her_meetings(world: World):
    member = member_of(world.contract, 0)
    http = log_in_as(member, world.owner)
    hold(make_meeting(world.contract, world.owner, at(2026, 9, 1, 13)), {member: True})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            hours_page(http)
        return len(queries)

    few = count()
    supervisee_with_history(world)
    assert count() == few


def test_the_certificate_only_once_her_supervisor_offers_it(world: World, owner_client: HttpClient):
    person = supervisee_with_history(world)
    http = log_in_as(member_of(world.contract, 0), world.owner)
    other = log_in_as(member_of(world.contract, 1), world.owner)
    url = reverse("portal_certificate")
    assert url not in hours_page(http)
    assert http.get(url).status_code == 404

    ledger_url = reverse("hours_ledger", args=[person.uuid])
    offer = reverse("certificate_in_portal", args=[person.uuid])
    assert owner_client.post(offer, {"release": "1"}).status_code == 302
    assert (
        "Lopeta todistuksen tarjoaminen portaalissa"
        in owner_client.get(ledger_url).content.decode()
    )
    assert url in hours_page(http)
    response = http.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Todistus työnohjauksesta" in text and person.name in text
    assert "3,75 h (225 min)" in text
    event = AuditEvent.objects.filter(object_id=str(person.uuid), action="export").latest("at")
    assert event.actor_role == "supervisee"
    assert other.get(url).status_code == 404  # only hers was offered

    owner_client.post(offer, {"release": "0"})
    assert http.get(url).status_code == 404
    assert url not in hours_page(http)


def test_only_her_supervisors_offer_it(world: World, colleague_client: HttpClient):
    person = supervisee_with_history(world)
    offer = reverse("certificate_in_portal", args=[person.uuid])
    assert colleague_client.post(offer, {"release": "1"}).status_code == 404
    assert not CertificateRelease.objects.exists()
