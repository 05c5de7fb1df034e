"""Pages for sharing a round's summary with the orderer, and for a supervisee's own answers."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tila.evaluations.access import access_round
from tila.evaluations.own import anonymous_answered, own_answers
from tila.evaluations.sharing import (
    SharingError,
    fingerprint,
    orderer_summary,
    share_orderer_summary,
    shared_summaries,
)
from tila.portal.access import SuperviseeRequest, supervisee_required
from tila.practices.access import PracticeRequest, member_required
from tila.statements.summaries import read_summary


@member_required
@require_http_methods(["GET", "POST"])
def evaluation_orderer_summary(request: PracticeRequest, round_uuid: UUID) -> HttpResponse:
    """The preview of what the orderer would be given; POST shares exactly that."""
    evaluation = access_round(request.membership, round_uuid)
    if request.method == "POST":
        previewed = request.POST.get("previewed", "")
        try:
            share_orderer_summary(evaluation=evaluation, previewed=previewed, actor=request.user)
        except SharingError as error:
            messages.error(request, error.message)
            return redirect("evaluation_orderer_summary", evaluation.uuid)
        messages.success(
            request, _("The summary was shared with the orderer. The supervisees see it too.")
        )
        return redirect("evaluation_round", evaluation.uuid)
    summary = orderer_summary(evaluation)
    context = {
        "evaluation": evaluation,
        "summary": read_summary(summary),
        "previewed": fingerprint(summary),
        "shared": shared_summaries(evaluation),
        "has_orderer": evaluation.contract.organisation_id is not None,
    }
    return render(request, "evaluations/orderer_summary.html", context)


@supervisee_required
@require_GET
def portal_own_answers(request: SuperviseeRequest) -> HttpResponse:
    person = request.supervisee
    context = {
        "histories": own_answers(person, actor=request.user),
        "anonymous": anonymous_answered(person),
    }
    return render(request, "evaluations/portal_own_answers.html", context)
