"""Print the current authenticator code of a demo member, for trying Tila without a phone.

Safe by construction: it only ever prints codes made from the *published* demo key
(``seed.DEMO_TOTP_SECRET``), for members of the demo practices whose authenticator still uses
that key, and only on a development or local installation (``TILA_DEBUG`` on, or a site that
is not served over HTTPS). Anyone who has read the README could compute these codes anyway;
the command refuses everything else so that it can never become a way around a real user's
second step."""

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tila.demo import seed
from tila.practices.models import Membership


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo member (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="a demo member, e.g. marja@tila.example")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or not settings.SECURE):
            raise CommandError("Refused: this is a production site (HTTPS, TILA_DEBUG off).")
        email = options["email"].strip().lower()
        demo_member = Membership.objects.filter(
            user__email=email, practice__slug__in=seed.DEMO_PRACTICE_SLUGS
        ).exists()
        if not demo_member:
            raise CommandError(f"Refused: {email} is not a member of a demo practice.")
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None or decrypt(authenticator.data["secret"]) != seed.DEMO_TOTP_SECRET:
            raise CommandError(f"Refused: {email} no longer uses the published demo key.")
        period = mfa_settings.TOTP_PERIOD
        now = int(time.time())
        code = format_hotp_value(hotp_value(seed.DEMO_TOTP_SECRET, now // period))
        self.stdout.write(code)
        self.stderr.write(f"valid for {period - now % period} more seconds")
