from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tila.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tila.accounts.middleware import session_seen_at_login

        user_logged_in.connect(session_seen_at_login, dispatch_uid="tila_session_seen_at_login")
