"""The contracts a person is a party to.

Contracts are bookkeeping records (with the invoices they explain, kept six years after the
end of the financial year): erasing a person keeps them, and replaces her name wherever it
is written, in the titles, the acceptances, the history and the frozen versions."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.clients.models import Contact, Person
from tila.contracts.models import Acceptance, Contract, ContractEvent, ContractVersion
from tila.lib.privacy import Counts, PlanLine, Section, blank_keys, item, replace_name

Subject = Person | Contact


def subject_contracts(subject: Subject) -> QuerySet[Contract]:
    """A supervisee's: the contracts of every client she is or was a member of; a contact
    person's: the contracts she is the orderer's contact person of."""
    if isinstance(subject, Contact):
        return Contract.objects.filter(orderer_contact=subject)
    return Contract.objects.filter(
        practice=subject.practice, client__members__person=subject
    ).distinct()


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    contracts = (
        subject_contracts(subject).select_related("client").prefetch_related("supervisors", "goals")
    )
    section = Section(
        key="contracts",
        title=_("Contracts"),
        about=_("The supervision contracts you are a party to."),
    )
    for contract in contracts.order_by("start_date", "id"):
        section.records.append(
            [
                item("title", _("Title"), contract.title),
                item("form", _("Form of supervision"), contract.get_form_display()),
                item("status", _("Status"), contract.get_status_display()),
                item("client", _("Client"), contract.client.name),
                item("start_date", _("Starts"), contract.start_date),
                item("end_date", _("Ends"), contract.end_date),
                item("meeting_count", _("Number of meetings"), contract.meeting_count),
                item(
                    "supervisors",
                    _("Supervisors"),
                    sorted(user.name for user in contract.supervisors.all()),
                ),
                item("goals", _("Goals"), [goal.text for goal in contract.goals.all()]),
            ]
        )
    acceptances = Section(
        key="acceptances",
        title=_("Acceptances"),
        about=_("Contract versions accepted in your name."),
        records=[
            [
                item("contract", _("Contract"), acceptance.contract.title),
                item("version", _("Version"), acceptance.version),
                item("party", _("Party"), acceptance.get_party_display()),
                item("accepted_at", _("Accepted at"), acceptance.accepted_at),
            ]
            for acceptance in _acceptances(subject).select_related("contract")
        ],
    )
    return [section, acceptances]


def _acceptances(subject: Subject) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(
        contract__in=subject_contracts(subject), accepted_by_name=subject.name
    ).order_by("accepted_at", "id")


def plan_erasure(subject: Subject) -> list[PlanLine]:
    count = subject_contracts(subject).count()
    return [
        PlanLine(
            ngettext(
                "%(count)d contract, with the name replaced by the pseudonym",
                "%(count)d contracts, with the name replaced by the pseudonym",
                count,
            )
            % {"count": count},
            erase=False,
            reason=_(
                "Contracts are bookkeeping records, kept for six years after the end of the "
                "financial year."
            ),
        )
    ]


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    name = subject.name
    contracts = list(subject_contracts(subject))
    acceptances = _acceptances(subject).update(accepted_by_name=pseudonym)
    for contract in contracts:
        title = replace_name(contract.title, name, pseudonym)
        if title != contract.title:
            Contract.objects.filter(pk=contract.pk).update(title=title)
    for event in ContractEvent.objects.filter(contract__in=contracts):
        data = replace_name(event.data, name, pseudonym)
        if data != event.data:
            ContractEvent.objects.filter(pk=event.pk).update(data=data)
    for version in ContractVersion.objects.filter(contract__in=contracts):
        terms = replace_name(version.terms, name, pseudonym)
        terms = blank_keys(terms, {"email", "phone", "role"}, {"name": pseudonym})
        if terms != version.terms:
            ContractVersion.objects.filter(pk=version.pk).update(terms=terms)
    return {"contracts": len(contracts), "acceptances": acceptances}
