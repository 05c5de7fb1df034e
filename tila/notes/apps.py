from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "tila.notes"
    verbose_name = _("Notes")

    def ready(self) -> None:
        from tila.keys.registry import register_sealed_field
        from tila.notes.models import Note, NoteRevision

        register_sealed_field(Note, "body", lambda note: note.context)
        register_sealed_field(NoteRevision, "body", lambda revision: revision.body_context)
        register_sealed_field(NoteRevision, "reason", lambda revision: revision.reason_context)
