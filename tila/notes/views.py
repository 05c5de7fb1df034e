from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.journal.actions import read_shared_entries
from tila.notes import actions
from tila.notes.access import access_contract_for_notes, access_meeting_for_notes, access_note
from tila.notes.forms import NewNoteForm, NoteForm
from tila.notes.models import Note, NoteKind
from tila.practices.access import PracticeRequest, member_required
from tila.topics.actions import read_meeting_topics


@member_required
def meeting_notes(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = access_meeting_for_notes(request.membership, meeting_uuid)
    notes = {note.kind: note for note in Note.objects.filter(meeting=meeting)}
    return render(
        request,
        "notes/meeting_notes.html",
        {
            "meeting": meeting,
            "private": notes.get(NoteKind.PRIVATE),
            "summary": notes.get(NoteKind.SUMMARY),
            "form": NewNoteForm(),
            "topics": read_meeting_topics(
                meeting=meeting, actor=request.user, role=request.membership.role
            ),
            "journal_entries": read_shared_entries(
                meeting=meeting, actor=request.user, role=request.membership.role
            ),
        },
    )


@member_required
@require_POST
def new_meeting_note(request: PracticeRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = access_meeting_for_notes(request.membership, meeting_uuid)
    form = NewNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of note and an outline."))
        return redirect("meeting_notes", meeting.uuid)
    note = actions.create_note(
        contract=meeting.contract,
        meeting=meeting,
        kind=form.cleaned_data["kind"],
        outline=form.cleaned_data["outline"],
        actor=request.user,
    )
    return redirect("note", note.uuid)


@member_required
def contract_notes(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_for_notes(request.membership, contract_uuid)
    notes = Note.objects.filter(contract=contract).select_related("meeting", "author")
    return render(
        request,
        "notes/contract_notes.html",
        {"contract": contract, "notes": notes, "form": NewNoteForm(initial={"outline": "blank"})},
    )


@member_required
@require_POST
def new_contract_note(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_for_notes(request.membership, contract_uuid)
    form = NewNoteForm(request.POST)
    outline = form.cleaned_data["outline"] if form.is_valid() else "blank"
    note = actions.create_note(
        contract=contract, meeting=None, kind=NoteKind.PRIVATE, outline=outline, actor=request.user
    )
    return redirect("note", note.uuid)


@member_required
@require_http_methods(["GET", "POST"])
def note(request: PracticeRequest, note_uuid: UUID) -> HttpResponse:
    found = access_note(request.membership, note_uuid)
    form = NoteForm(request.POST or None, locked=found.is_locked)
    check = None
    saved = False
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        check = actions.check_text(text, found.contract)
        if not check.blocks and (not check.names or form.cleaned_data["names_are_pseudonyms"]):
            found = actions.save_note(
                note=found,
                text=text,
                actor=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
            saved = True
            if not request.htmx:
                messages.success(request, _("The note was saved."))
                return redirect("note", found.uuid)
    if request.method == "GET":
        form = NoteForm(
            initial={"text": actions.read_note(found, actor=request.user)}, locked=found.is_locked
        )
    context = {"note": found, "form": form, "check": check, "saved": saved}
    if request.htmx:
        return render(request, "notes/note.html#status", context)
    if found.is_locked and request.method == "GET":
        context["revisions"] = actions.read_revisions(found, actor=request.user)
    return render(request, "notes/note.html", context)


@member_required
@require_POST
def lock_note(request: PracticeRequest, note_uuid: UUID) -> HttpResponse:
    found = access_note(request.membership, note_uuid)
    actions.lock_note(note=found, actor=request.user)
    messages.success(request, _("The note was locked. Later changes keep the original."))
    return redirect("note", found.uuid)
