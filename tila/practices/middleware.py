"""Members of a practice must use a second factor (docs/security.md)."""

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from tila.practices.models import Membership

# What a member without an authenticator may still open besides allauth's MFA pages
# (enrolment, recovery codes): the password re-authentication that enrolment asks for,
# logging out, and the language switch.
ALLOWED_WITHOUT_MFA = frozenset({"account_logout", "account_reauthenticate", "set_language"})


def mfa_missing(user: Any) -> bool:
    """True for a member of a practice who has no active TOTP or WebAuthn authenticator.

    One query on every request of a logged-in user."""
    second_factor = Authenticator.objects.filter(
        user=OuterRef("user"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    return Membership.objects.filter(user=user).filter(~Exists(second_factor)).exists()


class MfaRequiredMiddleware:
    """Every member of a practice (owner, supervisor, assistant) must have an authenticator.

    A member without an active TOTP or WebAuthn authenticator is sent to enrol from every
    other page. Supervisees and orderer contacts (no membership) are not required to. Once
    an authenticator exists, allauth's MFA login stage asks for the code whichever way the
    user logs in (password or emailed code)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        # Read by the enrolment page (mfa/index.html) to explain why.
        request.mfa_required = mfa_missing(request.user)  # type: ignore[attr-defined]
        name = match.url_name or ""
        if not request.mfa_required or name.startswith("mfa_") or name in ALLOWED_WITHOUT_MFA:  # type: ignore[attr-defined]
            return None
        messages.warning(
            request,
            _(
                "Tila asks every member of a practice for a second step at login, because "
                "the practice holds confidential information. Turn on an authenticator app "
                "or a security key to continue."
            ),
        )
        url = reverse("mfa_index")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
