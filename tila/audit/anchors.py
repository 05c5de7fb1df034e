"""Anchors: the head of the audit log's hash chain, written down outside the database.

The hash chain shows an edited or removed row, but not a tail cut off, nor a chain that an
intruder with the database rewrote from some row on and hashed again. An anchor is a line
``<sequence> <hash> <time>`` appended to a file in ``var/`` (``TILA_AUDIT_ANCHOR_FILE``)
after a successful verification. Every anchor must still be in the log: the row with that
sequence number must exist and carry that hash. Copy the file off the machine with the
backups; an intruder who can also change the copy can change anything.
"""

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tila.audit.chain import Report, verify_chain
from tila.audit.models import AuditEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    sequence: int
    hash: str
    at: str


@dataclass(frozen=True)
class Mismatch:
    anchor: Anchor
    found: str | None  # the hash in the database, None when the row is gone


def anchor_file() -> Path:
    return Path(settings.TILA_AUDIT_ANCHOR_FILE)


def read_anchors(path: Path | None = None) -> list[Anchor]:
    path = path or anchor_file()
    if not path.exists():
        return []
    anchors = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or len(parts[1]) != 64:
            raise ValueError(f"{path}, line {number}: not '<sequence> <hash> <time>'")
        anchors.append(Anchor(int(parts[0]), parts[1], parts[2]))
    return anchors


def check_anchors(anchors: list[Anchor]) -> list[Mismatch]:
    """The anchors that the log no longer holds."""
    hashes = dict(
        AuditEvent.objects.filter(sequence__in=[anchor.sequence for anchor in anchors]).values_list(
            "sequence", "hash"
        )
    )
    return [
        Mismatch(anchor, hashes.get(anchor.sequence))
        for anchor in anchors
        if hashes.get(anchor.sequence) != anchor.hash
    ]


def append_anchor(report: Report, now: datetime | None = None) -> Anchor | None:
    """Write the verified head down, unless the last anchor already is the head."""
    if report.broken is not None or report.count == 0:
        return None
    path = anchor_file()
    anchors = read_anchors(path)
    if anchors and anchors[-1].sequence == report.count and anchors[-1].hash == report.last_hash:
        return None
    anchor = Anchor(report.count, report.last_hash, (now or timezone.now()).isoformat())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a") as file:
        file.write(f"{anchor.sequence} {anchor.hash} {anchor.at}\n")
    return anchor


def verify_and_anchor() -> bool:
    """The daily check: verify the chain and the anchors, then anchor the head. A failure is
    logged as an error (and nothing is anchored); returns whether the log verified."""
    report = verify_chain()
    if report.broken is not None:
        logger.error(
            "audit log broken at sequence %s: %s", report.broken.sequence, report.broken.reason
        )
        return False
    mismatches = check_anchors(read_anchors())
    if mismatches:
        logger.error(
            "audit log does not match its anchor at sequence %s", mismatches[0].anchor.sequence
        )
        return False
    append_anchor(report)
    return True
