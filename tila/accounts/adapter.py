from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by a practice (invitations), never by open sign-up.

    Failed password logins are throttled per address, per account *from one address*, and
    per account from anywhere (``ACCOUNT_RATE_LIMITS`` in settings, docs/security.md): an
    attacker hammering an account from her address is stopped there, while the real user
    on another address can still log in."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed login attempts. Try again in 15 minutes, or log in with a code "
            "sent to your email."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's key is the email alone, which lets anyone lock an account's owner out by
        # failing on purpose; ours is the email and the client's address. The account-wide
        # limit is counted separately below, with a looser rate.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        self._account_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=account
        )
        if not self._account_rl_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        # A successful login does not count as a failure, for either limit.
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()
