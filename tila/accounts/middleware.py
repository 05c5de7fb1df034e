"""Session and response hardening for logged-in users."""

import time
from collections.abc import Callable
from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

LAST_SEEN = "tila_last_seen"
SESSION_SEEN = "tila_session_seen"
# Writing the session on every request would cost a database write per page; a minute's
# precision is plenty for a 30-minute idle timeout.
TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log a user out after ``TILA_IDLE_MINUTES`` without requests (0 turns this off).

    The absolute lifetime of a session is ``SESSION_COOKIE_AGE`` from login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TILA_IDLE_MINUTES and request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.TILA_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)s minutes without activity.")
                    % {"minutes": settings.TILA_IDLE_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen > TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages for a logged-in user are never stored by browsers or proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class SessionActivityMiddleware:
    """Keep each login's "last seen" time and address for the user's list of sessions.

    allauth's ``UserSessionsMiddleware`` writes a row on every request; once a minute is
    enough for "last seen" and spares a database write per page. allauth itself records the
    session at login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.session.session_key
        # The cache, not the session, remembers the last write: no session save either.
        if (
            request.user.is_authenticated
            and key
            and cache.add(f"{SESSION_SEEN}:{key}", True, timeout=TOUCH_EVERY_SECONDS)
        ):
            UserSession.objects.create_from_request(request)
        return self.get_response(request)


def session_seen_at_login(request: HttpRequest, **kwargs: Any) -> None:
    """allauth records the session at login; the first page after it need not again."""
    if request is not None and request.session.session_key:
        cache.set(f"{SESSION_SEEN}:{request.session.session_key}", True, TOUCH_EVERY_SECONDS)
