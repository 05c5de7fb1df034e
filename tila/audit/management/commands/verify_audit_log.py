from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tila.audit.anchors import anchor_file, append_anchor, check_anchors, read_anchors
from tila.audit.chain import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain from the first row and check it against the "
        "anchors written down outside the database. Prints 'OK: N events', or the first row "
        "whose hash or link does not match, or the anchors the log no longer holds, and exits "
        "with status 1. With --anchor, a log that verifies gets its head written down."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="After a successful check, append the chain's head to the anchor file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.broken is not None:
            broken = report.broken
            raise CommandError(
                f"audit log broken at sequence {broken.sequence} (id {broken.id}): "
                f"{broken.reason}. The {report.count} events before it are intact."
            )
        try:
            anchors = read_anchors()
        except ValueError as error:
            raise CommandError(f"the anchor file is damaged: {error}") from error
        mismatches = check_anchors(anchors)
        if mismatches:
            first = mismatches[0]
            found = (
                "the row is gone (the log was cut short)"
                if first.found is None
                else f"the log now has {first.found} there (rewritten)"
            )
            raise CommandError(
                f"audit log does not match its anchor: sequence {first.anchor.sequence} was "
                f"{first.anchor.hash} at {first.anchor.at}; {found}. "
                f"{len(mismatches)} of {len(anchors)} anchors do not match."
            )
        self.stdout.write(f"OK: {report.count} events")
        if options["verbosity"] >= 2:
            self.stdout.write(f"Last hash: {report.last_hash}")
            self.stdout.write(f"Anchors checked: {len(anchors)} ({anchor_file()})")
        if options["anchor"]:
            anchor = append_anchor(report)
            if anchor is not None:
                self.stdout.write(f"Anchored sequence {anchor.sequence} in {anchor_file()}")
