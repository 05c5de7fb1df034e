from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.lib.validators import normalise_bic, normalise_business_id, normalise_iban
from tila.practices.models import Practice, Service


class PracticeForm(forms.ModelForm[Practice]):
    class Meta:
        model = Practice
        fields = [
            "name",
            "business_id",
            "vat_registered",
            "street_address",
            "postal_code",
            "city",
            "email",
            "phone",
            "website",
            "iban",
            "bic",
            "bio",
            "approach",
            "qualifications",
            "associations",
            "training",
            "areas",
            "languages",
        ]
        widgets = {
            field: forms.Textarea(attrs={"rows": 4})
            for field in ["bio", "approach", "qualifications", "associations", "training", "areas"]
        }

    def clean_business_id(self) -> str:
        value: str = self.cleaned_data["business_id"]
        return normalise_business_id(value) if value else ""

    def clean_iban(self) -> str:
        value: str = self.cleaned_data["iban"]
        return normalise_iban(value) if value else ""

    def clean_bic(self) -> str:
        value: str = self.cleaned_data["bic"]
        return normalise_bic(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("bic") and not data.get("iban"):
            self.add_error("iban", _("Give the IBAN of the account that the BIC belongs to."))
        return data


class ServiceForm(forms.ModelForm[Service]):
    class Meta:
        model = Service
        fields = ["name", "form", "minutes", "price", "vat_treatment", "description", "active"]
        # Finnish prices are written with a decimal comma (240,00); a point works too.
        localized_fields = ["price"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "price": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
