"""The form a supervisor builds her own questionnaire with: its titles, and its questions as
rows. A row that gives a section title starts a new section; rows left empty are skipped."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tila.evaluations.measures import Measure
from tila.evaluations.models import CHOICE_KINDS, NUMERIC_KINDS, ItemKind, Questionnaire

LABEL_MAX = 100
CHOICE_MAX = 200
CHOICES_MAX = 20
INTRO_MAX = 2000


class QuestionnaireForm(forms.Form):
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro_fi = forms.CharField(
        label=_("Introduction in Finnish"),
        max_length=INTRO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    intro_en = forms.CharField(
        label=_("Introduction in English"),
        max_length=INTRO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ItemForm(forms.Form):
    """One question. Every field is optional here: ``clean`` tells an empty row from one that
    lacks its question."""

    section_fi = forms.CharField(
        label=_("Starts a new section, titled (Finnish)"), max_length=200, required=False
    )
    section_en = forms.CharField(
        label=_("Section title in English"), max_length=200, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, required=False)
    text_fi = forms.CharField(label=_("Question in Finnish"), max_length=500, required=False)
    text_en = forms.CharField(label=_("Question in English"), max_length=500, required=False)
    low_fi = forms.CharField(
        label=_("Label of the low end in Finnish"), max_length=LABEL_MAX, required=False
    )
    low_en = forms.CharField(
        label=_("Label of the low end in English"), max_length=LABEL_MAX, required=False
    )
    high_fi = forms.CharField(
        label=_("Label of the high end in Finnish"), max_length=LABEL_MAX, required=False
    )
    high_en = forms.CharField(
        label=_("Label of the high end in English"), max_length=LABEL_MAX, required=False
    )
    choices_fi = forms.CharField(
        label=_("Choices in Finnish, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    choices_en = forms.CharField(
        label=_("Choices in English, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) for name in self.fields if name not in ("kind", "required", "DELETE")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank() or data.get("DELETE"):
            return data
        kind = data.get("kind") or ItemKind.SCALE_10
        data["kind"] = kind
        if not data.get("text_fi"):
            self.add_error("text_fi", _("Write the question in Finnish."))
        if kind in CHOICE_KINDS:
            self._clean_choices(data)
        return data

    def _clean_choices(self, data: dict[str, Any]) -> None:
        finnish = _lines(data.get("choices_fi", ""))
        english = _lines(data.get("choices_en", ""))
        if len(finnish) < 2:
            self.add_error("choices_fi", _("Give at least two choices, one per line."))
        elif len(finnish) > CHOICES_MAX:
            self.add_error("choices_fi", _("At most %(max)s choices.") % {"max": CHOICES_MAX})
        if english and len(english) != len(finnish):
            self.add_error(
                "choices_en", _("Give the English choices in the same number and order.")
            )
        for name, lines in (("choices_fi", finnish), ("choices_en", english)):
            if any(len(line) > CHOICE_MAX for line in lines):
                self.add_error(
                    name, _("A choice can be at most %(max)s characters.") % {"max": CHOICE_MAX}
                )

    def item(self) -> dict[str, Any]:
        """The row as an item of ``tila.evaluations.measures``."""
        data = self.cleaned_data
        kind = data["kind"]
        item: dict[str, Any] = {
            "kind": kind,
            "fi": data["text_fi"],
            "en": data["text_en"],
            "required": data["required"],
        }
        if kind in NUMERIC_KINDS:
            item.update(
                low_fi=data["low_fi"],
                low_en=data["low_en"],
                high_fi=data["high_fi"],
                high_en=data["high_en"],
            )
        if kind in CHOICE_KINDS:
            english = _lines(data["choices_en"])
            item["choices"] = [
                {"fi": finnish, "en": english[index] if english else ""}
                for index, finnish in enumerate(_lines(data["choices_fi"]))
            ]
        return item


class BaseItemFormSet(forms.BaseFormSet[ItemForm]):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.kept():
            raise forms.ValidationError(_("Add at least one question."))

    def kept(self) -> list[ItemForm]:
        return [
            form
            for form in self.forms
            if not form.is_blank() and not form.cleaned_data.get("DELETE")
        ]

    def sections(self) -> list[dict[str, Any]]:
        sections: list[dict[str, Any]] = []
        for form in self.kept():
            data = form.cleaned_data
            if not sections or data["section_fi"] or data["section_en"]:
                sections.append(
                    {"title_fi": data["section_fi"], "title_en": data["section_en"], "items": []}
                )
            sections[-1]["items"].append(form.item())
        return sections


ItemFormSet: type[BaseItemFormSet] = formset_factory(  # type: ignore[assignment]
    ItemForm, formset=BaseItemFormSet, extra=1, can_delete=True, max_num=100, validate_max=True
)


def initial_rows(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The questionnaire's items as rows of the form."""
    rows = []
    for section in questionnaire.sections.order_by("position"):
        for position, item in enumerate(section.items.order_by("position")):
            rows.append(
                {
                    "section_fi": section.title_fi if position == 0 else "",
                    "section_en": section.title_en if position == 0 else "",
                    "kind": item.kind,
                    "text_fi": item.text_fi,
                    "text_en": item.text_en,
                    "low_fi": item.low_label_fi,
                    "low_en": item.low_label_en,
                    "high_fi": item.high_label_fi,
                    "high_en": item.high_label_en,
                    "choices_fi": "\n".join(choice.get("fi", "") for choice in item.choices),
                    "choices_en": "\n".join(choice.get("en", "") for choice in item.choices),
                    "required": item.required,
                }
            )
    return rows


def rows_with_another(formset: BaseItemFormSet) -> list[dict[str, Any]]:
    """The rows as typed so far, without those marked for removal, for adding another."""
    rows = []
    for form in formset.forms:
        row = {name: form[name].value() for name in ItemForm.base_fields}
        if not form["DELETE"].value():
            rows.append(row)
    return rows


def measure_from(form: QuestionnaireForm, formset: BaseItemFormSet) -> Measure:
    return {**form.cleaned_data, "sections": formset.sections()}
