from django.urls import path

from tila.statements import views

urlpatterns = [
    path(
        "contracts/<uuid:contract_uuid>/statements/",
        views.contract_statements,
        name="contract_statements",
    ),
    path("statements/<uuid:statement_uuid>/", views.statement_preview, name="statement_preview"),
    path("statements/<uuid:statement_uuid>/edit/", views.edit_statement, name="edit_statement"),
    path(
        "statements/<uuid:statement_uuid>/release/",
        views.release_statement,
        name="release_statement",
    ),
]
