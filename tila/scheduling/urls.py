from django.urls import path

from tila.scheduling import views

urlpatterns = [
    path("contracts/<uuid:contract_uuid>/polls/", views.contract_polls, name="contract_polls"),
    path(
        "contracts/<uuid:contract_uuid>/polls/new/",
        views.new_schedule_poll,
        name="new_schedule_poll",
    ),
    path("polls/<uuid:poll_uuid>/", views.schedule_poll, name="schedule_poll"),
    path("polls/<uuid:poll_uuid>/decide/", views.decide_schedule_poll, name="decide_schedule_poll"),
    path("polls/<uuid:poll_uuid>/close/", views.close_schedule_poll, name="close_schedule_poll"),
    path("polls/<uuid:poll_uuid>/resend/", views.resend_poll_link, name="resend_poll_link"),
    path(
        "polls/<uuid:poll_uuid>/ask-new/", views.ask_new_poll_members, name="ask_new_poll_members"
    ),
    path("portal/polls/", views.portal_polls, name="portal_polls"),
    path("portal/polls/<uuid:poll_uuid>/", views.portal_schedule_poll, name="portal_schedule_poll"),
    path("poll/<str:token>/", views.answer_schedule_poll, name="answer_schedule_poll"),
]
