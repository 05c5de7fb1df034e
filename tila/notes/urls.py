from django.urls import path

from tila.notes import views

urlpatterns = [
    path("meetings/<uuid:meeting_uuid>/notes/", views.meeting_notes, name="meeting_notes"),
    path(
        "meetings/<uuid:meeting_uuid>/notes/new/",
        views.new_meeting_note,
        name="new_meeting_note",
    ),
    path("contracts/<uuid:contract_uuid>/notes/", views.contract_notes, name="contract_notes"),
    path(
        "contracts/<uuid:contract_uuid>/notes/new/",
        views.new_contract_note,
        name="new_contract_note",
    ),
    path("notes/<uuid:note_uuid>/", views.note, name="note"),
    path("notes/<uuid:note_uuid>/lock/", views.lock_note, name="lock_note"),
]
