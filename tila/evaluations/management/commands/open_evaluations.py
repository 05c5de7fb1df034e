from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tila.evaluations.scheduling import open_due_rounds_for_all, schedule_opening


class Command(BaseCommand):
    help = (
        "Open the evaluation rounds due at the contracts' evaluation points. With --schedule, "
        "only make sure the hourly background run is queued for the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue the hourly run for the worker (manage.py db_worker) instead of running now",
        )

    def handle(self, *args: Any, schedule: bool = False, **options: Any) -> None:
        if schedule:
            verb = "Queued" if schedule_opening() else "Already queued"
            self.stdout.write(f"{verb}: the hourly opening of due evaluations")
            return
        self.stdout.write(f"Evaluation rounds opened: {open_due_rounds_for_all()}")
