from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tila.keys import actions, masterkeys
from tila.practices.models import Practice


class Command(BaseCommand):
    help = (
        "Check that every data key unwraps under the configured master keys and that each "
        "practice's sealed check value decrypts. Exits non-zero on any failure."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--practice", metavar="SLUG", help="Check only this practice.")

    def handle(self, *args: Any, **options: Any) -> None:
        practices = Practice.objects.order_by("slug")
        if options["practice"]:
            practices = practices.filter(slug=options["practice"])
            if not practices.exists():
                raise CommandError(f"No practice {options['practice']!r}.")
        failed = 0
        for practice in practices:
            result = actions.verify_practice(practice)
            if not result.data_keys:
                self.stdout.write(f"{practice.slug}: no data key yet")
            elif result.ok:
                self.stdout.write(f"{practice.slug}: ok ({result.data_keys} data key(s))")
            else:
                failed += 1
                for problem in result.problems:
                    self.stdout.write(f"{practice.slug}: FAILED: {problem}")
        if failed:
            raise CommandError(f"Keys of {failed} practice(s) failed verification.")
        try:
            ring = masterkeys.load()
        except masterkeys.MasterKeyMissing:
            self.stdout.write(self.style.SUCCESS("All keys verified (no master key yet)."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"All keys verified; current master key {ring.current.key_id} "
                f"({len(ring.keys)} configured)."
            )
        )
