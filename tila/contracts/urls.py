from django.urls import path

from tila.contracts import views

urlpatterns = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.new_contract, name="new_contract"),
    path("contracts/<uuid:contract_uuid>/", views.contract, name="contract"),
    path("contracts/<uuid:contract_uuid>/edit/", views.edit_contract, name="edit_contract"),
    path("contracts/<uuid:contract_uuid>/accept/", views.accept_contract, name="accept_contract"),
    path(
        "contracts/<uuid:contract_uuid>/status/",
        views.change_contract_status,
        name="change_contract_status",
    ),
    path("contracts/<uuid:contract_uuid>/print/", views.contract_print, name="contract_print"),
    path(
        "contracts/<uuid:contract_uuid>/versions/<int:number>/",
        views.contract_version,
        name="contract_version",
    ),
    path(
        "orderers/<uuid:organisation_uuid>/agreements/new/",
        views.new_framework_agreement,
        name="new_framework_agreement",
    ),
    path(
        "agreements/<uuid:agreement_uuid>/", views.framework_agreement, name="framework_agreement"
    ),
    path(
        "agreements/<uuid:agreement_uuid>/edit/",
        views.edit_framework_agreement,
        name="edit_framework_agreement",
    ),
]
