from django import forms
from django.utils.translation import gettext_lazy as _

from tila.meetings.models import Meeting
from tila.topics.models import TEXT_MAX_CHARS


class TopicForm(forms.Form):
    text = forms.CharField(
        label=_("What would you like to bring to this meeting?"),
        max_length=TEXT_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share_with_group = forms.BooleanField(
        label=_("Share with my group"),
        required=False,
        help_text=_(
            "Your group then sees the topic with your name. Otherwise only the supervisor sees it."
        ),
    )


def topic_form(meeting: Meeting) -> TopicForm:
    """An empty form whose field ids are unique on a page with several meetings."""
    return TopicForm(auto_id=f"topic-{meeting.uuid.hex[:12]}-%s")
