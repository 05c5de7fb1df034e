"""WebSocket routes. Live exercises add theirs here."""

from typing import Any

from django.urls import path

from tila.live import consumers

websocket_urlpatterns: list[Any] = [
    path("ws/live/<uuid:run_uuid>/", consumers.ParticipantConsumer.as_asgi()),
    path("ws/live/<uuid:run_uuid>/screen/", consumers.ScreenConsumer.as_asgi()),
]
