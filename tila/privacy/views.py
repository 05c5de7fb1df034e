from uuid import UUID

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tila.clients.models import Contact
from tila.practices.access import PracticeRequest, owner_required
from tila.privacy import actions
from tila.privacy.access import Subject, access_subject
from tila.privacy.forms import ConfirmErasureForm
from tila.privacy.retention import retention_plan

# Export and erasure are the owner's: she is the controller's voice, and only she sees
# every contract of the practice (a supervisor in a cooperative sees her own contracts only).


def _context(subject: Subject) -> dict[str, object]:
    erase, keep = actions.erasure_plan(subject)
    return {
        "subject": subject,
        "is_contact": isinstance(subject, Contact),
        "erase": erase,
        "keep": keep,
        "erased": actions.erased_at(subject),
    }


@owner_required
def subject(request: PracticeRequest, subject_uuid: UUID) -> HttpResponse:
    found = access_subject(request.membership, subject_uuid)
    context = {**_context(found), "reauthenticated": did_recently_reauthenticate(request)}
    return render(request, "privacy/subject.html", context)


@owner_required
def export_subject(request: PracticeRequest, subject_uuid: UUID) -> HttpResponse:
    found = access_subject(request.membership, subject_uuid)
    return _download(request, found)


@reauthentication_required
def _download(request: PracticeRequest, found: Subject) -> HttpResponse:
    filename, content = actions.export_subject(subject=found, actor=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@owner_required
@require_http_methods(["GET", "POST"])
def erase_subject(request: PracticeRequest, subject_uuid: UUID) -> HttpResponse:
    found = access_subject(request.membership, subject_uuid)
    if actions.erased_at(found) is not None:
        return redirect("privacy_subject", found.uuid)
    return _erase(request, found)


@reauthentication_required(allow_get=True)
def _erase(request: PracticeRequest, found: Subject) -> HttpResponse:
    form = ConfirmErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pseudonym = actions.erase_subject(subject=found, actor=request.user)
        messages.success(
            request,
            _("The person's data was erased. From now on they appear as “%(pseudonym)s”.")
            % {"pseudonym": pseudonym},
        )
        return redirect("privacy_subject", found.uuid)
    return render(request, "privacy/erase.html", {**_context(found), "form": form})


@owner_required
def retention(request: PracticeRequest) -> HttpResponse:

    plan = retention_plan(request.membership.practice)
    return render(
        request,
        "privacy/retention.html",
        {"plan": plan, "months": settings.TILA_RETENTION_MONTHS},
    )
