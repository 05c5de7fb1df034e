from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.lib.validators import (
    normalise_bic,
    normalise_business_id,
    normalise_einvoice_operator,
    normalise_iban,
    normalise_ovt,
)
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
            "einvoice_address",
            "einvoice_operator",
            "reminder_fee",
            "bio",
            "approach",
            "qualifications",
            "associations",
            "training",
            "areas",
            "languages",
        ]
        localized_fields = ["reminder_fee"]
        widgets = {
            **{
                field: forms.Textarea(attrs={"rows": 4})
                for field in [
                    "bio",
                    "approach",
                    "qualifications",
                    "associations",
                    "training",
                    "areas",
                ]
            },
            "reminder_fee": forms.TextInput(attrs={"inputmode": "decimal"}),
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

    def clean_einvoice_address(self) -> str:
        value: str = self.cleaned_data["einvoice_address"]
        return normalise_ovt(value) if value else ""

    def clean_einvoice_operator(self) -> str:
        value: str = self.cleaned_data["einvoice_operator"]
        return normalise_einvoice_operator(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("bic") and not data.get("iban"):
            self.add_error("iban", _("Give the IBAN of the account that the BIC belongs to."))
        address, operator = data.get("einvoice_address"), data.get("einvoice_operator")
        if address and not operator and "einvoice_operator" not in self.errors:
            self.add_error(
                "einvoice_operator", _("Give the operator that sends from this e-invoice address.")
            )
        if operator and not address and "einvoice_address" not in self.errors:
            self.add_error(
                "einvoice_address", _("Give the e-invoice address the operator sends from.")
            )
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
