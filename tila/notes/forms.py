from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.notes.models import NoteKind
from tila.notes.outlines import OUTLINES

MAX_NOTE_LENGTH = 50_000


class NewNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    outline = forms.ChoiceField(
        label=_("Start from"),
        choices=[(key, outline.label) for key, outline in OUTLINES.items()],
        initial="meeting",
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    reason = forms.CharField(
        label=_("Why do you change a locked note?"),
        required=False,
        max_length=500,
        help_text=_("The original text is kept with the reason."),
    )
    names_are_pseudonyms = forms.BooleanField(
        label=_("These are pseudonyms, not my supervisee's clients' real names"),
        required=False,
    )

    def __init__(self, *args: Any, locked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = locked
        if not locked:
            del self.fields["reason"]

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data.get("reason", "")
        if self.locked and not reason.strip():
            raise forms.ValidationError(_("The note is locked. Say why you change it."))
        return reason
