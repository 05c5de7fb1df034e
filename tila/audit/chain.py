"""Checking the audit log's hash chain."""

from collections.abc import Iterable
from dataclasses import dataclass

from tila.audit.models import GENESIS, AuditEvent


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and why."""

    sequence: int
    id: int
    reason: str


@dataclass(frozen=True)
class Report:
    count: int
    last_hash: str
    broken: Break | None


def check_chain(events: Iterable[AuditEvent]) -> Report:
    """Walk ``events`` in sequence order from the first row. A row is broken when its own
    hash does not match its contents (it was edited), when its link does not match the
    previous row's hash, or when its number does not follow (a row before it was removed)."""
    expected_sequence, expected_prev, count = 1, GENESIS, 0
    for event in events:
        if event.sequence != expected_sequence:
            reason = (
                f"sequence number {event.sequence} where {expected_sequence} was expected "
                "(a row is missing)"
            )
        elif event.prev_hash != expected_prev:
            reason = "its link does not match the previous row's hash"
        elif event.hash != event.compute_hash():
            reason = "its hash does not match its contents"
        else:
            expected_sequence, expected_prev, count = event.sequence + 1, event.hash, count + 1
            continue
        return Report(count, expected_prev, Break(event.sequence, event.id, reason))
    return Report(count, expected_prev, None)


def verify_chain() -> Report:
    return check_chain(AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000))
