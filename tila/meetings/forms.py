from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tila.accounts.models import User
from tila.clients.forms import DateInput
from tila.clients.models import ClientMember
from tila.contracts.models import Contract
from tila.lib.templatetags.tila import clock, when
from tila.meetings.actions import MeetingConflict, MeetingError
from tila.meetings.models import Absence, CancelledBy, MeetingStatus
from tila.meetings.queries import Slot
from tila.meetings.series import Proposed, SeriesError, propose_series, slots_of


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date and time picker; the value is local (Helsinki) time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def slot_text(start: datetime, end: datetime) -> str:
    """``ti 1.12.2026 klo 9.00–10.30``."""
    return f"{when(start)}–{clock(end)}"


class MeetingForm(forms.Form):
    def add_refusal(self, error: MeetingError) -> None:
        """Show an action's refusal on the form; a conflict names each clashing time."""
        if isinstance(error, MeetingConflict) and (error.clashes or error.busy):
            for (start, end), other in error.clashes:
                self.add_error(
                    None,
                    _("%(slot)s overlaps another meeting of the supervisor: %(other)s.")
                    % {"slot": slot_text(start, end), "other": slot_text(other.start, other.end)},
                )
            for (start, end), busy in error.busy:
                self.add_error(
                    None,
                    _("%(slot)s overlaps %(what)s: %(other)s.")
                    % {
                        "slot": slot_text(start, end),
                        "what": busy.label,
                        "other": slot_text(busy.start, busy.end),
                    },
                )
        else:
            self.add_error(None, error.message)


class PlanMeetingsForm(MeetingForm):
    start = forms.DateTimeField(
        label=gettext_lazy("First meeting starts"), widget=DateTimeLocalInput
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Length (minutes)"), min_value=15, max_value=480
    )
    every_weeks = forms.IntegerField(
        label=gettext_lazy("Every (weeks)"),
        min_value=1,
        max_value=26,
        help_text=gettext_lazy("Used when you plan more than one meeting."),
    )
    count = forms.IntegerField(label=gettext_lazy("Number of meetings"), min_value=1, max_value=100)
    on_days_off = forms.BooleanField(
        label=gettext_lazy("Plan on public holidays and my absences too"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise a date that falls on one is passed over and the series goes on at its "
            "rhythm."
        ),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=300, required=False)
    remote_link = forms.URLField(
        label=gettext_lazy("Remote meeting link"), max_length=500, required=False
    )

    def __init__(
        self,
        data: Any = None,
        *,
        contract: Contract,
        supervisors: list[User],
        remaining: int,
        user: User,
    ) -> None:
        initial = {
            "minutes": contract.meeting_minutes,
            "every_weeks": contract.rhythm_weeks,
            "count": max(remaining, 1),
            "place": contract.place,
            "remote_link": contract.remote_link,
        }
        super().__init__(data, initial=initial)
        self.contract = contract
        self.supervisors = supervisors
        self.fields["count"].help_text = _(
            "The contract has %(left)s of its %(count)s meetings left to plan."
        ) % {"left": max(remaining, 0), "count": contract.meeting_count}
        if len(supervisors) > 1:
            # Only a contract with several supervisors needs to say whose meetings these are.
            self.fields["supervisor"] = forms.ChoiceField(
                label=_("Supervisor"),
                choices=[(str(s.uuid), s.name) for s in supervisors],
                initial=str(user.uuid) if user in supervisors else None,
            )
        self.slots: list[Slot] = []
        self.proposed: list[Proposed] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.supervisors:
            raise forms.ValidationError(_("The contract has no supervisor to meet the client."))
        if not self.errors:
            try:
                self.proposed = propose_series(
                    supervisor=self.supervisor,
                    first_start=data["start"],
                    minutes=data["minutes"],
                    every_weeks=data["every_weeks"],
                    count=data["count"],
                    on_days_off=data.get("on_days_off", False),
                )
            except SeriesError as error:
                raise forms.ValidationError(str(error)) from error
            self.slots = slots_of(self.proposed)
        return data

    @property
    def supervisor(self) -> User:
        chosen = self.cleaned_data.get("supervisor")
        return next((s for s in self.supervisors if str(s.uuid) == chosen), self.supervisors[0])


class MoveMeetingForm(MeetingForm):
    start = forms.DateTimeField(label=gettext_lazy("Starts"), widget=DateTimeLocalInput)
    end = forms.DateTimeField(label=gettext_lazy("Ends"), widget=DateTimeLocalInput)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=300, required=False)
    remote_link = forms.URLField(
        label=gettext_lazy("Remote meeting link"), max_length=500, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        return data


class CancelMeetingForm(MeetingForm):
    cancelled_by = forms.ChoiceField(
        label=gettext_lazy("Who cancelled"), choices=CancelledBy.choices, widget=forms.RadioSelect
    )
    cancelled_at = forms.DateTimeField(
        label=gettext_lazy("When was it cancelled"),
        widget=DateTimeLocalInput,
        help_text=gettext_lazy("The time the cancellation reached you."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional. Write only what is needed for billing."),
    )

    def __init__(self, data: Any = None) -> None:
        now = timezone.localtime().replace(second=0, microsecond=0)
        super().__init__(data, initial={"cancelled_at": now})

    def clean_cancelled_at(self) -> datetime:
        value: datetime = self.cleaned_data["cancelled_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The time of the cancellation cannot be in the future."))
        return value


class AttendanceForm(forms.Form):
    """Who was present, one checkbox per member of the client on the meeting's day."""

    def __init__(
        self, data: Any = None, *, members: list[ClientMember], present: list[ClientMember]
    ) -> None:
        super().__init__(data, initial={"present": [str(m.uuid) for m in present]})
        self.members = members
        self.fields["present"] = forms.MultipleChoiceField(
            label=_("Present"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(member.uuid), member.person.name) for member in members],
        )

    def present_members(self) -> list[ClientMember]:
        chosen = set(self.cleaned_data["present"])
        return [member for member in self.members if str(member.uuid) in chosen]


class MeetingFilterForm(forms.Form):
    WHEN_CHOICES = [
        ("upcoming", gettext_lazy("Upcoming")),
        ("past", gettext_lazy("Past")),
        ("all", gettext_lazy("All")),
    ]
    when = forms.ChoiceField(label=gettext_lazy("Time"), choices=WHEN_CHOICES, required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All statuses")), *MeetingStatus.choices],
        required=False,
    )

    def value(self, name: str, default: str = "") -> str:
        """The chosen value, or the default when the parameter is missing or unknown."""
        self.is_valid()
        value: str = self.cleaned_data.get(name) or default
        return value


class AbsenceForm(forms.ModelForm[Absence]):
    class Meta:
        model = Absence
        fields = ["first_day", "last_day"]
        widgets = {"first_day": DateInput(), "last_day": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return data
