from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, BoundField, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import User
from tila.clients.models import Client, Contact, Organisation
from tila.contracts.models import (
    DEFAULT_CONFIDENTIALITY,
    DEFAULT_DISSATISFACTION,
    DEFAULT_INTERRUPTION,
    Contract,
    FrameworkAgreement,
    FrameworkPriceLine,
    Goal,
    Party,
    PriceLine,
    Status,
)
from tila.lib.templatetags.tila import short_date
from tila.practices.models import Membership, Role, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The form's fieldsets in the order of the page; goals and price lines are formsets.
FIELDSETS: list[tuple[str, Any, list[str]]] = [
    (
        "parties",
        _("Parties"),
        [
            "client",
            "service",
            "title",
            "form",
            "status",
            "organisation",
            "orderer_contact",
            "supervisors",
        ],
    ),
    (
        "duration",
        _("Duration and meetings"),
        [
            "start_date",
            "end_date",
            "meeting_count",
            "meeting_minutes",
            "rhythm_weeks",
            "scheduling",
        ],
    ),
    ("place", _("Place"), ["place_kind", "place", "remote_link"]),
    ("goals", _("Goals"), []),
    (
        "evaluation",
        _("Evaluation and methods"),
        [
            "evaluation_plan",
            "evaluation_interval_months",
            "evaluation_summary_to_orderer",
            "methods",
        ],
    ),
    (
        "price",
        _("Price and payment"),
        ["payment_terms_days", "buyer_reference", "order_number", "cost_centre", "travel"],
    ),
    (
        "cancellations",
        _("Cancellations"),
        ["cancellation_notice_hours", "late_cancellation_percent"],
    ),
    (
        "confidentiality",
        _("The orderer and confidentiality"),
        [
            "orderer_visibility",
            "invitations_to_orderer",
            "confidentiality",
            "earlier_relationships",
        ],
    ),
    (
        "interruption",
        _("Interruption and dissatisfaction"),
        ["interruption_procedure", "dissatisfaction_procedure"],
    ),
]


class ContactChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class AgreementChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: FrameworkAgreement) -> str:
        return (
            f"{obj} ({obj.organisation.name}, "
            f"{short_date(obj.valid_from)}–{short_date(obj.valid_until)})"
        )


class SupervisorChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


class ContractForm(forms.ModelForm[Contract]):
    """All the terms of a contract. Choices are limited to the member's own practice."""

    class Meta:
        model = Contract
        fields = [name for _key, _heading, names in FIELDSETS for name in names] + [
            "framework_agreement"
        ]
        field_classes = {
            "framework_agreement": AgreementChoiceField,
            "orderer_contact": ContactChoiceField,
            "supervisors": SupervisorChoiceField,
        }
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "supervisors": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "scheduling",
                    "evaluation_plan",
                    "methods",
                    "travel",
                    "earlier_relationships",
                    "interruption_procedure",
                    "dissatisfaction_procedure",
                ]
            },
            "confidentiality": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        practice = membership.practice
        creating = self.instance.pk is None
        fields = self.fields
        fields["client"].queryset = Client.objects.in_practice(practice)  # type: ignore[attr-defined]
        fields["service"].queryset = Service.objects.filter(practice=practice).filter(  # type: ignore[attr-defined]
            Q(active=True) | Q(pk=self.instance.service_id)
        )
        fields["service"].help_text = _("The service of the catalogue this contract is made for.")
        fields["organisation"].queryset = Organisation.objects.in_practice(practice)  # type: ignore[attr-defined]
        fields["orderer_contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            organisation__practice=practice
        ).select_related("organisation")
        fields["orderer_contact"].help_text = _("Must be a contact person of the orderer above.")
        # Only an agreement valid today can be picked; one picked earlier stays as it is.
        fields["framework_agreement"].queryset = (  # type: ignore[attr-defined]
            FrameworkAgreement.objects.in_practice(practice)
            .filter(
                Q(valid_from__lte=timezone.localdate(), valid_until__gte=timezone.localdate())
                | Q(pk=self.instance.framework_agreement_id)
            )
            .select_related("organisation")
        )
        fields["framework_agreement"].error_messages["invalid_choice"] = _(
            "Choose a framework agreement that is valid today: an expired one cannot be picked."
        )
        fields["supervisors"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                memberships__practice=practice,
                memberships__role__in=[Role.OWNER, Role.SUPERVISOR],
            )
            .order_by("name")
            .distinct()
        )
        if creating:
            fields["status"].choices = [  # type: ignore[attr-defined]
                (Status.DRAFT.value, Status.DRAFT.label),
                (Status.TRIAL.value, Status.TRIAL.label),
            ]
            fields["status"].help_text = _(
                "A trial contract covers the first mapping meetings (1–3)."
            )
            for name, value in {
                "meeting_count": 10,
                "confidentiality": DEFAULT_CONFIDENTIALITY,
                "interruption_procedure": DEFAULT_INTERRUPTION,
                "dissatisfaction_procedure": DEFAULT_DISSATISFACTION,
                "supervisors": [membership.user],
            }.items():
                self.initial.setdefault(name, value)
        else:
            del fields["status"]

    def fieldsets(self) -> list[tuple[str, Any, list[BoundField]]]:
        return [
            (key, heading, [self[name] for name in names if name in self.fields])
            for key, heading, names in FIELDSETS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        organisation, contact = data.get("organisation"), data.get("orderer_contact")
        agreement = data.get("framework_agreement")
        if agreement is not None and agreement.organisation != organisation:
            self.add_error(
                "framework_agreement",
                _("This framework agreement is with another orderer than the one chosen."),
            )
        if contact is not None and contact.organisation != organisation:
            self.add_error(
                "orderer_contact",
                _("This contact person does not belong to the chosen orderer."),
            )
        supervisors = data.get("supervisors")
        if (
            supervisors is not None
            and self.membership.role == Role.SUPERVISOR
            and self.membership.user not in supervisors
        ):
            self.add_error(
                "supervisors",
                _("Include yourself: you see only the contracts that you supervise."),
            )
        return data


class StartFromForm(forms.Form):
    """A GET form that fills in a new contract from a client and a catalogue service."""

    client = forms.ModelChoiceField(
        label=_("Client"), queryset=Client.objects.none(), to_field_name="uuid"
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, to_field_name="uuid"
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs["auto_id"] = "start_%s"  # the contract form below has its own client field
        super().__init__(*args, **kwargs)
        practice = membership.practice
        self.fields["client"].queryset = Client.objects.in_practice(practice)  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            practice=practice, active=True
        )


class GoalForm(forms.ModelForm[Goal]):
    class Meta:
        model = Goal
        fields = ["text", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class PriceLineForm(forms.ModelForm[PriceLine]):
    class Meta:
        model = PriceLine
        fields = ["description", "unit", "unit_price", "vat_treatment", "is_travel"]
        # Finnish prices are written with a decimal comma (240,00); a point works too.
        localized_fields = ["unit_price"]
        widgets = {"unit_price": forms.TextInput(attrs={"inputmode": "decimal"})}


class FrameworkAgreementForm(forms.ModelForm[FrameworkAgreement]):
    class Meta:
        model = FrameworkAgreement
        fields = ["title", "lot", "valid_from", "valid_until", "buyer_reference", "order_number"]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("The agreement must end on or after the day it starts.")
            )
        return data


class FrameworkPriceLineForm(forms.ModelForm[FrameworkPriceLine]):
    class Meta:
        model = FrameworkPriceLine
        fields = ["description", "unit", "unit_price", "vat_treatment", "is_travel"]
        localized_fields = ["unit_price"]
        widgets = {"unit_price": forms.TextInput(attrs={"inputmode": "decimal"})}


FrameworkPriceLineFormSet = inlineformset_factory(
    FrameworkAgreement,
    FrameworkPriceLine,
    form=FrameworkPriceLineForm,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


def framework_price_formset(
    data: Any, agreement: FrameworkAgreement | None
) -> BaseInlineFormSet[FrameworkPriceLine, FrameworkAgreement, FrameworkPriceLineForm]:
    return FrameworkPriceLineFormSet(data, instance=agreement, prefix="prices")


GoalFormSet = inlineformset_factory(
    Contract, Goal, form=GoalForm, extra=0, can_delete=True, max_num=30, validate_max=True
)
PriceLineFormSet = inlineformset_factory(
    Contract,
    PriceLine,
    form=PriceLineForm,
    extra=0,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


def goal_formset(
    data: Any, contract: Contract | None, extra: int = 1
) -> BaseInlineFormSet[Goal, Contract, GoalForm]:
    formset = GoalFormSet(data, instance=contract, prefix="goals")
    formset.extra = extra
    return formset


def price_formset(
    data: Any, contract: Contract | None, initial: list[dict[str, Any]] | None = None
) -> BaseInlineFormSet[PriceLine, Contract, PriceLineForm]:
    # Rows pre-filled from the service are extra rows; on POST they arrive as plain data.
    formset = PriceLineFormSet(data, instance=contract, prefix="prices", initial=initial)
    formset.extra = max(1, len(initial or []))
    return formset


def kept_rows(formset: BaseInlineFormSet[Any, Any, Any]) -> list[Any]:
    """The rows to save from a valid formset: not deleted, and not a blank new row."""
    rows = []
    for form in formset.forms:
        if form.instance.pk is None and not form.has_changed():
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        rows.append(form.instance)
    return rows


class AcceptanceForm(forms.Form):
    """One party's acceptance of the current version, recorded by the supervisor."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    accepted_by_name = forms.CharField(
        label=_("Accepted by"),
        max_length=200,
        help_text=_("The name of the person who accepted on behalf of the party."),
    )
    accepted_at = forms.DateTimeField(label=_("Accepted at"), widget=DATETIME)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", contract.version)
        self.initial.setdefault(
            "accepted_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        if contract.organisation_id is None:
            self.fields["party"].choices = [  # type: ignore[attr-defined]
                choice for choice in Party.choices if choice[0] != Party.ORDERER
            ]

    def clean_accepted_at(self) -> Any:
        value = self.cleaned_data["accepted_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("An acceptance cannot be in the future."))
        return value
