from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tila.audit.chain import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain from the first row. Prints 'OK: N events', or "
        "the first row whose hash or link does not match and exits with status 1."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.broken is not None:
            broken = report.broken
            raise CommandError(
                f"audit log broken at sequence {broken.sequence} (id {broken.id}): "
                f"{broken.reason}. The {report.count} events before it are intact."
            )
        self.stdout.write(f"OK: {report.count} events")
        if options["verbosity"] >= 2:
            self.stdout.write(f"Last hash: {report.last_hash}")
