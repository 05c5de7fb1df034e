"""The supervisee's private journal, in the portal. Every view is behind the portal's doorway
and reaches entries only through ``tila.journal.access``."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.journal import actions
from tila.journal.access import (
    access_meeting_to_share_into,
    access_own_entry,
    meetings_to_share_into,
)
from tila.journal.forms import EntryForm, ShareForm
from tila.journal.models import Prompt
from tila.portal.access import SuperviseeRequest, supervisee_required


@supervisee_required
def journal(request: SuperviseeRequest) -> HttpResponse:
    return render(
        request,
        "journal/journal.html",
        {"entries": actions.read_own_journal(request.supervisee), "prompts": Prompt.choices},
    )


@supervisee_required
@require_http_methods(["GET", "POST"])
def new_journal_entry(request: SuperviseeRequest) -> HttpResponse:
    prompt = request.GET.get("prompt", "")
    initial = {"prompt": prompt if prompt in Prompt.values else Prompt.FREE}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.write_entry(
                person=request.supervisee, actor=request.user, **form.cleaned_data
            )
        except actions.JournalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The entry was saved in your journal. Only you see it."))
            return redirect("journal_entry", entry.uuid)
    return render(request, "journal/new_entry.html", {"form": form, "question": question(form)})


def question(form: EntryForm) -> str:
    """The question the form starts from, for its heading."""
    value = form.data.get("prompt") if form.is_bound else form.initial.get("prompt")
    return str(Prompt(value).label) if value in Prompt.values else ""


@supervisee_required
@require_http_methods(["GET", "POST"])
def journal_entry(request: SuperviseeRequest, entry_uuid: UUID) -> HttpResponse:
    entry = access_own_entry(request.supervisee, entry_uuid)
    form = EntryForm(
        request.POST or None,
        initial={"prompt": entry.prompt, "text": actions.read_own_entry(entry)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_entry(entry=entry, actor=request.user, **form.cleaned_data)
        except actions.JournalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("journal_entry", entry.uuid)
    meetings = list(meetings_to_share_into(request.supervisee))
    context = {
        "entry": entry,
        "form": form,
        "share_form": ShareForm(meetings=meetings, auto_id="share-%s"),
        "can_share": bool(meetings)
        and (entry.shared_meeting is None or actions.can_withdraw(entry)),
        "can_withdraw": actions.can_withdraw(entry),
        "now": timezone.now(),
    }
    return render(request, "journal/entry.html", context)


# login_required first, so that an anonymous visitor is sent to the login and a GET is
# refused (405) before anything is looked up.
@login_required
@require_POST
@supervisee_required
def delete_journal_entry(request: SuperviseeRequest, entry_uuid: UUID) -> HttpResponse:
    entry = access_own_entry(request.supervisee, entry_uuid)
    actions.delete_entry(entry=entry, actor=request.user)
    messages.success(request, _("The entry was deleted."))
    return redirect("journal")


@login_required
@require_POST
@supervisee_required
def share_journal_entry(request: SuperviseeRequest, entry_uuid: UUID) -> HttpResponse:
    entry = access_own_entry(request.supervisee, entry_uuid)
    meetings = list(meetings_to_share_into(request.supervisee))
    form = ShareForm(request.POST, meetings=meetings)
    if not form.is_valid():
        messages.error(request, _("Choose one of your coming meetings."))
        return redirect("journal_entry", entry.uuid)
    meeting = access_meeting_to_share_into(request.supervisee, UUID(form.cleaned_data["meeting"]))
    try:
        actions.share_entry(entry=entry, meeting=meeting, actor=request.user)
    except actions.JournalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The entry was shared with your supervisor for the meeting. "
                "Your group does not see it."
            ),
        )
    return redirect("journal_entry", entry.uuid)


@login_required
@require_POST
@supervisee_required
def withdraw_journal_share(request: SuperviseeRequest, entry_uuid: UUID) -> HttpResponse:
    entry = access_own_entry(request.supervisee, entry_uuid)
    try:
        actions.withdraw_share(entry=entry, actor=request.user)
    except actions.JournalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The share was withdrawn. Only you see the entry again."))
    return redirect("journal_entry", entry.uuid)


@supervisee_required
def export_journal(request: SuperviseeRequest) -> HttpResponse:
    data = actions.export_journal(person=request.supervisee, actor=request.user)
    day = timezone.localdate().isoformat()
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="journal-{day}.zip"'
    return response
