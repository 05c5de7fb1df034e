from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.intake.models import Asker, ForWhom, Mode
from tila.practices.models import Form
from tila.public.spam import SpamCheckedForm

# How far back a crisis event may be: older than this is not a crisis inquiry any more.
CRISIS_MAX_AGE = timedelta(days=365)


class InquiryForm(SpamCheckedForm):
    asker = forms.ChoiceField(
        label=_("Who is asking?"), choices=Asker.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("The workplace or unit that orders the supervision."),
    )
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    for_whom = forms.ChoiceField(
        label=_("For whom is the supervision?"), choices=ForWhom.choices, widget=forms.RadioSelect
    )
    group_size = forms.IntegerField(
        label=_("How many people?"), min_value=1, max_value=500, required=False
    )
    form = forms.ChoiceField(
        label=_("Form of supervision"),
        choices=[("", _("I am not sure yet")), *Form.choices],
        required=False,
    )
    need = forms.CharField(
        label=_("What do you need supervision for?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "In your own words. Please do not write names of clients or patients or other "
            "people's personal details."
        ),
    )
    preferred_times = forms.CharField(
        label=_("Preferred times"),
        max_length=500,
        required=False,
        help_text=_("E.g. “Tuesday afternoons, every three weeks, from January”."),
    )
    mode = forms.ChoiceField(
        label=_("Remote or on site?"), choices=Mode.choices, widget=forms.RadioSelect
    )
    is_crisis = forms.BooleanField(
        label=_("This is about a crisis: something sudden happened at work"), required=False
    )
    event_date = forms.DateField(
        label=_("Date of the event"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    event_time = forms.TimeField(
        label=_("Time of the event (approximately)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("asker") == Asker.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Give the name of the organisation."))
        if data.get("is_crisis"):
            day, moment = data.get("event_date"), data.get("event_time")
            if day is None and "event_date" not in self.errors:
                self.add_error("event_date", _("Give the date of the event."))
            if moment is None and "event_time" not in self.errors:
                self.add_error("event_time", _("Give the time of the event."))
            if day is not None and moment is not None:
                event_at = timezone.make_aware(datetime.combine(day, moment))
                now = timezone.now()
                if event_at > now + timedelta(minutes=5):
                    self.add_error("event_date", _("The event cannot be in the future."))
                elif event_at < now - CRISIS_MAX_AGE:
                    self.add_error(
                        "event_date", _("The event is more than a year ago. Check the year.")
                    )
                else:
                    data["event_at"] = event_at
        data.setdefault("event_at", None)
        if not data.get("is_crisis"):
            data["event_at"] = None
        return data


class BookingForm(SpamCheckedForm):
    slot = forms.CharField(label=_("Time"), widget=forms.HiddenInput)
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def clean_slot(self) -> datetime:
        value: str = self.cleaned_data["slot"]
        try:
            start = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the free times.")) from None
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        if start <= timezone.now():
            raise forms.ValidationError(_("That time has already passed. Choose another."))
        return start
