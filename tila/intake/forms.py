import re
from datetime import date, time
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import User
from tila.intake.models import Availability, InquiryStatus
from tila.practices.models import Role

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
DAY = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
DAY_RANGE = re.compile(rf"^\s*{DAY}\s*(?:[-–]\s*{DAY})?\s*$")


class ConvertInquiryForm(forms.Form):
    client_name = forms.CharField(label=_("Client's name"), max_length=200)
    title = forms.CharField(label=_("Contract title"), max_length=200)
    meeting_count = forms.IntegerField(
        label=_("Number of meetings"), min_value=1, max_value=10, initial=2
    )
    start_date = forms.DateField(
        label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class InquiryStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label)
            for value, label in InquiryStatus.choices
            if value != InquiryStatus.CONVERTED
        ],
    )


def parse_days_off(text: str) -> list[tuple[date, date]]:
    """Lines of "24.12.2026" or "22.12.2026–6.1.2027"; raises ValueError naming a bad line."""
    ranges: list[tuple[date, date]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        found = DAY_RANGE.match(line)
        if found is None:
            raise ValueError(line.strip())
        numbers = [int(part) if part else 0 for part in found.groups()]
        try:
            first = date(numbers[2], numbers[1], numbers[0])
            last = date(numbers[5], numbers[4], numbers[3]) if numbers[3] else first
        except ValueError:
            raise ValueError(line.strip()) from None
        if last < first:
            raise ValueError(line.strip())
        ranges.append((first, last))
    return ranges


class AvailabilityForm(forms.ModelForm[Availability]):
    """The public page's switches, the booking rules and the weekly hours in one form."""

    days_off = forms.CharField(
        label=_("Days off"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One day or period a line, e.g. 24.12.2026 or 22.12.2026–6.1.2027. Finnish "
            "public holidays and the supervisor's absences (Practice → My absences) are left "
            "out automatically."
        ),
    )

    class Meta:
        model = Availability
        fields = [
            "published",
            "booking_open",
            "supervisor",
            "slot_minutes",
            "buffer_minutes",
            "min_notice_hours",
            "horizon_days",
            "how",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        availability = self.instance
        supervisor_field = cast(forms.ModelChoiceField[User], self.fields["supervisor"])
        supervisor_field.queryset = User.objects.filter(
            memberships__practice=availability.practice,
            memberships__role__in=[Role.OWNER, Role.SUPERVISOR],
        )
        hours = {row.weekday: row for row in availability.weekly_hours.all()}
        for index, label in enumerate(WEEKDAYS):
            row = hours.get(index)
            self.fields[f"starts_{index}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": label},
                required=False,
                initial=row.starts if row else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"ends_{index}"] = forms.TimeField(
                label=_("%(day)s until") % {"day": label},
                required=False,
                initial=row.ends if row else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
        self.fields["days_off"].initial = "\n".join(
            f"{d.first_day:%-d.%-m.%Y}"
            + ("" if d.last_day == d.first_day else f"–{d.last_day:%-d.%-m.%Y}")
            for d in availability.days_off.all()
        )

    def settings_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def weekday_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(label), self[f"starts_{index}"], self[f"ends_{index}"])
            for index, label in enumerate(WEEKDAYS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: list[tuple[int, time, time]] = []
        for index in range(7):
            starts, ends = data.get(f"starts_{index}"), data.get(f"ends_{index}")
            if starts is None and ends is None:
                continue
            if starts is None or ends is None:
                self.add_error(f"ends_{index}", _("Give both the start and the end, or neither."))
            elif ends <= starts:
                self.add_error(f"ends_{index}", _("The hours must end after they start."))
            else:
                hours.append((index, starts, ends))
        data["hours"] = hours
        try:
            data["day_ranges"] = parse_days_off(data.get("days_off", ""))
        except ValueError as error:
            self.add_error(
                "days_off",
                _("This line is not a day or a period: %(line)s") % {"line": error.args[0]},
            )
        return data
