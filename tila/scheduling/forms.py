from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tila.meetings.forms import DateTimeLocalInput, MeetingForm
from tila.meetings.queries import Slot
from tila.scheduling.models import MAX_TIMES, Choice, PollTime, SchedulePoll

# Rows of candidate times shown at first, and added by "Add rows".
FIRST_ROWS = 4
MORE_ROWS = 3
# More rows than this are not shown, however many are asked for.
MOST_ROWS = MAX_TIMES + 5


class CandidateRow:
    """One row of the form: the start (date and time) and the end (a time that day)."""

    def __init__(self, number: int, start: str = "", end: str = "") -> None:
        self.number = number
        self.start = start
        self.end = end

    @property
    def empty(self) -> bool:
        return not self.start.strip() and not self.end.strip()


class PollForm(MeetingForm):
    """The poll's note, deadline and name visibility, with the candidate times as rows of
    ``start`` and ``end`` inputs (the names repeat, one pair per row)."""

    note = forms.CharField(
        label=gettext_lazy("Note to the group"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to the members with the times. Optional."),
    )
    deadline = forms.DateTimeField(label=gettext_lazy("Answers by"), widget=DateTimeLocalInput)
    show_names = forms.BooleanField(
        label=gettext_lazy("Members see each other's answers"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise members see only how many answered what. You always see the names."
        ),
    )

    def __init__(self, data: Any = None) -> None:
        soon = timezone.localdate() + timedelta(days=3)
        initial = {"deadline": datetime.combine(soon, time(16, 0))}
        super().__init__(data, initial=initial)
        self.rows = self._rows(data)
        self.times: list[Slot] = []

    def _rows(self, data: Any) -> list[CandidateRow]:
        if data is None:
            return [CandidateRow(number) for number in range(1, FIRST_ROWS + 1)]
        starts, ends = data.getlist("start"), data.getlist("end")
        count = max(len(starts), len(ends))
        rows = [
            CandidateRow(
                index + 1,
                starts[index] if index < len(starts) else "",
                ends[index] if index < len(ends) else "",
            )
            for index in range(count)
        ]
        if "more" in data:
            rows += [CandidateRow(count + n) for n in range(1, MORE_ROWS + 1)]
        return rows[:MOST_ROWS] if "more" in data else rows

    def full_clean(self) -> None:
        """Adding rows only shows the form again, without complaining of what is missing."""
        if self.is_bound and "more" in self.data:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for row in self.rows:
            if row.empty:
                continue
            slot = self._slot(row)
            if slot is not None:
                self.times.append(slot)
        if not self.errors and not self.times:
            self.add_error(None, _("Propose at least one candidate time."))
        return cleaned

    def _slot(self, row: CandidateRow) -> Slot | None:
        try:
            start = forms.DateTimeField().clean(row.start)
            end_clock = forms.TimeField().clean(row.end)
        except forms.ValidationError:
            self.add_error(
                None,
                _("Row %(row)s: give the date, the start and the end time.") % {"row": row.number},
            )
            return None
        local = timezone.localtime(start)
        end = timezone.make_aware(datetime.combine(local.date(), end_clock))
        return local, end


class AnswerForm(forms.Form):
    """A member's answer: yes, if needed or no for each candidate time."""

    def __init__(self, data: Any = None, *, times: list[PollTime], current: dict[int, str]) -> None:
        super().__init__(data)
        self.poll_times = times
        for poll_time in times:
            self.fields[f"time_{poll_time.uuid}"] = forms.ChoiceField(
                label=f"{poll_time.start:%Y-%m-%d %H:%M}",
                choices=Choice.choices,
                widget=forms.RadioSelect,
                initial=current.get(poll_time.pk),
                error_messages={"required": _("Answer this time too.")},
            )

    def rows(self) -> list[tuple[PollTime, forms.BoundField]]:
        return [(t, self[f"time_{t.uuid}"]) for t in self.poll_times]

    def answers(self) -> dict[PollTime, str]:
        return {t: self.cleaned_data[f"time_{t.uuid}"] for t in self.poll_times}


def chosen_times(poll: SchedulePoll, data: Any) -> list[PollTime]:
    """The poll's times ticked in the supervisor's decision; anything else is ignored."""
    wanted = set(data.getlist("time"))
    return [t for t in poll.times.all() if str(t.uuid) in wanted]
