from django.urls import path

from tila.evaluations import questionnaire_views, sharing_views, views

urlpatterns = [
    path(
        "contracts/<uuid:contract_uuid>/evaluations/",
        views.contract_evaluations,
        name="contract_evaluations",
    ),
    path(
        "contracts/<uuid:contract_uuid>/evaluations/schedule/",
        views.contract_evaluation_schedule,
        name="contract_evaluation_schedule",
    ),
    path("answer/<str:token>/", views.evaluation_by_link, name="evaluation_by_link"),
    path("evaluations/<uuid:round_uuid>/", views.evaluation_round, name="evaluation_round"),
    path("evaluations/<uuid:round_uuid>/results.csv", views.evaluation_csv, name="evaluation_csv"),
    path(
        "evaluations/<uuid:round_uuid>/report.pdf",
        views.evaluation_report,
        name="evaluation_report",
    ),
    path(
        "evaluations/<uuid:round_uuid>/close/",
        views.close_evaluation_round,
        name="close_evaluation_round",
    ),
    path("evaluations/questionnaires/", questionnaire_views.questionnaires, name="questionnaires"),
    path(
        "evaluations/questionnaires/new/",
        questionnaire_views.new_questionnaire,
        name="new_questionnaire",
    ),
    path(
        "evaluations/questionnaires/copy/<slug:measure>/",
        questionnaire_views.copy_measure,
        name="copy_measure",
    ),
    path(
        "evaluations/questionnaires/<uuid:questionnaire_uuid>/",
        questionnaire_views.edit_questionnaire,
        name="edit_questionnaire",
    ),
    path(
        "evaluations/questionnaires/<uuid:questionnaire_uuid>/preview/",
        questionnaire_views.preview_questionnaire,
        name="preview_questionnaire",
    ),
    path(
        "evaluations/<uuid:round_uuid>/orderer-summary/",
        sharing_views.evaluation_orderer_summary,
        name="evaluation_orderer_summary",
    ),
    path("portal/evaluations/", views.portal_evaluations, name="portal_evaluations"),
    path(
        "portal/evaluations/my-answers/",
        sharing_views.portal_own_answers,
        name="portal_own_answers",
    ),
    path(
        "portal/evaluations/<uuid:round_uuid>/", views.portal_evaluation, name="portal_evaluation"
    ),
]
