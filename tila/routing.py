"""WebSocket routes. Live exercises add theirs here."""

from typing import Any

websocket_urlpatterns: list[Any] = []
