from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tila.clients.actions import NewPerson
from tila.clients.models import (
    Client,
    ClientKind,
    ClientMember,
    Contact,
    Organisation,
    Person,
)
from tila.lib.validators import normalise_business_id
from tila.practices.models import Practice


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "business_id",
            "street_address",
            "postal_code",
            "city",
            "billing_email",
            "einvoice_address",
            "einvoice_operator",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_business_id(self) -> str:
        value: str = self.cleaned_data["business_id"]
        return normalise_business_id(value) if value else ""

    def clean_einvoice_address(self) -> str:
        value: str = self.cleaned_data["einvoice_address"]
        return value.replace(" ", "").upper()


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]


class DateInput(forms.DateInput):
    """A native date picker; it sends and expects ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def short_date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class ClientForm(forms.ModelForm[Client]):
    """A client's own details; the orderer is chosen among the practice's organisations."""

    class Meta:
        model = Client
        fields = ["kind", "name", "organisation", "description"]
        labels = {"organisation": _("Orderer")}
        help_texts = {
            "name": _("For example the team's or the unit's name, or the supervisee's name."),
            "organisation": _("Leave empty when the supervisee orders and pays personally."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = cast(forms.ModelChoiceField[Organisation], self.fields["organisation"])
        organisation.queryset = Organisation.objects.in_practice(practice)
        organisation.empty_label = gettext("No orderer")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.instance.pk
            and data.get("kind") == ClientKind.INDIVIDUAL
            and self.instance.members.filter(left_on__isnull=True).count() > 1
        ):
            self.add_error(
                "kind",
                _(
                    "An individual client has one member, and this client has several. "
                    "End the other memberships first."
                ),
            )
        return data


class PersonForm(forms.ModelForm[Person]):
    """One row of a new client's members."""

    class Meta:
        model = Person
        fields = ["name", "email", "title", "phone", "language"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False  # Finnish unless chosen otherwise

    def has_changed(self) -> bool:
        """A row is filled in when it names someone; the language alone is no new member."""
        return any(name != "language" for name in self.changed_data)


class BaseMemberFormSet(forms.BaseFormSet[PersonForm]):
    """The member rows of a new client; rows left empty are ignored."""

    def filled_forms(self) -> list[PersonForm]:
        return [form for form in self.forms if form.has_changed()]

    def new_people(self) -> list[NewPerson]:
        return [
            NewPerson(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                title=form.cleaned_data["title"],
                phone=form.cleaned_data["phone"],
                language=form.cleaned_data["language"] or "fi",
            )
            for form in self.filled_forms()
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        emails = [form.cleaned_data["email"].lower() for form in self.filled_forms()]
        given = [email for email in emails if email]
        if len(given) != len(set(given)):
            raise ValidationError(_("The same email address is given for two members."))


MEMBER_ROWS_GROUP = 5
MEMBER_ROWS_MAX = 100


MemberFormSet = cast(
    type[BaseMemberFormSet],
    forms.formset_factory(
        PersonForm,
        formset=BaseMemberFormSet,
        extra=MEMBER_ROWS_GROUP,
        max_num=MEMBER_ROWS_MAX,
        validate_max=True,
        absolute_max=MEMBER_ROWS_MAX,
    ),
)


def member_formset(data: Any = None, *, rows: int = MEMBER_ROWS_GROUP) -> BaseMemberFormSet:
    """The member rows; ``rows`` empty rows when unbound (a bound formset keeps its own count)."""
    formset = MemberFormSet(data, prefix="members")
    formset.extra = max(1, min(rows, MEMBER_ROWS_MAX))
    return formset


class NewClientForm(ClientForm):
    """A client together with its members, validated as one."""

    members_since = forms.DateField(
        label=_("Members since"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "When these people became members. For a team that has been supervised "
            "before it came to Tila, give the date supervision started."
        ),
    )

    def __init__(self, *args: Any, members: BaseMemberFormSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["members_since"].initial = timezone.localdate()

    def clean_members_since(self) -> date | None:
        value: date | None = self.cleaned_data["members_since"]
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("kind") == ClientKind.INDIVIDUAL
            and self.members.is_valid()
            and len(self.members.filled_forms()) != 1
        ):
            self.add_error(
                "kind",
                _(
                    "An individual client has exactly one member: fill in one member "
                    "below, or choose a group, a team or a work community."
                ),
            )
        return data


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} ({obj.email})" if obj.email else obj.name


class AddMemberForm(forms.Form):
    """Add an existing person of the practice, or a new person, to a client."""

    person = PersonChoiceField(
        label=_("An existing person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("A new person (fill in below)"),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language of email"), choices=settings.LANGUAGES, initial="fi", required=False
    )
    joined_on = forms.DateField(label=_("Joins on"), widget=DateInput())

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"joined_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.client = client
        current = client.members.filter(left_on__isnull=True).values("person")
        person = cast(PersonChoiceField, self.fields["person"])
        person.queryset = Person.objects.in_practice(client.practice).exclude(pk__in=current)

    def new_person(self) -> NewPerson | None:
        if self.cleaned_data.get("person"):
            return None
        return NewPerson(
            name=self.cleaned_data["name"],
            email=self.cleaned_data["email"],
            title=self.cleaned_data["title"],
            phone=self.cleaned_data["phone"],
            language=self.cleaned_data.get("language") or "fi",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person: Person | None = data.get("person")
        details = [data.get(field) for field in ("name", "email", "title", "phone")]
        if person and any(details):
            raise ValidationError(
                _("Choose an existing person or fill in a new person's details, not both.")
            )
        if not person and not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("Give the new person's name, or choose an existing person."))
        if self.client.kind == ClientKind.INDIVIDUAL and self.client.current_members().exists():
            raise ValidationError(
                _(
                    "An individual client has one member. End the current membership first, "
                    "or change the client's kind."
                )
            )
        joined_on: date | None = data.get("joined_on")
        if person and joined_on:
            earlier = (
                person.memberships.filter(client=self.client, left_on__gt=joined_on)
                .order_by("-left_on")
                .first()
            )
            if earlier and earlier.left_on:
                self.add_error(
                    "joined_on",
                    _("%(name)s was a member until %(date)s; the new membership starts later.")
                    % {"name": person.name, "date": short_date(earlier.left_on)},
                )
        return data


class LeaveForm(forms.Form):
    """The date on which a member leaves; today when left empty."""

    left_on = forms.DateField(label=_("Leaves on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, member: ClientMember, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_left_on(self) -> date:
        left_on: date = self.cleaned_data["left_on"] or timezone.localdate()
        if self.member.left_on is not None:
            raise ValidationError(
                _("%(name)s already left on %(date)s.")
                % {"name": self.member.person.name, "date": short_date(self.member.left_on)}
            )
        if left_on < self.member.joined_on:
            raise ValidationError(
                _("The leaving date cannot be before the day %(name)s joined (%(date)s).")
                % {"name": self.member.person.name, "date": short_date(self.member.joined_on)}
            )
        if left_on > timezone.localdate():
            raise ValidationError(
                _("The leaving date cannot be in the future. Mark the member as left on the day.")
            )
        return left_on
