from django.urls import path

from tila.meetings import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path(
        "contracts/<uuid:contract_uuid>/meetings/plan/",
        views.plan_meetings,
        name="plan_meetings",
    ),
    path("meetings/<uuid:meeting_uuid>/", views.meeting, name="meeting"),
    path("meetings/<uuid:meeting_uuid>/held/", views.mark_meeting_held, name="mark_meeting_held"),
    path("meetings/<uuid:meeting_uuid>/cancel/", views.cancel_meeting, name="cancel_meeting"),
    path("meetings/<uuid:meeting_uuid>/edit/", views.edit_meeting, name="edit_meeting"),
    path("invitation/<str:token>/", views.invitation_cancel, name="invitation_cancel"),
    path("absences/", views.absences, name="absences"),
    path("absences/<uuid:absence_uuid>/delete/", views.delete_absence, name="delete_absence"),
    path("calendar/", views.calendar_subscription, name="calendar_subscription"),
    path("calendar/feed/<str:token>/", views.calendar_feed, name="calendar_feed"),
]
