import pytest
from django.urls import reverse

from tila.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_refused_object_is_logged_for_the_requesters_practice(world, other_client):
    url = reverse("contract", args=[world.contract.uuid])
    assert other_client.get(url).status_code == 404
    event = AuditEvent.objects.get(outcome="denied")
    assert event.object_id == str(world.contract.uuid)
    assert event.object_type == "url:contract"
    assert event.actor == world.other_owner
    # The log of the requester's own practice: practice A learns nothing of the attempt,
    # and practice B's log does not reveal whose contract it was.
    assert event.practice == world.other_practice


def test_a_forbidden_page_is_logged(world, assistant_client):
    assert assistant_client.get(reverse("edit_practice")).status_code == 403
    assert AuditEvent.objects.filter(outcome="denied", object_type="url:edit_practice").count() == 1


def test_allowed_pages_log_no_denial(world, owner_client):
    owner_client.get(reverse("contract", args=[world.contract.uuid]))
    assert not AuditEvent.objects.filter(outcome="denied").exists()
