from django import forms
from django.utils.translation import gettext_lazy as _

from tila.lib.identifiers import identity_codes

MAX_STATEMENT_LENGTH = 5_000


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=MAX_STATEMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "A general view of the supervision, e.g. whether it is useful and should "
            "continue. Nothing anyone said in the meetings."
        ),
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if identity_codes(text):
            raise forms.ValidationError(
                _("The text holds a personal identity code. Remove it before saving.")
            )
        return text
