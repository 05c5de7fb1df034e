from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "tila.live"
    verbose_name = _("Live exercises")

    def ready(self) -> None:
        from tila.keys.registry import register_sealed_field
        from tila.live.models import BoardNote, Snapshot

        register_sealed_field(Snapshot, "data", lambda snapshot: snapshot.context)
        register_sealed_field(BoardNote, "text", lambda note: note.context)
