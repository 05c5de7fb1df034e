"""The owner erases one member of a team of five: her data goes, the group's record stays."""

import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from tests.privacy_helpers import (
    EMAIL,
    GROUP_NOTE,
    INDIVIDUAL_NOTE,
    JOURNAL,
    NAME,
    OTHER_TOPIC,
    PHONE,
    STATEMENT,
    SUMMARY,
    TOPIC,
    Scene,
    build_scene,
    reauthenticate,
)
from tila.accounts.models import User
from tila.audit.chain import verify_chain
from tila.audit.models import Action, AuditEvent
from tila.clients.models import Client, Contact, Person
from tila.contracts.models import Acceptance, Contract, ContractVersion
from tila.journal.models import JournalEntry
from tila.keys.registry import sealed_fields
from tila.keys.sealing import unseal
from tila.meetings.models import attendance_counts
from tila.notes.actions import read_note
from tila.notes.models import Note
from tila.orderers.actions import invite_contact
from tila.portal.models import SuperviseeAccount
from tila.statements.models import Statement
from tila.topics.models import Topic

pytestmark = pytest.mark.django_db

LOGIN_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def rows_containing(text: str) -> list[tuple[str, str]]:
    """(table, column) of every stored value in the whole database that contains ``text``."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None and text.lower() in str(value).lower():
                        hits.append((table, column))
    return hits


def sealed_texts() -> list[str]:
    """Every sealed value in the database, opened."""
    texts = []
    for field in sealed_fields():
        for row in field.model._default_manager.all():
            token = getattr(row, field.field_name)
            practice = getattr(row, "practice", None) or getattr(row, "note").practice  # noqa: B009
            texts.append(unseal(practice, token, context=field.context_fn(row)))
    return texts


def present_count(contract: Contract) -> int:
    meeting = attendance_counts(contract.meetings.all()).get()
    return int(meeting.present_count)  # type: ignore[attr-defined]


def erase(http: HttpClient, subject_uuid: Any) -> Any:
    return http.post(reverse("erase_subject", args=[subject_uuid]), {"confirm": "on"})


def test_preview_lists_what_is_erased_and_what_is_kept(world, owner_client):
    scene = build_scene(world)
    page = owner_client.get(reverse("erase_subject", args=[scene.person.uuid]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 lähetetty aihe" in text
    assert "1 muistiinpano yksilötyönohjauksesta" in text
    assert "Kirjanpitoaineistoa" in text
    assert Person.objects.get(pk=scene.person.pk).name == NAME


def test_erasure_needs_the_confirmation(world, owner_client):
    scene = build_scene(world)
    reauthenticate(owner_client)
    response = owner_client.post(reverse("erase_subject", args=[scene.person.uuid]), {})
    assert response.status_code == 200
    assert "Vahvista poisto rastittamalla ruutu." in response.content.decode()
    assert Person.objects.get(pk=scene.person.pk).name == NAME
    assert Topic.objects.filter(person=scene.person).exists()


def test_erasure_asks_for_the_password_again_and_then_goes_on(world, owner_client):
    scene = build_scene(world)
    response = erase(owner_client, scene.person.uuid)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Person.objects.get(pk=scene.person.pk).name == NAME
    # After the password the stashed request is carried out.
    response = owner_client.post(
        reverse("account_reauthenticate") + "?next=" + response["Location"].split("next=")[1],
        {"password": "correct-horse-battery-staple-42"},
    )
    assert Person.objects.get(pk=scene.person.pk).name.startswith("Poistettu henkilö ")


def test_erasing_a_team_member_removes_her_and_keeps_the_groups_record(world, owner_client):
    scene: Scene = build_scene(world)
    others_before = [(other.person.name, other.person.email) for other in scene.others]
    present_before = present_count(world.contract)
    reauthenticate(owner_client)

    response = erase(owner_client, scene.person.uuid)

    assert response.status_code == 302
    person = Person.objects.get(pk=scene.person.pk)
    assert re.fullmatch(r"Poistettu henkilö [0-9A-F]{4}", person.name)
    assert (person.email, person.phone, person.title) == ("", "", "")
    # Her topic, login, individual notes and statements are gone.
    assert not Topic.objects.filter(person=person).exists()
    assert not SuperviseeAccount.objects.filter(person=person).exists()
    assert not User.objects.filter(email__iexact=EMAIL).exists()
    assert not Note.objects.filter(pk=scene.individual_note.pk).exists()
    assert Client.objects.get(pk=scene.individual_client.pk).name == person.name
    # The group's shared record stays whole.
    for other, (name, email) in zip(scene.others, others_before, strict=True):
        other.person.refresh_from_db()
        assert (other.person.name, other.person.email) == (name, email)
    assert [topic.person for topic in Topic.objects.all()] == [scene.others[0].person]
    assert read_note(Note.objects.get(pk=scene.summary.pk), actor=world.owner) == SUMMARY
    assert read_note(Note.objects.get(pk=scene.group_note.pk), actor=world.owner) == GROUP_NOTE
    assert Statement.objects.filter(contract=world.contract).count() == 1
    meeting = attendance_counts(world.contract.meetings.all()).get()
    assert present_count(world.contract) == present_before == 4
    assert meeting.attendance.count() == 5
    # The contract (a bookkeeping record) stays, with the pseudonym in place of her name.
    assert Acceptance.objects.get(contract=world.contract).accepted_by_name == person.name
    assert Contract.objects.filter(pk=scene.individual_contract.pk).exists()

    # Her name, email and phone are nowhere in the database; the email only in the audit
    # log's label of what her login did (the log cannot change).
    assert rows_containing(NAME) == []
    assert rows_containing(PHONE) == []
    assert set(rows_containing(EMAIL)) == {("audit_auditevent", "actor_label")}
    texts = "\n".join(sealed_texts())
    assert TOPIC not in texts and INDIVIDUAL_NOTE not in texts and JOURNAL not in texts
    assert not JournalEntry.objects.filter(person=person).exists()
    assert OTHER_TOPIC in texts and SUMMARY in texts and GROUP_NOTE in texts
    assert STATEMENT in texts
    for version in ContractVersion.objects.all():
        assert NAME not in str(version.terms)

    # Audited, and the chain is whole.
    event = AuditEvent.objects.get(action=Action.ERASE)
    assert event.object_id == str(scene.person.uuid)
    assert event.detail["topics"] == 1 and event.detail["notes"] == 1
    assert "journal" not in event.detail  # whether she kept one is not the log's to tell
    assert verify_chain().broken is None


def test_erased_supervisee_can_no_longer_log_in(world, owner_client):
    scene = build_scene(world)
    portal = HttpClient()
    portal.force_login(scene.account.user)
    assert portal.get(reverse("portal_home")).status_code == 200
    reauthenticate(owner_client)
    erase(owner_client, scene.person.uuid)

    assert portal.get(reverse("portal_home")).status_code == 302  # her session is gone
    mail.outbox.clear()
    fresh = HttpClient()
    fresh.post(reverse("account_request_login_code"), {"email": EMAIL})
    assert not any(LOGIN_CODE.search(str(message.body)) for message in mail.outbox)


def test_erased_person_page_shows_what_stays_and_no_second_erasure(world, owner_client):
    scene = build_scene(world)
    reauthenticate(owner_client)
    erase(owner_client, scene.person.uuid)
    page = owner_client.get(reverse("privacy_subject", args=[scene.person.uuid]))
    assert "Poistettu henkilö" in page.content.decode()
    again = owner_client.get(reverse("erase_subject", args=[scene.person.uuid]))
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action=Action.ERASE).count() == 1


def test_erasing_an_orderer_contact_keeps_the_contract(world, owner_client):
    account = invite_contact(contact=world.contact, actor=world.owner)
    email = account.user.email
    reauthenticate(owner_client)
    erase(owner_client, world.contact.uuid)
    contact = Contact.objects.get(pk=world.contact.pk)
    assert contact.name.startswith("Poistettu henkilö ")
    assert (contact.email, contact.phone, contact.role) == ("", "", "")
    assert Contract.objects.get(pk=world.contract.pk).orderer_contact == contact
    assert not User.objects.filter(email__iexact=email).exists()
    assert rows_containing("Kaisa Esimies") == [
        # Practice B has a contact of the same name: hers stay.
        ("clients_contact", "name")
    ]


def test_a_user_who_is_also_a_member_of_a_practice_keeps_her_login(world, owner_client):
    scene = build_scene(world)
    user = scene.account.user
    world.practice.memberships.create(user=user, role="assistant")
    reauthenticate(owner_client)
    erase(owner_client, scene.person.uuid)
    assert User.objects.filter(pk=user.pk).exists()
    assert not SuperviseeAccount.objects.filter(user=user).exists()
