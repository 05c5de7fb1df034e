from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tila.clients.models import Contact


class OrdererAccount(models.Model):
    """An orderer's contact person who may log in to the orderer's view.

    The view shows the organisation's contracts, their agreed terms, meeting dates and the
    attendance information the contract allows: never any content (domain README §6)."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, related_name="orderer_account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orderer_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("orderer's account")
        verbose_name_plural = _("orderer's accounts")

    def __str__(self) -> str:
        return f"{self.contact} ({self.user})"
