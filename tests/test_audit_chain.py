"""record_event appends rows that form a hash chain; record_denied logs refused attempts."""

import hashlib
import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from tests.audit_helpers import make_events
from tests.factories import World
from tila.accounts.models import User
from tila.audit.actions import record_denied, record_event
from tila.audit.chain import verify_chain
from tila.audit.models import GENESIS, Action, ActorRole, AuditEvent, Outcome
from tila.practices.models import Role

pytestmark = pytest.mark.django_db


def test_the_first_event_links_to_the_genesis_and_each_next_to_the_one_before():
    first, second, third = make_events(3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_the_hash_is_sha256_of_the_rows_canonical_form_as_read_back_from_the_database(
    world: World,
):
    event = record_event(
        actor=world.owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id=uuid.uuid4(),
        action=Action.READ,
        detail={"route": "meeting", "words": 120},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash == hashlib.sha256(stored.canonical()).hexdigest()
    fields = json.loads(stored.canonical())
    assert fields["actor_label"] == "anna@example.test"
    assert fields["practice_id"] == world.practice.pk
    assert fields["detail"] == {"route": "meeting", "words": 120}
    assert fields["prev_hash"] == GENESIS
    assert "actor_id" not in fields


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor_label", "someone@else.test"),
        ("actor_role", "assistant"),
        ("object_id", "another"),
        ("action", "update"),
        ("outcome", "denied"),
        ("detail", {"route": "export"}),
        ("sequence", 2),
        ("prev_hash", "f" * 64),
    ],
)
def test_changing_any_hashed_field_changes_the_hash(world: World, field, value):
    event = record_event(
        actor=world.owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id="x",
        action=Action.READ,
    )
    setattr(event, field, value)
    assert event.compute_hash() != event.hash


def test_the_actor_and_the_role_in_the_practice_are_recorded(world: World):
    event = record_event(
        actor=world.assistant,
        practice=world.practice,
        object_type="clients.Person",
        object_id=world.client.uuid,
        action=Action.EXPORT,
    )
    assert event.actor == world.assistant
    assert event.actor_label == "assi@example.test"
    assert event.actor_role == Role.ASSISTANT
    assert event.outcome == Outcome.OK
    assert event.object_id == str(world.client.uuid)


def test_a_user_from_outside_the_practice_and_the_system_get_their_own_roles(world: World):
    outsider = record_event(
        actor=world.other_owner,
        practice=world.practice,
        object_type="notes.Note",
        object_id="x",
        action=Action.READ,
    )
    system = record_event(
        actor=None, practice=None, object_type="", object_id="", action=Action.ROTATE_KEY
    )
    assert outsider.actor_role == ActorRole.USER
    assert (system.actor_role, system.actor_label) == (ActorRole.SYSTEM, "")


def test_an_unknown_action_or_outcome_is_refused_and_nothing_is_written():
    with pytest.raises(ValueError, match="action"):
        record_event(actor=None, practice=None, object_type="", object_id="", action="peek")
    with pytest.raises(ValueError, match="outcome"):
        record_event(
            actor=None, practice=None, object_type="", object_id="", action="read", outcome="?"
        )
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "detail",
    [{"text": "x" * 600}, {"nested": {"a": 1}}, {"ratio": 0.5}, {"items": [1, 2]}],
)
def test_the_detail_holds_only_a_few_short_scalars(detail):
    with pytest.raises(ValueError, match="detail"):
        record_event(
            actor=None,
            practice=None,
            object_type="",
            object_id="",
            action=Action.READ,
            detail=detail,
        )
    assert not AuditEvent.objects.exists()


def test_a_denied_attempt_by_a_member_goes_to_her_practices_log(world: World):
    request = RequestFactory().get(f"/notes/{world.other_meeting.uuid}/")
    request.user = world.colleague
    request.session = {}  # type: ignore[assignment]
    event = record_denied(request, "meetings.Meeting", world.other_meeting.uuid)
    assert event.action == Action.DENIED
    assert event.outcome == Outcome.DENIED
    assert event.actor == world.colleague
    assert event.actor_role == Role.SUPERVISOR
    assert event.practice == world.practice
    assert event.object_type == "meetings.Meeting"
    assert event.object_id == str(world.other_meeting.uuid)
    assert event.detail == {"method": "GET", "path": f"/notes/{world.other_meeting.uuid}/"}


def test_a_denied_attempt_uses_the_membership_a_view_already_set(world: World):
    request = RequestFactory().post("/somewhere/")
    request.user = world.other_owner
    request.membership = world.other_owner.memberships.get()  # type: ignore[attr-defined]
    event = record_denied(request, "notes.Note", "abc")
    assert (event.practice, event.actor_role) == (world.other_practice, Role.OWNER)
    assert event.detail["method"] == "POST"


def test_a_denied_attempt_by_an_anonymous_visitor_has_no_actor_and_no_practice():
    request = RequestFactory().get("/notes/x/")
    request.user = AnonymousUser()
    event = record_denied(request, "notes.Note")
    assert event.actor is None
    assert event.practice is None
    assert event.actor_role == ActorRole.ANONYMOUS
    assert event.object_id == ""


def test_erasing_a_user_keeps_her_events_and_the_chain(world: World):
    make_events(2)
    event = record_event(
        actor=world.assistant,
        practice=world.practice,
        object_type="notes.Note",
        object_id="x",
        action=Action.READ,
    )
    make_events(2)
    User.objects.filter(pk=world.assistant.pk).delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "assi@example.test"
    report = verify_chain()
    assert (report.count, report.broken) == (5, None)
