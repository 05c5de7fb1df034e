"""Writing the audit log. Nothing else inserts into it."""

import json
from uuid import UUID

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from tila.accounts.models import User
from tila.audit.models import GENESIS, Action, ActorRole, AuditEvent, Outcome
from tila.practices.access import current_membership
from tila.practices.models import Membership, Practice

# Key of the PostgreSQL advisory lock that serialises writers of the chain ("tilaaudi").
CHAIN_LOCK = 0x74696C6161756469
# The detail is a few technical facts, never content: short scalars only.
DETAIL_MAX_CHARS = 500

DetailValue = str | int | bool | None


def _clean_detail(detail: dict[str, DetailValue] | None) -> dict[str, DetailValue]:
    detail = dict(detail or {})
    for key, value in detail.items():
        if not isinstance(key, str) or not isinstance(value, str | int | bool | None):
            raise ValueError(f"audit detail {key!r}: keys are text, values text/int/bool/None")
    if len(json.dumps(detail, ensure_ascii=False)) > DETAIL_MAX_CHARS:
        raise ValueError("audit detail is too long: it is for technical facts, not content")
    return detail


def _role_of(actor: User | None, practice: Practice | None) -> str:
    if actor is None:
        return ActorRole.SYSTEM
    if practice is not None:
        role = (
            Membership.objects.filter(practice=practice, user=actor)
            .values_list("role", flat=True)
            .first()
        )
        if role:
            return role
    return ActorRole.USER


def _lock_chain() -> None:
    """Make concurrent writers take turns. SQLite already does: Tila's transactions begin
    IMMEDIATE, which takes the database's single write lock. PostgreSQL needs a lock of its
    own, held until the surrounding transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def record_event(
    *,
    actor: User | None,
    practice: Practice | None,
    object_type: str,
    object_id: str | UUID,
    action: Action | str,
    outcome: Outcome | str = Outcome.OK,
    detail: dict[str, DetailValue] | None = None,
    role: str | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    ``actor`` is None for the system (or pass ``role=ActorRole.ANONYMOUS``). Without
    ``role`` the actor's role in ``practice`` is looked up. ``object_type`` is a model
    label such as ``"notes.Note"``. ``detail`` holds short technical facts (never content).

    The event is part of the caller's transaction: if that rolls back, so does the event.
    """
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        actor_role=role or _role_of(actor, practice),
        practice=practice,
        object_type=object_type,
        object_id=str(object_id),
        action=str(action),
        outcome=str(outcome),
        detail=_clean_detail(detail),
    )
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        event.sequence = last["sequence"] + 1 if last else 1
        event.prev_hash = last["hash"] if last else GENESIS
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def record_denied(
    request: HttpRequest, object_type: str, object_id: str | UUID | None = None
) -> AuditEvent:
    """Log a refused attempt to reach an object, made by whoever sent ``request``.

    The event goes to the log of the practice the requester works in (nobody learns from
    it whether the object exists, or whose it is)."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None and request.user.is_authenticated:
        membership = current_membership(request)
    user = request.user if request.user.is_authenticated else None
    role: str
    if user is None:
        role = ActorRole.ANONYMOUS
    elif membership is not None:
        role = membership.role
    else:
        role = ActorRole.USER
    return record_event(
        actor=user,
        practice=membership.practice if membership is not None else None,
        object_type=object_type,
        object_id=str(object_id or ""),
        action=Action.DENIED,
        outcome=Outcome.DENIED,
        detail={"method": request.method or "", "path": request.path[:200]},
        role=role,
    )
