from django import forms
from django.utils.translation import gettext_lazy as _

from tila.journal.models import TEXT_MAX_CHARS, Prompt
from tila.lib.templatetags.tila import when
from tila.meetings.models import Meeting


class EntryForm(forms.Form):
    prompt = forms.ChoiceField(
        label=_("Question"), choices=Prompt.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your entry"),
        max_length=TEXT_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ShareForm(forms.Form):
    """Which coming meeting to share the entry into; the soonest is chosen already."""

    meeting = forms.ChoiceField(label=_("Meeting"))

    def __init__(self, *args: object, meetings: list[Meeting], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["meeting"].choices = [  # type: ignore[attr-defined]
            (str(meeting.uuid), meeting_label(meeting)) for meeting in meetings
        ]
        if meetings:
            self.fields["meeting"].initial = str(meetings[0].uuid)


def meeting_label(meeting: Meeting) -> str:
    return f"{when(meeting.start)} · {meeting.contract.title}"
