from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tila.clients.models import Person


class SuperviseeAccount(models.Model):
    """A supervisee's login: one person of a practice, one user who logs in by email code."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="supervisee_account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisee_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervisee account")
        verbose_name_plural = _("supervisee accounts")

    def __str__(self) -> str:
        return str(self.person)


class PortalCalendarFeed(models.Model):
    """A supervisee's private calendar subscription: a secret link her calendar program polls.

    Only the SHA-256 of the link's token is kept (as for the supervisor's link in
    ``tila.meetings``): the link is shown once; a new one replaces it, deleting revokes it."""

    account = models.OneToOneField(
        SuperviseeAccount, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription of a supervisee")
        verbose_name_plural = _("calendar subscriptions of supervisees")

    def __str__(self) -> str:
        return f"calendar feed of {self.account_id}"
