"""State changes of contracts. Each runs in one transaction and writes a ContractEvent.

Versions: every version number has a ContractVersion snapshot of its terms. While no
party has accepted the current version, an edit rewrites that snapshot in place; once
any party has accepted it, an edit that changes the terms makes a new version, and the
old version and its acceptances stay as they were."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.contracts.models import (
    Acceptance,
    Contract,
    ContractEvent,
    ContractVersion,
    EventKind,
    FrameworkAgreement,
    FrameworkPriceLine,
    Goal,
    Party,
    PriceLine,
    Status,
)
from tila.contracts.terms import agreed_values, build_terms
from tila.practices.models import Practice


class ContractError(Exception):
    """A change that was refused; the message is for the user."""


class EditOutcome(StrEnum):
    EDITED = "edited"
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"


def _event(contract: Contract, actor: User | None, kind: str, **data: Any) -> None:
    ContractEvent.objects.create(contract=contract, actor=actor, kind=kind, data=data)


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _save_rows(
    contract: Contract, kept: Sequence[Goal | PriceLine], existing: Iterable[Goal | PriceLine]
) -> None:
    """Keep exactly the given goals or price lines, in this order."""
    kept_ids = {row.pk for row in kept if row.pk is not None}
    for row in existing:
        if row.pk not in kept_ids:
            row.delete()
    for position, row in enumerate(kept):
        row.contract = contract
        row.position = position
        row.save()


def _take_framework(
    contract: Contract, previous_id: int | None, price_lines: Sequence[PriceLine]
) -> Sequence[PriceLine]:
    """If the contract has just picked a framework agreement, copy its prices and references
    onto the contract now, and return the price lines to keep."""
    agreement = contract.framework_agreement
    if agreement is None or agreement.pk == previous_id:
        return price_lines
    if agreement.practice_id != contract.practice_id or (
        agreement.organisation_id != contract.organisation_id
    ):
        raise ContractError(_("The framework agreement belongs to another orderer."))
    if not agreement.is_valid_on(timezone.localdate()):
        raise ContractError(_("The framework agreement is not valid today."))
    contract.buyer_reference = agreement.buyer_reference
    if agreement.order_number:
        contract.order_number = agreement.order_number
    return [line.as_contract_line() for line in agreement.price_lines.all()]


def ensure_snapshot(contract: Contract, *, actor: User | None = None) -> ContractVersion:
    """The snapshot of the contract's current version, written from the database if missing."""
    version, _created = ContractVersion.objects.get_or_create(
        contract=contract,
        number=contract.version,
        defaults={"terms": build_terms(contract), "created_by": actor},
    )
    return version


def create_contract(
    *,
    practice: Practice,
    actor: User,
    contract: Contract,
    supervisors: Iterable[User],
    goals: Sequence[Goal],
    price_lines: Sequence[PriceLine],
) -> Contract:
    """Save a new contract (draft or trial) as version 1 with its goals and price lines."""
    with transaction.atomic():
        contract.practice = practice
        contract.version = 1
        if contract.status not in (Status.DRAFT, Status.TRIAL):
            contract.status = Status.DRAFT
        price_lines = _take_framework(contract, None, price_lines)
        contract.save()
        contract.supervisors.set(supervisors)
        _save_rows(contract, goals, [])
        _save_rows(contract, price_lines, [])
        ContractVersion.objects.create(
            contract=contract, number=1, terms=build_terms(contract), created_by=actor
        )
        _event(contract, actor, EventKind.CREATED, version=1)
    return contract


def update_contract(
    *,
    contract: Contract,
    actor: User,
    supervisors: Iterable[User],
    goals: Sequence[Goal],
    price_lines: Sequence[PriceLine],
) -> EditOutcome:
    """Save edited terms. ``contract`` carries the edits; status and version are not edited."""
    with transaction.atomic():
        stored = _locked(contract)
        if stored.status == Status.ENDED:
            raise ContractError(_("An ended contract can no longer be changed."))
        number = stored.version
        before = ensure_snapshot(stored, actor=actor)
        accepted = Acceptance.objects.filter(contract=stored, version=number).exists()

        contract.status = stored.status
        contract.version = number
        price_lines = _take_framework(contract, stored.framework_agreement_id, price_lines)
        contract.save()
        contract.supervisors.set(supervisors)
        _save_rows(contract, goals, stored.goals.all())
        _save_rows(contract, price_lines, stored.price_lines.all())
        after = build_terms(contract)

        if agreed_values(after) == agreed_values(before.terms):
            return EditOutcome.UNCHANGED
        if accepted:
            contract.version = number + 1
            contract.save(update_fields=["version", "updated_at"])
            after["version"] = contract.version
            ContractVersion.objects.create(
                contract=contract, number=contract.version, terms=after, created_by=actor
            )
            _event(
                contract, actor, EventKind.NEW_VERSION, version=contract.version, previous=number
            )
            return EditOutcome.NEW_VERSION
        before.terms = after
        before.save(update_fields=["terms"])
        _event(contract, actor, EventKind.EDITED, version=number)
        return EditOutcome.EDITED


def record_acceptance(
    *,
    contract: Contract,
    actor: User,
    version: int,
    party: str,
    accepted_by_name: str,
    accepted_at: datetime,
) -> Acceptance:
    """Record that a party accepted the given version, which must still be the current one."""
    with transaction.atomic():
        stored = _locked(contract)
        if stored.status == Status.ENDED:
            raise ContractError(_("An ended contract can no longer be accepted."))
        if version != stored.version:
            raise ContractError(
                _(
                    "The contract has changed since the page was opened: the current version "
                    "is %(version)s. Check it and record the acceptance again."
                )
                % {"version": stored.version}
            )
        if Acceptance.objects.filter(contract=stored, version=version, party=party).exists():
            raise ContractError(
                _("The party “%(party)s” has already accepted version %(version)s.")
                % {"party": Party(party).label, "version": version}
            )
        ensure_snapshot(stored, actor=actor)
        acceptance = Acceptance.objects.create(
            contract=stored,
            version=version,
            party=party,
            accepted_by_name=accepted_by_name,
            accepted_at=accepted_at,
            recorded_by=actor,
        )
        _event(
            stored,
            actor,
            EventKind.ACCEPTED,
            version=version,
            party=party,
            name=accepted_by_name,
            at=accepted_at.isoformat(),
        )
    return acceptance


def change_status(*, contract: Contract, actor: User, status: str) -> Contract:
    """Move the contract to another status; only the steps in TRANSITIONS are allowed."""
    with transaction.atomic():
        stored = _locked(contract)
        if status not in Status.values or not stored.can_become(status):
            raise ContractError(
                _("A contract in status “%(current)s” cannot become “%(new)s”.")
                % {
                    "current": Status(stored.status).label,
                    "new": Status(status).label if status in Status.values else status,
                }
            )
        previous = stored.status
        stored.status = status
        stored.save(update_fields=["status", "updated_at"])
        _event(stored, actor, EventKind.STATUS, old=previous, new=status)
    return stored


def save_framework_agreement(
    *,
    agreement: FrameworkAgreement,
    price_lines: Sequence[FrameworkPriceLine],
) -> FrameworkAgreement:
    """Save a framework agreement with exactly the given price lines, in this order. Contracts
    made under it keep the prices they copied."""
    with transaction.atomic():
        agreement.save()
        kept_ids = {line.pk for line in price_lines if line.pk is not None}
        for line in agreement.price_lines.all():
            if line.pk not in kept_ids:
                line.delete()
        for position, line in enumerate(price_lines):
            line.agreement = agreement
            line.position = position
            line.save()
    return agreement
