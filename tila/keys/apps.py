from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeysConfig(AppConfig):
    name = "tila.keys"
    verbose_name = _("Encryption keys")

    def ready(self) -> None:
        from tila.keys.models import SealedCheck
        from tila.keys.registry import register_sealed_field

        register_sealed_field(SealedCheck, "value", SealedCheck.seal_context)
