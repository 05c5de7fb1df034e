from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.billing.models import SentVia
from tila.clients.models import Organisation
from tila.contracts.models import Contract
from tila.practices.models import VatTreatment


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProposalForm(forms.Form):
    """What to bill: one contract, or every open contract of one orderer, for a period."""

    contract = forms.ModelChoiceField(
        queryset=Contract.objects.none(),
        required=False,
        label=_("Contract"),
        to_field_name="uuid",
        empty_label=_("— all contracts of the orderer —"),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Orderer"),
        to_field_name="uuid",
        empty_label=_("— choose —"),
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())

    def __init__(self, *args: Any, contracts: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contract") and not data.get("organisation"):
            raise forms.ValidationError(_("Choose a contract or an orderer."))
        start: date | None = data.get("period_start")
        end: date | None = data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after the day it starts."))
        return data


class LineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200)
    service_date = forms.DateField(label=_("Date of supply"), required=False, widget=DateInput())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=20, initial=_("pcs"))
    unit_price = forms.DecimalField(
        label=_("Unit price (without VAT)"), max_digits=10, decimal_places=2, min_value=0
    )
    vat_treatment = forms.ChoiceField(label=_("VAT treatment"), choices=VatTreatment.choices)


class IssueForm(forms.Form):
    use_rf_reference = forms.BooleanField(
        label=_("Use the international RF reference"), required=False
    )


class SentForm(forms.Form):
    via = forms.ChoiceField(label=_("How was it sent?"), choices=SentVia.choices)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (€)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())


class PeriodForm(forms.Form):
    """The period a report covers: by default the twelve months ending with today's."""

    start = forms.DateField(label=_("Period from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Period to"), required=False, widget=DateInput())

    def __init__(self, *args: Any, today: date, longest_days: int = 3 * 366, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month = today.year * 12 + today.month - 12  # the month index eleven months back
        self.default = (date(month // 12, month % 12 + 1, 1), today)
        self.longest_days = longest_days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date = data.get("start") or self.default[0]
        end: date = data.get("end") or self.default[1]
        if end < start:
            self.add_error("end", _("The period must end on or after the day it starts."))
        elif (end - start).days > self.longest_days:
            self.add_error("end", _("Choose a period of at most three years."))
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date]:
        """The chosen period if it is valid, else the default one."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default


class SupervisingLogForm(PeriodForm):
    names = forms.BooleanField(
        label=_("Show the clients' names"),
        required=False,
        help_text=_("Without names, clients are numbered in the order they first appear."),
    )

    def show_names(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("names"))


class ReminderForm(forms.Form):
    fee = forms.DecimalField(
        label=_("Reminder fee (€)"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("No VAT. The practice's default is set in its details."),
    )
    by_email = forms.BooleanField(label=_("Send by email"), required=False, initial=True)
