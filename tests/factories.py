"""Plain builders for test data. Each returns saved objects; nothing here is mocked."""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt

from tila.accounts.models import User
from tila.clients.models import Client, ClientKind, ClientMember, Contact, Organisation, Person
from tila.contracts.models import Contract, Goal, GoalVisibility, PriceLine, Status
from tila.meetings.models import Meeting
from tila.practices.models import Form, Membership, Practice, Role, Service, VatTreatment

HELSINKI = ZoneInfo("Europe/Helsinki")
PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, name=name)


def make_practice(slug: str, name: str) -> Practice:
    return Practice.objects.create(
        slug=slug,
        name=name,
        business_id="2428135-3",
        iban="FI2112345600000785",
        bic="NDEAFIHH",
        city="Tampere",
    )


def add_member(practice: Practice, user: User, role: str = Role.OWNER) -> Membership:
    """A member of a practice, with the authenticator app every member must have."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        enrol_totp(user)
    return Membership.objects.create(practice=practice, user=user, role=role)


def enrol_totp(user: User, secret: str | None = None) -> Authenticator:
    """Turn on an authenticator app for the user, the way allauth's enrolment does."""
    return TOTP.activate(user, secret or generate_totp_secret()).instance


def totp_secret(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods later; allauth
    accepts one period either side, so a test can log in twice within 30 seconds without
    reusing a code)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))


def make_service(practice: Practice) -> Service:
    return Service.objects.create(
        practice=practice,
        name="Tiimityönohjaus 90 min",
        form=Form.TEAM,
        minutes=90,
        price=Decimal("240.00"),
        vat_treatment=VatTreatment.STANDARD,
    )


def make_organisation(practice: Practice, name: str = "Tampereen kaupunki") -> Organisation:
    return Organisation.objects.create(
        practice=practice, name=name, business_id="0211675-2", city="Tampere"
    )


def make_contact(organisation: Organisation) -> Contact:
    return Contact.objects.create(
        organisation=organisation,
        name="Kaisa Esimies",
        email="kaisa@example.test",
        role="päiväkodin johtaja",
    )


def make_team(practice: Practice, organisation: Organisation | None, size: int = 5) -> Client:
    client = Client.objects.create(
        practice=practice,
        kind=ClientKind.TEAM,
        name="Päiväkoti Kuusela, Oravat",
        organisation=organisation,
    )
    number = Client.objects.filter(practice=practice).count()
    for index in range(size):
        person = Person.objects.create(
            practice=practice,
            name=f"Jäsen {index + 1}",
            email=f"member{index + 1}.team{number}.{practice.slug}@example.test",
        )
        ClientMember.objects.create(client=client, person=person, joined_on=date(2026, 1, 1))
    return client


def make_contract(
    practice: Practice,
    client: Client,
    supervisor: User,
    organisation: Organisation | None = None,
    contact: Contact | None = None,
    status: str = Status.ACTIVE,
) -> Contract:
    contract = Contract.objects.create(
        practice=practice,
        client=client,
        organisation=organisation,
        orderer_contact=contact,
        title=f"Tiimityönohjaus {client.name}",
        form=Form.TEAM,
        status=status,
        start_date=date(2026, 9, 1),
        end_date=date(2027, 6, 30),
        meeting_count=10,
        meeting_minutes=90,
        rhythm_weeks=3,
        confidentiality="Luottamuksellista.",
    )
    contract.supervisors.add(supervisor)
    Goal.objects.create(
        contract=contract, text="Yhteinen perustehtävä kirkastuu", visibility=GoalVisibility.SHARED
    )
    Goal.objects.create(
        contract=contract,
        text="Vuorovaikutus tiimissä paranee",
        visibility=GoalVisibility.SUPERVISEES,
    )
    PriceLine.objects.create(
        contract=contract,
        description="Työnohjaus 90 min",
        unit_price=Decimal("240.00"),
        vat_treatment=VatTreatment.STANDARD,
    )
    return contract


def make_meeting(
    contract: Contract, supervisor: User, start: datetime, minutes: int = 90
) -> Meeting:
    return Meeting.objects.create(
        practice=contract.practice,
        contract=contract,
        supervisor=supervisor,
        start=start,
        end=start + timedelta(minutes=minutes),
    )


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


@dataclass
class World:
    """Two practices with everything in them: the fixed personas of the whole suite."""

    practice: Practice
    owner: User  # Anna, the supervisor who owns practice A
    assistant: User
    colleague: User  # a second supervisor in practice A, with contracts of her own
    service: Service
    organisation: Organisation
    contact: Contact
    client: Client
    contract: Contract
    meeting: Meeting
    colleague_contract: Contract
    other_practice: Practice
    other_owner: User  # Bertta, the supervisor of practice B
    other_service: Service
    other_organisation: Organisation
    other_contact: Contact
    other_client: Client
    other_contract: Contract
    other_meeting: Meeting


def build_world() -> World:
    practice = make_practice("aalto", "Työnohjaus Aalto")
    owner = make_user("anna@example.test", "Anna Aalto")
    assistant = make_user("assi@example.test", "Assi Avustaja")
    colleague = make_user("kollega@example.test", "Kaija Kollega")
    add_member(practice, owner, Role.OWNER)
    add_member(practice, assistant, Role.ASSISTANT)
    add_member(practice, colleague, Role.SUPERVISOR)
    service = make_service(practice)
    organisation = make_organisation(practice)
    contact = make_contact(organisation)
    client = make_team(practice, organisation)
    contract = make_contract(practice, client, owner, organisation, contact)
    meeting = make_meeting(contract, owner, at(2026, 12, 1))
    colleague_client = make_team(practice, None, size=2)
    colleague_contract = make_contract(practice, colleague_client, colleague)

    other_practice = make_practice("bertta", "Bertan työnohjaus")
    other_owner = make_user("bertta@example.test", "Bertta Berg")
    add_member(other_practice, other_owner, Role.OWNER)
    other_service = make_service(other_practice)
    other_organisation = make_organisation(other_practice, "Espoon kaupunki")
    other_contact = make_contact(other_organisation)
    other_client = make_team(other_practice, other_organisation)
    other_contract = make_contract(
        other_practice, other_client, other_owner, other_organisation, other_contact
    )
    other_meeting = make_meeting(other_contract, other_owner, at(2026, 12, 1))
    return World(
        practice=practice,
        owner=owner,
        assistant=assistant,
        colleague=colleague,
        service=service,
        organisation=organisation,
        contact=contact,
        client=client,
        contract=contract,
        meeting=meeting,
        colleague_contract=colleague_contract,
        other_practice=other_practice,
        other_owner=other_owner,
        other_service=other_service,
        other_organisation=other_organisation,
        other_contact=other_contact,
        other_client=other_client,
        other_contract=other_contract,
        other_meeting=other_meeting,
    )
