from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from tila.demo import seed


class Command(BaseCommand):
    help = "Create the demo practice when the database is empty, and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000",
            help="The address Tila is served at, printed for the user.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("fi")
        if seed.is_empty():
            seed.seed()
            self.stdout.write(self.style.SUCCESS("Demo practice created."))
        else:
            self.stdout.write("The database has data; no demo data added.")
        self.stdout.write("")
        self.stdout.write(f"Tila runs at {options['address']}")
        self.stdout.write(f"Demo logins (password: {seed.DEMO_PASSWORD}):")
        for login in seed.DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<24} {login.role}")
        self.stdout.write("")
        self.stdout.write("Members log in in two steps. Add this key to an authenticator app")
        self.stdout.write(f"(time-based, 6 digits, 30 seconds): {seed.DEMO_TOTP_SECRET}")
        self.stdout.write(
            "or print the current code: .venv/bin/python manage.py demo_totp_code <email>"
        )
        self.stdout.write("")
        self.stdout.write("The supervisees' portal and the orderer's view: log in by email code as")
        self.stdout.write(f"  {seed.DEMO_SUPERVISEE:<30} supervisee, Tähtiryhmän tiimi")
        self.stdout.write(f"  {seed.DEMO_ORDERER:<30} orderer contact, Tampereen kaupunki")
        self.stdout.write("Without a mail server (TILA_EMAIL_HOST) the code is printed here.")
