"""The audit log: who touched what, when, and whether they were allowed to.

Rows are only ever inserted. The database refuses UPDATE and DELETE (migration
``audit/0002``), and each row carries the SHA-256 of its own contents and of the row
before it, so ``manage.py verify_audit_log`` finds a row edited or removed behind the
application's back. The log never holds content: only kinds of objects, their ids and
short technical details."""

import hashlib
import json
from datetime import UTC
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tila.practices.models import Practice

# prev_hash of the first row.
GENESIS = "0" * 64
# Bumped if the canonical form below ever changes; it is part of every hash.
HASH_VERSION = 1


class Action(models.TextChoices):
    """What was done. The labels have their own context: in Finnish they are nouns ("Luku")."""

    READ = "read", pgettext_lazy("audit action", "Read")
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Changed")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")
    LOCK = "lock", pgettext_lazy("audit action", "Locked")
    SHARE = "share", pgettext_lazy("audit action", "Shared")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    ERASE = "erase", pgettext_lazy("audit action", "Erased")
    DENIED = "denied", pgettext_lazy("audit action", "Denied access")
    LOGIN = "login", pgettext_lazy("audit action", "Logged in")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed login")
    LOGOUT = "logout", pgettext_lazy("audit action", "Logged out")
    ROTATE_KEY = "rotate_key", pgettext_lazy("audit action", "Rotated a key")


class Outcome(models.TextChoices):
    OK = "ok", _("Allowed")
    DENIED = "denied", _("Refused")


class ActorRole(models.TextChoices):
    """Who acted, as far as the log is concerned. Stored as plain text: new kinds of actor
    (supervisees, orderer contacts) need no schema change."""

    OWNER = "owner", _("Owner")
    SUPERVISOR = "supervisor", _("Supervisor")
    ASSISTANT = "assistant", _("Assistant")
    SUPERVISEE = "supervisee", _("Supervisee")
    ORDERER = "orderer", _("Orderer contact")
    USER = "user", _("User without a role here")
    ANONYMOUS = "anonymous", _("Anonymous")
    SYSTEM = "system", _("System")


class AuditEvent(models.Model):
    """One event. ``actor`` may later be set to NULL when a user is erased (the only change
    the database allows); ``actor_label`` keeps who it was, and is what the hash covers."""

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, choices=ActorRole.choices)
    # A practice with an audit trail cannot be deleted: the trail outlives it.
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_pos"),
        ]
        indexes = [
            models.Index(fields=["practice", "-sequence"], name="audit_practice_seq"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_id}"

    def canonical(self) -> bytes:
        """The row as the hash sees it: every field but the id (assigned by the database)
        and the actor's user id (nulled on erasure), in a fixed JSON form."""
        at = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        fields: dict[str, Any] = {
            "v": HASH_VERSION,
            "sequence": self.sequence,
            "at": at,
            "actor_label": self.actor_label,
            "actor_role": self.actor_role,
            "practice_id": self.practice_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "action": self.action,
            "outcome": self.outcome,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    @property
    def object_label(self) -> str:
        """The object type as a person reads it ("Note"), or as stored if it is not a model."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(capfirst(model._meta.verbose_name))
