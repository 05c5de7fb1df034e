from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "tila.journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from tila.journal.models import JournalEntry
        from tila.keys.registry import register_sealed_field

        register_sealed_field(JournalEntry, "text", lambda entry: entry.context)
