from django.urls import path

from tila.topics import views

urlpatterns = [
    path(
        "portal/meetings/<uuid:meeting_uuid>/topics/",
        views.send_topic,
        name="send_topic",
    ),
    path(
        "portal/topics/<uuid:topic_uuid>/withdraw/",
        views.withdraw_topic,
        name="withdraw_topic",
    ),
]
