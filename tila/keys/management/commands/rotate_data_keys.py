from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tila.keys import actions, masterkeys
from tila.practices.models import Practice


class Command(BaseCommand):
    help = (
        "Give each practice (or one, --practice <slug>) a new data key, re-encrypt every "
        "sealed value under it and retire the old key, one transaction per practice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--practice", metavar="SLUG", help="Rotate only this practice.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["practice"]:
            practices = list(Practice.objects.filter(slug=options["practice"]))
            if not practices:
                raise CommandError(f"No practice {options['practice']!r}.")
        else:  # practices that have never sealed anything have nothing to rotate
            practices = list(
                Practice.objects.filter(data_keys__isnull=False).distinct().order_by("slug")
            )
        for practice in practices:
            try:
                result = actions.rotate_data_key(practice)
            except (masterkeys.MasterKeyError, actions.RotationError) as error:
                raise CommandError(f"{practice.slug}: {error}") from None
            retired = f", retired {result.retired_key_id}" if result.retired_key_id else ""
            self.stdout.write(
                f"{practice.slug}: new data key {result.new_key_id}{retired}, "
                f"re-encrypted {result.resealed} value(s)."
            )
        self.stdout.write(self.style.SUCCESS(f"Rotated {len(practices)} practice(s)."))
