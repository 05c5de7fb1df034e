"""ASGI entry point: pages over HTTP and live exercises over WebSocket in one process."""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tila.settings")
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from tila.routing import websocket_urlpatterns  # noqa: E402


def build_application(http: Any = django_application) -> ProtocolTypeRouter:
    """Pages over HTTP; WebSockets only from our own hosts (Origin), with the user's session."""
    return ProtocolTypeRouter(
        {
            "http": http,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )


application = build_application()
