import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.contracts.models import Contract
from tila.practices.models import Practice


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RELEASED = "released", _("Shared with the orderer")


class Statement(models.Model):
    """A supervisor's written statement for the orderer, e.g. "the supervision is useful and
    should continue".

    A draft is seen only by the contract's supervisors; once released the orderer and the
    supervisees see it, and it can no longer change. ``text`` holds only a sealed token (see
    ``tila.keys.sealing``) bound to this statement's UUID; read it through
    ``tila.statements.actions``.

    A statement may carry a ``summary``: group aggregates of an evaluation round (``summary_of``)
    frozen when it was released, so that later answers do not change what the orderer was given
    (``tila.statements.summaries`` reads it; ``tila.evaluations.sharing`` makes it)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="statements")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="statements")
    text = models.TextField(blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = models.JSONField(null=True, blank=True, editable=False)
    summary_of = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statement to the orderer")
        verbose_name_plural = _("statements to the orderer")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StatementStatus.values), name="statement_status_valid"
            ),
            # Released exactly when it has a release time.
            models.CheckConstraint(
                condition=Q(status=StatementStatus.RELEASED, released_at__isnull=False)
                | Q(status=StatementStatus.DRAFT, released_at__isnull=True),
                name="statement_released_has_time",
            ),
            # A summary always says which round it was made from.
            models.CheckConstraint(
                condition=Q(summary__isnull=True) | Q(summary_of__isnull=False),
                name="statement_summary_has_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.uuid}"

    @property
    def context(self) -> str:
        """The associated data the text is sealed with: a ciphertext is valid only here."""
        return f"statements.Statement.text:{self.uuid}"

    @property
    def is_released(self) -> bool:
        return self.status == StatementStatus.RELEASED
