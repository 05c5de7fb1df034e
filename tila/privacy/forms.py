from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the erased data cannot be restored."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
