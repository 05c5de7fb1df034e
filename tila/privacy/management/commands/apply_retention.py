from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tila.privacy.retention import apply_retention
from tila.privacy.tasks import next_run, schedule_retention


class Command(BaseCommand):
    help = (
        "Delete the notes and other content of contracts that ended more than "
        "TILA_RETENTION_MONTHS ago. With --schedule, only make sure the daily background run "
        "is queued for the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue the daily run for the worker (manage.py db_worker) instead of running now",
        )

    def handle(self, *args: Any, schedule: bool = False, **options: Any) -> None:
        if schedule:
            queued = schedule_retention()
            verb = "Queued" if queued else "Already queued"
            self.stdout.write(f"{verb}: the daily retention run (next at the latest {next_run()})")
            return
        deleted = apply_retention()
        summary = ", ".join(f"{key} {count}" for key, count in sorted(deleted.items()))
        self.stdout.write(f"Retention applied: {summary or 'nothing was due'}")
