"""The practice's questionnaires: Tila's measures to copy, and the supervisor's own to build."""

from uuid import UUID

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.evaluations import actions
from tila.evaluations.access import access_questionnaire, require_supervisor
from tila.evaluations.builder import (
    ItemFormSet,
    QuestionnaireForm,
    initial_rows,
    measure_from,
    rows_with_another,
)
from tila.evaluations.forms import MEASURE_LABELS, AnswerForm
from tila.evaluations.measures import MEASURES
from tila.evaluations.models import Questionnaire, _in_language
from tila.practices.access import PracticeRequest, member_required
from tila.practices.models import Role


@member_required
def questionnaires(request: PracticeRequest) -> HttpResponse:
    require_supervisor(request.membership)
    measures = [
        (key, _in_language(data["title_fi"], data["title_en"]), MEASURE_LABELS[key])
        for key, data in MEASURES.items()
    ]
    own = [
        (questionnaire, actions.has_answers(questionnaire))
        for questionnaire in actions.own_questionnaires(request.membership.practice)
    ]
    return render(request, "evaluations/questionnaires.html", {"measures": measures, "own": own})


@member_required
@require_POST
def copy_measure(request: PracticeRequest, measure: str) -> HttpResponse:
    if measure not in MEASURES or request.membership.role == Role.ASSISTANT:
        raise Http404
    copied = actions.copy_measure(request.membership.practice, measure, actor=request.user)
    messages.success(request, _("The copy is yours to adapt."))
    return redirect("edit_questionnaire", copied.uuid)


@member_required
@require_http_methods(["GET", "POST"])
def new_questionnaire(request: PracticeRequest) -> HttpResponse:
    require_supervisor(request.membership)
    return _builder(request, None)


@member_required
@require_http_methods(["GET", "POST"])
def edit_questionnaire(request: PracticeRequest, questionnaire_uuid: UUID) -> HttpResponse:
    questionnaire = access_questionnaire(request.membership, questionnaire_uuid)
    return _builder(request, actions.latest_version(questionnaire))


@member_required
def preview_questionnaire(request: PracticeRequest, questionnaire_uuid: UUID) -> HttpResponse:
    questionnaire = access_questionnaire(request.membership, questionnaire_uuid)
    form = AnswerForm(questionnaire)
    for field in form.fields.values():
        field.disabled = True
    return render(
        request,
        "evaluations/questionnaire_preview.html",
        {"questionnaire": questionnaire, "form": form, "preview": True},
    )


def _versions(questionnaire: Questionnaire | None) -> list[tuple[Questionnaire, int]]:
    """The questionnaire's versions, each with the number of rounds that asked it."""
    if questionnaire is None:
        return []
    return [
        (version, version.rounds.count())
        for version in Questionnaire.objects.filter(
            practice=questionnaire.practice, family=questionnaire.family
        ).order_by("version")
    ]


def _builder(request: PracticeRequest, questionnaire: Questionnaire | None) -> HttpResponse:
    initial = actions.questionnaire_data(questionnaire) if questionnaire else None
    form = QuestionnaireForm(request.POST or None, initial=initial)
    rows = initial_rows(questionnaire) if questionnaire else []
    formset = ItemFormSet(request.POST or None, initial=rows, prefix="items")
    if request.method == "POST" and "add" in request.POST:
        # Another row, keeping what was typed; nothing is checked nor saved yet.
        formset = ItemFormSet(initial=rows_with_another(formset), prefix="items")
        form = QuestionnaireForm(initial=request.POST.dict())
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = actions.save_questionnaire(
                request.membership.practice,
                measure_from(form, formset),
                actor=request.user,
                questionnaire=questionnaire,
            )
        except IntegrityError:
            messages.error(request, _("Someone answered meanwhile. Please save again."))
        else:
            messages.success(request, _("The questionnaire was saved."))
            return redirect("edit_questionnaire", saved.uuid)
    context = {
        "questionnaire": questionnaire,
        "answered": questionnaire is not None and actions.has_answers(questionnaire),
        "versions": _versions(questionnaire),
        "form": form,
        "formset": formset,
    }
    return render(request, "evaluations/questionnaire_form.html", context)
