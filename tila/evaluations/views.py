from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.contracts.models import Contract
from tila.evaluations import actions
from tila.evaluations.access import (
    access_contract_for_evaluations,
    access_portal_round,
    access_questionnaire,
    access_round,
    portal_rounds,
)
from tila.evaluations.forms import OWN_PREFIX, AnswerForm, OpenRoundForm, ScheduleForm
from tila.evaluations.links import read_link_token
from tila.evaluations.models import AnswerLink, Questionnaire, Respondent
from tila.evaluations.report import report_pdf
from tila.evaluations.results import (
    answer_count,
    chart_description,
    goal_trends,
    results_csv,
    round_results,
)
from tila.evaluations.scheduling import save_schedule, schedule_of
from tila.evaluations.trends import baseline_change, person_results, session_trend
from tila.portal.access import SuperviseeRequest, supervisee_required
from tila.practices.access import PracticeRequest, member_required


@member_required
@require_http_methods(["GET", "POST"])
def contract_evaluations(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_for_evaluations(request.membership, contract_uuid)
    form = OpenRoundForm(request.POST or None, own=_own(request))
    if request.method == "POST" and form.is_valid():
        questionnaire = _chosen(request, contract, form.cleaned_data["measure"])
        try:
            if questionnaire is None:
                raise actions.EvaluationError(_("The contract has no goals to ask about."))
            evaluation = actions.open_round(
                contract=contract,
                questionnaire=questionnaire,
                anonymous=form.cleaned_data["anonymous"],
                k=form.cleaned_data["k"],
                actor=request.user,
            )
        except actions.EvaluationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The evaluation is open for the supervisees to answer."))
            return redirect("evaluation_round", evaluation.uuid)
    return _evaluations_page(request, contract, form, ScheduleForm(instance=schedule_of(contract)))


def _own(request: PracticeRequest) -> list[Questionnaire]:
    return actions.own_questionnaires(request.membership.practice)


def _chosen(request: PracticeRequest, contract: Contract, value: str) -> Questionnaire | None:
    """The questionnaire chosen in ``OpenRoundForm``: a measure, or one of the practice's own."""
    if value.startswith(OWN_PREFIX):
        return access_questionnaire(request.membership, UUID(value.removeprefix(OWN_PREFIX)))
    return actions.questionnaire_for(contract, value)


def _evaluations_page(
    request: PracticeRequest, contract: Contract, form: OpenRoundForm, schedule_form: ScheduleForm
) -> HttpResponse:
    rounds = [
        (evaluation, answer_count(evaluation))
        for evaluation in contract.evaluation_rounds.select_related("questionnaire", "meeting")
    ]
    return render(
        request,
        "evaluations/contract_evaluations.html",
        {
            "contract": contract,
            "rounds": rounds,
            "form": form,
            "schedule_form": schedule_form,
            "trends": goal_trends(contract),
            "session_trend": session_trend(contract),
            "change": baseline_change(contract),
        },
    )


@member_required
@require_POST
def contract_evaluation_schedule(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_for_evaluations(request.membership, contract_uuid)
    form = ScheduleForm(request.POST, instance=schedule_of(contract))
    if not form.is_valid():
        return _evaluations_page(request, contract, OpenRoundForm(own=_own(request)), form)
    opened = save_schedule(form.instance, actor=request.user)
    messages.success(
        request,
        _("The evaluation points were saved. Evaluations opened now: %(count)s.")
        % {"count": len(opened)},
    )
    return redirect("contract_evaluations", contract.uuid)


@member_required
def evaluation_round(request: PracticeRequest, round_uuid: UUID) -> HttpResponse:
    evaluation = access_round(request.membership, round_uuid)
    results = round_results(evaluation, actor=request.user)
    items = [(result, chart_description(result)) for result in results.items]
    return render(
        request,
        "evaluations/round.html",
        {
            "evaluation": evaluation,
            "results": results,
            "items": items,
            "respondents": Respondent.objects.filter(round=evaluation).count(),
            "people": person_results(evaluation, actor=request.user),
        },
    )


@member_required
def evaluation_csv(request: PracticeRequest, round_uuid: UUID) -> HttpResponse:
    evaluation = access_round(request.membership, round_uuid)
    content = results_csv(evaluation, actor=request.user)
    if content is None:
        messages.error(
            request,
            _("The results can be exported once at least %(k)s have answered.")
            % {"k": evaluation.k},
        )
        return redirect("evaluation_round", evaluation.uuid)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="arviointi-{evaluation.uuid}.csv"'
    return response


@member_required
def evaluation_report(request: PracticeRequest, round_uuid: UUID) -> HttpResponse:
    evaluation = access_round(request.membership, round_uuid)
    content = report_pdf(evaluation, actor=request.user)
    if content is None:
        messages.error(
            request,
            _("The report can be made once at least %(k)s have answered.") % {"k": evaluation.k},
        )
        return redirect("evaluation_round", evaluation.uuid)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arviointi-{evaluation.uuid}.pdf"'
    return response


@member_required
@require_POST
def close_evaluation_round(request: PracticeRequest, round_uuid: UUID) -> HttpResponse:
    evaluation = access_round(request.membership, round_uuid)
    actions.close_round(evaluation=evaluation, actor=request.user)
    messages.success(request, _("The evaluation was closed. No more answers are taken."))
    return redirect("evaluation_round", evaluation.uuid)


@supervisee_required
def portal_evaluations(request: SuperviseeRequest) -> HttpResponse:
    person = request.supervisee
    rounds = portal_rounds(person)
    answered = set(
        Respondent.objects.filter(round__in=rounds, person=person).values_list(
            "round_id", flat=True
        )
    )
    return render(
        request,
        "evaluations/portal_evaluations.html",
        {"rounds": [(evaluation, evaluation.pk in answered) for evaluation in rounds]},
    )


@login_required
@supervisee_required
@require_http_methods(["GET", "POST"])
def portal_evaluation(request: SuperviseeRequest, round_uuid: UUID) -> HttpResponse:
    person = request.supervisee
    evaluation = access_portal_round(person, round_uuid)
    answered = actions.has_answered(evaluation, person)
    form = AnswerForm(evaluation, request.POST or None)
    if request.method == "POST":
        if answered:
            messages.error(
                request,
                _("You have already answered this evaluation. An answer can be given only once."),
            )
        elif form.is_valid():
            try:
                actions.submit_answers(
                    evaluation=evaluation, person=person, actor=request.user, values=form.values()
                )
            except actions.EvaluationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Thank you. Your answer was saved."))
            return redirect("portal_evaluation", evaluation.uuid)
    return render(
        request,
        "evaluations/portal_evaluation.html",
        {"evaluation": evaluation, "form": form, "answered": answered},
    )


def _submit_by_link(request: HttpRequest, link: AnswerLink, form: AnswerForm) -> None:
    try:
        actions.submit_answers(
            evaluation=link.round, person=link.person, actor=None, values=form.values()
        )
    except actions.EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. Your answer was saved."))


@require_http_methods(["GET", "POST"])
def evaluation_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Answering through one's own emailed link, without logging in."""
    link = read_link_token(token)
    answered = actions.has_answered(link.round, link.person)
    form = AnswerForm(link.round, request.POST or None)
    refused = request.method == "POST" and answered
    if refused:
        messages.error(
            request,
            _("You have already answered this evaluation. An answer can be given only once."),
        )
    elif request.method == "POST" and form.is_valid():
        _submit_by_link(request, link, form)
        return redirect("evaluation_by_link", token)
    response = render(
        request,
        "evaluations/link_evaluation.html",
        {"evaluation": link.round, "form": form, "answered": answered},
        status=409 if refused else 200,
    )
    response["Cache-Control"] = "no-store"  # the page is reached by a personal link
    return response
