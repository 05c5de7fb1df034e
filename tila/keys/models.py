"""Per-practice data keys, stored only in wrapped (encrypted) form.

The database holds data keys encrypted under a master key that lives outside it (see
``tila.keys.masterkeys``), so a database dump alone decrypts nothing.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from tila.practices.models import Practice


def new_key_id() -> str:
    """A short random id; it is written into every token sealed under the key."""
    return secrets.token_hex(6)


class DataKey(models.Model):
    """A practice's AES-256 key, wrapped under a master key.

    ``wrapped`` is ``tila.lib.crypto.encrypt(master key, data key, aad)`` where the associated
    data binds the practice's uuid and ``key_id``: a wrapped key copied to another practice or
    row does not unwrap. The current key of a practice has ``retired_at`` null; retired keys
    stay so that anything still sealed under them can be read (and re-encrypted).
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="data_keys")
    key_id = models.CharField(max_length=16, unique=True, default=new_key_id, editable=False)
    wrapped = models.BinaryField()
    master_key_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=models.Q(retired_at__isnull=True),
                name="data_key_one_current_per_practice",
            ),
        ]

    def __str__(self) -> str:
        return self.key_id


class SealedCheck(models.Model):
    """A known text sealed under the practice's data key, to prove the keys still work.

    Written when the practice's first data key is created, re-encrypted with every other
    sealed value by ``rotate_data_keys``, and read back by ``verify_keys``.
    """

    TEXT = "Tila key check"

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="sealed_check")
    value = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("key check")
        verbose_name_plural = _("key checks")

    def __str__(self) -> str:
        return f"key check {self.pk}"

    def seal_context(self) -> str:
        return f"keys.SealedCheck.value:{self.practice_id}"
