"""Every refused attempt to reach an object goes to the audit log, whatever view refused it."""

from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from tila.audit.actions import record_denied


class DeniedAccessMiddleware:
    """Records a 404 or 403 raised by a view for an object named in the URL.

    Access helpers answer 404 for what a user may not see; this writes each such answer,
    with the URL's name and the object's UUID, to the log of the requester's practice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, Http404 | PermissionDenied):
            return
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return
        object_id = next(
            (value for value in match.kwargs.values() if isinstance(value, UUID)), None
        )
        record_denied(request, f"url:{match.url_name}", object_id)
