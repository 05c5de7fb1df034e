from django.urls import path

from tila.portal import views

urlpatterns = [
    path("members/<uuid:member_uuid>/invite/", views.invite_supervisee, name="invite_supervisee"),
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/contracts/<uuid:contract_uuid>/", views.portal_contract, name="portal_contract"),
    path("portal/hours/", views.portal_hours, name="portal_hours"),
    path("portal/hours/certificate.pdf", views.portal_certificate, name="portal_certificate"),
    path("portal/calendar.ics", views.portal_calendar, name="portal_calendar"),
    path(
        "portal/calendar/",
        views.portal_calendar_subscription,
        name="portal_calendar_subscription",
    ),
    path("portal/calendar/feed/<str:token>/", views.portal_calendar_feed, name="portal_feed"),
    path(
        "portal/meetings/<uuid:meeting_uuid>/calendar.ics",
        views.portal_meeting_calendar,
        name="portal_meeting_calendar",
    ),
    path(
        "portal/meetings/<uuid:meeting_uuid>/cancel/",
        views.portal_cancel_meeting,
        name="portal_cancel_meeting",
    ),
]
