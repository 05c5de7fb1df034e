"""Retention: the content of an ended contract dies early, its bookkeeping lives long.

Notes (and the other content of ``RETENTION`` providers) of a contract are deleted
``TILA_RETENTION_MONTHS`` months (default 12) after the contract ended. A contract that has
not ended is never touched. The contract itself, its meetings and attendance stay: they
are bookkeeping records (six years after the end of the financial year)."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Person
from tila.contracts.models import Contract, ContractEvent, EventKind, Status
from tila.lib.privacy import Counts
from tila.practices.models import Practice
from tila.privacy.providers import PERSON_RETENTION, RETENTION


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ended_on(contract: Contract) -> date:
    """When the contract ended: the day its status became "ended" (from its history), else
    its end date, else the day it was last changed."""
    event = (
        ContractEvent.objects.filter(
            contract=contract, kind=EventKind.STATUS, data__new=Status.ENDED
        )
        .order_by("-at")
        .first()
    )
    if event is not None:
        return timezone.localdate(event.at)
    return contract.end_date or timezone.localdate(contract.updated_at)


@dataclass(frozen=True)
class Due:
    """An ended contract and when its content is (or was) deleted."""

    contract: Contract
    ended_on: date
    delete_on: date
    counts: Counts

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _counts(contract: Contract) -> Counts:
    counts: Counts = {}
    for provider in RETENTION:
        counts.update(provider.count_contract_content(contract))
    return counts


def retention_plan(practice: Practice | None = None) -> list[Due]:
    """Every ended contract that still has content, with its deletion date, soonest first."""
    months = settings.TILA_RETENTION_MONTHS
    contracts = Contract.objects.filter(status=Status.ENDED).select_related("client")
    if practice is not None:
        contracts = contracts.filter(practice=practice)
    plan = []
    for contract in contracts:
        counts = _counts(contract)
        if not any(counts.values()):
            continue
        ended = ended_on(contract)
        plan.append(Due(contract, ended, add_months(ended, months), counts))
    return sorted(plan, key=lambda due: (due.delete_on, due.contract.title))


def apply_retention(today: date | None = None) -> Counts:
    """Delete the content of every contract whose time is up: one transaction and one
    audit event per contract, besides the provider's event per deleted object."""
    today = today or timezone.localdate()
    total: Counts = {}
    for due in retention_plan():
        if due.delete_on > today:
            continue
        with transaction.atomic():
            # The status is read again under the write lock: a contract reopened in the
            # meantime keeps its content.
            contract = Contract.objects.select_for_update().get(pk=due.contract.pk)
            if contract.status != Status.ENDED:
                continue
            counts: Counts = {}
            for provider in RETENTION:
                counts.update(provider.delete_contract_content(contract))
            record_event(
                actor=None,
                practice=contract.practice,
                object_type="contracts.Contract",
                object_id=str(contract.uuid),
                action=Action.DELETE,
                detail={"reason": "retention", "ended_on": due.ended_on.isoformat(), **counts},
            )
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
    for person_provider in PERSON_RETENTION:
        for person in person_provider.persons_with_content():
            delete_on = person_delete_on(person)
            if delete_on is None or delete_on > today:
                continue
            with transaction.atomic():
                counts = person_provider.delete_person_content(person)
                if not counts:
                    continue  # content whose very existence is private (a journal)
                record_event(
                    actor=None,
                    practice=person.practice,
                    object_type="clients.Person",
                    object_id=str(person.uuid),
                    action=Action.DELETE,
                    detail={"reason": "retention", **counts},
                )
            for key, value in counts.items():
                total[key] = total.get(key, 0) + value
    return total


def person_delete_on(person: Person) -> date | None:
    """When a person's own content (her journal) is deleted: the retention period after the
    last of her contracts ended. None while any of them goes on, or when she has none."""
    contracts = list(Contract.objects.filter(client__members__person=person).distinct())
    if not contracts or any(contract.status != Status.ENDED for contract in contracts):
        return None
    months = settings.TILA_RETENTION_MONTHS
    return max(add_months(ended_on(contract), months) for contract in contracts)
