from django.urls import path

from tila.clients import views

urlpatterns = [
    path("orderers/", views.organisation_list, name="organisation_list"),
    path("orderers/new/", views.new_organisation, name="new_organisation"),
    path("orderers/<uuid:organisation_uuid>/", views.organisation, name="organisation"),
    path(
        "orderers/<uuid:organisation_uuid>/edit/",
        views.edit_organisation,
        name="edit_organisation",
    ),
    path(
        "orderers/<uuid:organisation_uuid>/contacts/new/",
        views.new_contact,
        name="new_contact",
    ),
    path("contacts/<uuid:contact_uuid>/edit/", views.edit_contact, name="edit_contact"),
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.new_client, name="new_client"),
    path("clients/<uuid:client_uuid>/", views.client, name="client"),
    path("clients/<uuid:client_uuid>/edit/", views.edit_client, name="edit_client"),
    path(
        "clients/<uuid:client_uuid>/members/add/",
        views.add_client_member,
        name="add_client_member",
    ),
    path(
        "members/<uuid:member_uuid>/leave/",
        views.end_client_membership,
        name="end_client_membership",
    ),
]
