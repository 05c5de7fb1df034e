from django import forms
from django.utils.translation import gettext_lazy

from tila.audit.models import Action


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("", gettext_lazy("All actions")), *Action.choices],
        required=False,
    )

    def value(self, name: str) -> str:
        """The chosen value, or "" when the parameter is missing or unknown."""
        self.is_valid()
        value: str = self.cleaned_data.get(name) or ""
        return value
