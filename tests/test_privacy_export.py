"""The owner exports everything Tila holds about one person, as a zip of JSON and HTML."""

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from tests.privacy_helpers import (
    EMAIL,
    GROUP_NOTE,
    INDIVIDUAL_NOTE,
    JOURNAL,
    NAME,
    OTHER_TOPIC,
    STATEMENT,
    SUMMARY,
    TOPIC,
    build_scene,
    reauthenticate,
)
from tila.audit.models import Action, AuditEvent
from tila.notes.models import Note
from tila.orderers.actions import invite_contact

pytestmark = pytest.mark.django_db


def download(http, subject_uuid) -> tuple[dict[str, Any], str]:
    response = http.get(reverse("export_subject", args=[subject_uuid]))
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["tiedot.html", "tiedot.json"]
        data = json.loads(archive.read("tiedot.json"))
        page = archive.read("tiedot.html").decode()
    return data, page


def section(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    [found] = [part for part in data["sections"] if part["key"] == key]
    return found["records"]


def test_owner_exports_a_group_member_with_everything_that_is_hers(world, owner_client):
    scene = build_scene(world)
    reauthenticate(owner_client)
    data, page = download(owner_client, scene.person.uuid)

    assert data["schema"] == "tila.person-export/1"
    assert data["subject"] == {"kind": "supervisee", "id": str(scene.person.uuid)}
    assert data["controller"]["name"] == world.practice.name
    [details] = section(data, "person")
    assert details["name"] == NAME and details["email"] == EMAIL
    assert {row["client"] for row in section(data, "memberships")} == {
        world.client.name,
        scene.individual_client.name,
    }
    titles = {row["title"] for row in section(data, "contracts")}
    assert titles == {world.contract.title, scene.individual_contract.title}
    [acceptance] = section(data, "acceptances")
    assert acceptance["version"] == 1
    meetings = {row["start"][:10]: row for row in section(data, "meetings")}
    assert meetings["2026-12-01"]["present"] is True
    [topic] = section(data, "topics")
    assert topic["text"] == TOPIC and topic["shared_with_group"] is True
    assert [row["text"] for row in section(data, "individual_notes")] == [INDIVIDUAL_NOTE]
    assert [row["text"] for row in section(data, "shared_summaries")] == [SUMMARY]
    assert [row["text"] for row in section(data, "statements")] == [STATEMENT]
    [login] = section(data, "portal_account")
    assert login["email"] == EMAIL
    trail = section(data, "audit_trail")
    assert {row["action"] for row in trail} >= {"Luonti"}  # her topic, in Finnish

    # Her journal is private also towards the practice: its dates, not its text.
    assert section(data, "journal") == []

    # The group's private notes and the others' data are not hers.
    text = json.dumps(data, ensure_ascii=False)
    assert JOURNAL not in text and JOURNAL not in page
    assert GROUP_NOTE not in text
    assert OTHER_TOPIC not in text
    for other in scene.others:
        assert other.person.name not in text
        assert other.person.email not in text

    # The readable page is Finnish and has the same content.
    assert '<html lang="fi">' in page
    assert f"Tiedot henkilöstä {NAME}" in page
    assert TOPIC in page and INDIVIDUAL_NOTE in page and SUMMARY in page
    assert f"<li>{world.owner.name}</li>" in page  # a list reads as a list
    assert GROUP_NOTE not in page


def test_export_is_audited_and_notes_are_read_through_the_audited_read(world, owner_client):
    scene = build_scene(world)
    reauthenticate(owner_client)
    before = AuditEvent.objects.count()
    download(owner_client, scene.person.uuid)
    events = AuditEvent.objects.order_by("sequence")[before:]
    export = [event for event in events if event.action == Action.EXPORT]
    assert len(export) == 1
    assert export[0].object_type == "clients.Person"
    assert export[0].object_id == str(scene.person.uuid)
    assert export[0].actor == world.owner
    note_reads = {
        event.object_id
        for event in events
        if event.object_type == "notes.Note" and event.action == Action.READ
    }
    assert note_reads == {str(scene.individual_note.uuid), str(scene.summary.uuid)}
    assert str(scene.group_note.uuid) not in note_reads
    # The log holds no content.
    for event in events:
        assert TOPIC not in json.dumps(event.detail, ensure_ascii=False)


def test_export_asks_for_the_password_again(world, owner_client):
    scene = build_scene(world)
    response = owner_client.get(reverse("export_subject", args=[scene.person.uuid]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    page = owner_client.get(reverse("privacy_subject", args=[scene.person.uuid]))
    assert "Vahvista salasanalla" in page.content.decode()
    reauthenticate(owner_client)
    page = owner_client.get(reverse("privacy_subject", args=[scene.person.uuid]))
    assert reverse("export_subject", args=[scene.person.uuid]) in page.content.decode()


def test_orderer_contact_export_has_her_details_contracts_and_login(world, owner_client):
    invite_contact(contact=world.contact, actor=world.owner)
    reauthenticate(owner_client)
    data, _page = download(owner_client, world.contact.uuid)
    assert data["subject"]["kind"] == "orderer_contact"
    [details] = section(data, "contact")
    assert details["email"] == world.contact.email
    assert details["organisation"] == world.organisation.name
    assert [row["title"] for row in section(data, "contracts")] == [world.contract.title]
    [login] = section(data, "orderer_account")
    assert login["email"] == world.contact.email
    assert Note.objects.count() == 0


def test_assistant_and_fellow_supervisor_cannot_export(world, assistant_client, colleague_client):
    scene = build_scene(world)
    url = reverse("export_subject", args=[scene.person.uuid])
    assert assistant_client.get(url).status_code == 403
    assert colleague_client.get(url).status_code == 403
