from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tila.evaluations.measures import GOAL_ATTAINMENT, MEASURES
from tila.evaluations.models import (
    SHORT_TEXT_MAX_CHARS,
    TEXT_MAX_CHARS,
    EvaluationRound,
    EvaluationSchedule,
    Item,
    ItemKind,
    Questionnaire,
)

# The value of one of the practice's own questionnaires in ``OpenRoundForm``.
OWN_PREFIX = "own-"

MEASURE_LABELS = {
    "session_feedback": _("Feedback on the meeting (4 questions on 0–10, one open question)"),
    "baseline": _("Where we start, and what changed (at the start and at the end)"),
    "interim": _("Interim evaluation: cooperation and goals, with open questions"),
    "final": _("Final evaluation: cooperation and goals, with open questions"),
    GOAL_ATTAINMENT: _("Reaching the goals: one question on 0–10 for each goal of the contract"),
}


ANONYMOUS_HELP = _(
    "Nobody, you included, can see who answered what. Unticked, you see each person's answers "
    "with her name as they arrive; the group's results still wait for enough answers."
)


class OpenRoundForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Questionnaire"),
        choices=[(key, MEASURE_LABELS[key]) for key in [*MEASURES, GOAL_ATTAINMENT]],
    )
    anonymous = forms.BooleanField(
        label=pgettext_lazy("evaluation", "Anonymous"),
        required=False,
        initial=True,
        help_text=ANONYMOUS_HELP,
    )
    k = forms.IntegerField(
        label=_("Show group results from this many answers"),
        min_value=3,
        max_value=50,
        initial=3,
    )

    def __init__(self, *args: Any, own: "list[Questionnaire] | None" = None, **kwargs: Any) -> None:
        """``own``: the practice's own questionnaires, offered after Tila's measures."""
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        field.choices = [  # type: ignore[attr-defined]
            *field.choices,  # type: ignore[attr-defined]
            *((f"{OWN_PREFIX}{found.uuid}", found.title) for found in own or []),
        ]


class ScheduleForm(forms.ModelForm[EvaluationSchedule]):
    prefix = "schedule"  # on the same page as OpenRoundForm, which has fields of these names

    class Meta:
        model = EvaluationSchedule
        fields = [
            "at_start",
            "interim_after_meetings",
            "interim_on",
            "final",
            "session_feedback",
            "anonymous",
            "k",
        ]
        widgets = {"interim_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "interim_after_meetings": _(
                "Leave both empty for the contract's evaluation interval from the start."
            ),
            "anonymous": ANONYMOUS_HELP,
        }

    def clean_k(self) -> int:
        k: int = self.cleaned_data["k"]
        if not 3 <= k <= 50:
            raise forms.ValidationError(_("Results can be shown from 3 to 50 answers."))
        return k

    def clean_interim_after_meetings(self) -> int | None:
        value: int | None = self.cleaned_data.get("interim_after_meetings")
        if value is not None and value < 1:
            raise forms.ValidationError(_("At least one meeting."))
        return value


def _field_name(item: Item) -> str:
    return f"item-{item.uuid.hex}"


class AnswerForm(forms.Form):
    """The questionnaire's items as fields."""

    def __init__(
        self, evaluation: EvaluationRound | Questionnaire, *args: Any, **kwargs: Any
    ) -> None:
        """For a round, or for a questionnaire itself (its preview)."""
        super().__init__(*args, **kwargs)
        questionnaire = (
            evaluation if isinstance(evaluation, Questionnaire) else evaluation.questionnaire
        )
        self.items = list(
            Item.objects.filter(section__questionnaire=questionnaire)
            .select_related("section")
            .order_by("section__position", "position")
        )
        for item in self.items:
            self.fields[_field_name(item)] = self._field(item)

    @staticmethod
    def _field(item: Item) -> forms.Field:
        common: dict[str, Any] = {"label": item.text, "required": item.required}
        if item.is_numeric:
            labels = {item.scale[0]: item.low_label, item.scale[-1]: item.high_label}
            return forms.TypedChoiceField(
                choices=[(value, str(value)) for value in item.scale],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "scale-choice"}),
                help_text=" – ".join(
                    f"{value} = {label}" for value, label in labels.items() if label
                ),
                **common,
            )
        choices = list(enumerate(item.choice_labels))
        if item.kind == ItemKind.SINGLE:
            return forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        if item.kind == ItemKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        if item.kind == ItemKind.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX_CHARS, strip=True, **common)
        return forms.CharField(
            max_length=TEXT_MAX_CHARS,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 4}),
            **common,
        )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The bound fields grouped by section, in order."""
        grouped: list[tuple[Any, list[forms.BoundField]]] = []
        for item in self.items:
            if not grouped or grouped[-1][0].pk != item.section_id:
                grouped.append((item.section, []))
            grouped[-1][1].append(self[_field_name(item)])
        return grouped

    def values(self) -> dict[Item, Any]:
        return {item: self.cleaned_data.get(_field_name(item)) for item in self.items}
