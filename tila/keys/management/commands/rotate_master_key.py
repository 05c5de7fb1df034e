from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tila.keys import actions, masterkeys


class Command(BaseCommand):
    help = (
        "Add a new master key and re-wrap every data key under it. Old master keys stay "
        "until --retire-old. With TILA_MASTER_KEY, prints the new value to deploy instead; "
        "run again with --rewrap once every process has it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--rewrap",
            action="store_true",
            help="Only re-wrap the data keys under the current (newest) master key.",
        )
        group.add_argument(
            "--retire-old",
            action="store_true",
            help="Remove the master keys no data key uses any more (after re-wrapping).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["retire_old"]:
                self._retire()
            elif options["rewrap"]:
                count = actions.rewrap_data_keys()
                self.stdout.write(self.style.SUCCESS(f"Re-wrapped {count} data key(s)."))
            else:
                self._rotate()
        except (masterkeys.MasterKeyError, actions.RotationError) as error:
            raise CommandError(str(error)) from None

    def _rotate(self) -> None:
        result = actions.rotate_master_key()
        if result.env_value is not None:
            self.stdout.write(
                f"New master key {result.new_key_id}. Nothing is re-wrapped yet. Set this value "
                "for every Tila process (it is secret; keep a copy apart from database "
                "backups), restart them, then run: manage.py rotate_master_key --rewrap"
            )
            self.stdout.write(f"{masterkeys.ENV_VAR}={result.env_value}")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"New master key {result.new_key_id} added to {masterkeys.key_file()}; "
                f"re-wrapped {result.rewrapped} data key(s)."
            )
        )
        self.stdout.write(
            "Back up the key file now, then remove the old keys with: "
            "manage.py rotate_master_key --retire-old"
        )

    def _retire(self) -> None:
        removed, env_value = actions.retire_old_master_keys()
        if env_value is not None:
            self.stdout.write(
                "No data key uses the older keys any more. Deploy this value (it is secret):"
            )
            self.stdout.write(f"{masterkeys.ENV_VAR}={env_value}")
        elif removed:
            self.stdout.write(
                self.style.SUCCESS(f"Removed master key(s) {', '.join(removed)} from the file.")
            )
        else:
            self.stdout.write("Only the current master key is configured; nothing to remove.")
