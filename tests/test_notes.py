import pytest
from django.urls import reverse

from tila.audit.models import AuditEvent
from tila.notes import actions
from tila.notes.models import Note, NoteKind, NoteRevision
from tila.practices.models import Form

pytestmark = pytest.mark.django_db


def new_note(world, kind: str = NoteKind.PRIVATE, outline: str = "meeting") -> Note:
    return actions.create_note(
        contract=world.contract,
        meeting=world.meeting,
        kind=kind,
        outline=outline,
        actor=world.owner,
    )


def reads_of(note: Note) -> int:
    return AuditEvent.objects.filter(
        object_type="notes.Note", object_id=str(note.uuid), action="read"
    ).count()


def test_supervisor_writes_a_private_note_that_is_stored_encrypted(world, owner_client):
    url = reverse("new_meeting_note", args=[world.meeting.uuid])
    response = owner_client.post(url, {"kind": "private", "outline": "meeting"})
    note = Note.objects.get(meeting=world.meeting, kind=NoteKind.PRIVATE)
    assert response["Location"] == reverse("note", args=[note.uuid])
    page = owner_client.get(response["Location"]).content.decode()
    assert "Avauskierros:" in page  # the outline, in Finnish
    owner_client.post(
        reverse("note", args=[note.uuid]), {"text": "Tiimi väsynyt, sovittiin tauot."}
    )
    note.refresh_from_db()
    assert "väsynyt" not in note.body
    assert note.body.startswith("v1.")
    assert actions.read_note(note, actor=world.owner) == "Tiimi väsynyt, sovittiin tauot."


def test_every_read_of_a_note_is_one_audit_row(world, owner_client):
    note = new_note(world)
    assert reads_of(note) == 0
    owner_client.get(reverse("note", args=[note.uuid]))
    assert reads_of(note) == 1
    owner_client.get(reverse("note", args=[note.uuid]))
    assert reads_of(note) == 2
    # Lists of notes show no text and read nothing.
    owner_client.get(reverse("meeting_notes", args=[world.meeting.uuid]))
    owner_client.get(reverse("contract_notes", args=[world.contract.uuid]))
    assert reads_of(note) == 2


@pytest.mark.parametrize("persona", ["assistant_client", "colleague_client", "other_client"])
def test_only_the_contracts_supervisor_opens_a_note(world, persona, request):
    note = new_note(world)
    http = request.getfixturevalue(persona)
    assert http.get(reverse("note", args=[note.uuid])).status_code == 404
    assert http.post(reverse("note", args=[note.uuid]), {"text": "x"}).status_code == 404
    assert reads_of(note) == 0
    denied = AuditEvent.objects.filter(object_id=str(note.uuid), outcome="denied")
    assert denied.count() == 2


def test_an_identity_code_is_never_saved(world, owner_client):
    note = new_note(world)
    before = Note.objects.get(pk=note.pk).body
    response = owner_client.post(
        reverse("note", args=[note.uuid]), {"text": "Asiakas 131052-308T kertoi"}
    )
    assert response.status_code == 200
    assert "131052-308T" in response.content.decode()  # named in the warning, not stored
    assert Note.objects.get(pk=note.pk).body == before


def test_full_names_in_therapy_supervision_need_a_confirmation(world, owner_client):
    world.contract.form = Form.THERAPY
    world.contract.save()
    note = new_note(world)
    text = "Keskustelimme siitä, miten Maija Meikäläinen reagoi."
    url = reverse("note", args=[note.uuid])
    response = owner_client.post(url, {"text": text})
    assert "Maija Meikäläinen" in response.content.decode()
    assert actions.read_note(Note.objects.get(pk=note.pk), actor=world.owner) != text
    owner_client.post(url, {"text": text, "names_are_pseudonyms": "on"})
    assert actions.read_note(Note.objects.get(pk=note.pk), actor=world.owner) == text


def test_autosave_answers_with_a_status_fragment(world, owner_client):
    note = new_note(world)
    response = owner_client.post(
        reverse("note", args=[note.uuid]), {"text": "Luonnos"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="note-status"' in html
    assert "<html" not in html
    assert actions.read_note(Note.objects.get(pk=note.pk), actor=world.owner) == "Luonnos"


def test_a_locked_note_keeps_its_original_when_changed(world, owner_client):
    note = new_note(world, outline="blank")
    actions.save_note(note=note, text="Alkuperäinen", actor=world.owner)
    owner_client.post(reverse("lock_note", args=[note.uuid]))
    url = reverse("note", args=[note.uuid])
    response = owner_client.post(url, {"text": "Korjattu"})
    assert response.status_code == 200  # a reason is required
    assert actions.read_note(Note.objects.get(pk=note.pk), actor=world.owner) == "Alkuperäinen"
    owner_client.post(url, {"text": "Korjattu", "reason": "Kirjoitusvirhe"})
    note.refresh_from_db()
    assert actions.read_note(note, actor=world.owner) == "Korjattu"
    [(_revision, old_text, reason)] = actions.read_revisions(note, actor=world.owner)
    assert (old_text, reason) == ("Alkuperäinen", "Kirjoitusvirhe")
    assert "Kirjoitusvirhe" not in NoteRevision.objects.get().reason
    page = owner_client.get(url).content.decode()
    assert "Alkuperäinen" in page and "Kirjoitusvirhe" in page


def test_a_meeting_has_one_private_note_and_one_summary(world):
    first = new_note(world)
    assert new_note(world) == first
    summary = new_note(world, kind=NoteKind.SUMMARY, outline="summary")
    assert summary != first
    assert Note.objects.filter(meeting=world.meeting).count() == 2


def test_the_meeting_page_links_notes_only_for_its_supervisor(
    world, owner_client, assistant_client
):
    url = reverse("meeting", args=[world.meeting.uuid])
    notes_url = reverse("meeting_notes", args=[world.meeting.uuid])
    assert notes_url in owner_client.get(url).content.decode()
    assert notes_url not in assistant_client.get(url).content.decode()
