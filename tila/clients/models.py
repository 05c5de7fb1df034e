import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.lib.validators import validate_business_id, validate_einvoice_address
from tila.practices.models import Practice


class PracticeQuerySet(models.QuerySet[Any]):
    """Every protected queryset is scoped to one practice before anything else."""

    def in_practice(self, practice: Practice) -> "PracticeQuerySet":
        return self.filter(practice=practice)


class Organisation(models.Model):
    """The orderer (tilaaja): orders and pays, and never sees content."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    street_address = models.CharField(_("billing street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    billing_email = models.EmailField(_("billing email"), blank=True)
    einvoice_address = models.CharField(
        _("e-invoice address"),
        max_length=35,
        blank=True,
        validators=[validate_einvoice_address],
        help_text=_("OVT code: 0037 followed by the business ID digits, e.g. 003712345671."),
    )
    einvoice_operator = models.CharField(
        _("e-invoice operator code"),
        max_length=35,
        blank=True,
        help_text=_("The operator's (intermediator's) code, e.g. 003723327487 or BAWCFI22."),
    )
    notes = models.TextField(_("notes on billing"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at the orderer: a manager, HR, or the one who approves invoices."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    TEAM = "team", _("Team")
    COMMUNITY = "community", _("Work community")


class Client(models.Model):
    """Who is supervised: one person, or a group, team or work community with members."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="clients")
    kind = models.CharField(_("kind"), max_length=20, choices=ClientKind.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("organisation"),
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ClientKind.values), name="client_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.kind != ClientKind.INDIVIDUAL

    def current_members(self) -> models.QuerySet["ClientMember"]:
        return self.members.filter(left_on__isnull=True).select_related("person")


class Person(models.Model):
    """A supervisee. One person may be a member of several clients over time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    # The language of the mail Tila sends her (invitations, reminders).
    language = models.CharField(
        _("language of email"), max_length=10, choices=settings.LANGUAGES, default="fi"
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class ClientMember(models.Model):
    """Membership history of a client: who joined when, who left when."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "person"],
                condition=models.Q(left_on__isnull=True),
                name="client_member_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="client_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.client}"
