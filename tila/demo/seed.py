"""The demo practice: a long-time supervisor of early-education and school teams, with
crisis and therapy supervision training, and a second practice for isolation.

Dates are relative to today so that the overview always has something to show."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tila.accounts.models import User
from tila.billing.actions import billable_meetings, issue_invoice, propose_invoice
from tila.clients.models import Client, ClientKind, ClientMember, Contact, Organisation, Person
from tila.contracts.actions import save_framework_agreement
from tila.contracts.models import (
    DEFAULT_CONFIDENTIALITY,
    DEFAULT_DISSATISFACTION,
    DEFAULT_INTERRUPTION,
    Acceptance,
    Contract,
    FrameworkAgreement,
    FrameworkPriceLine,
    Goal,
    GoalVisibility,
    OrdererVisibility,
    Party,
    PlaceKind,
    PriceLine,
    PriceUnit,
    Status,
)
from tila.evaluations.actions import (
    close_round,
    measure_questionnaire,
    open_round,
    submit_answers,
)
from tila.evaluations.models import EvaluationRound, Item, ItemKind, Point
from tila.intake.models import Availability, WeeklyHours
from tila.journal.actions import write_entry
from tila.journal.models import Prompt
from tila.meetings.actions import record_absence, report_absence
from tila.meetings.models import Attendance, CancelledBy, Meeting, MeetingStatus
from tila.notes.actions import create_note, save_note
from tila.notes.models import NoteKind
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee
from tila.practices.models import Form, Membership, Practice, Role, Service, VatTreatment
from tila.scheduling.actions import answer_poll, create_poll
from tila.scheduling.models import Choice

HELSINKI = ZoneInfo("Europe/Helsinki")
DEMO_PASSWORD = "tila-demo-2026"  # noqa: S105 - the demo practice's published password
# Every member of a practice must log in in two steps. The demo members share this published
# authenticator key: add it to an authenticator app, or run `manage.py demo_totp_code`.
DEMO_TOTP_SECRET = "TILADEMOTILADEMOTILADEMOTILADEMO"  # noqa: S105 - published, like the password
DEMO_PRACTICE_SLUGS = ("marja-kallio", "ohjauspolku")


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


# Log in by an emailed code: without a mail server the email is printed in the terminal.
DEMO_SUPERVISEE = "emilia.korhonen@demo.example"
DEMO_ORDERER = "heli.nieminen@demo.example"

DEMO_LOGINS = [
    DemoLogin("marja@tila.example", "työnohjaaja, Työnohjaus Marja Kallio"),
    DemoLogin("sari@tila.example", "assistentti, Työnohjaus Marja Kallio"),
    DemoLogin("pekka@tila.example", "työnohjaaja, Ohjauspolku Oy (toinen praktiikka)"),
]


def is_empty() -> bool:
    return not Practice.objects.exists()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def _user(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def _people(practice: Practice, client: Client, rows: list[tuple[str, str]], joined: date) -> None:
    for name, title in rows:
        email = name.lower().replace(" ", ".").replace("ä", "a").replace("ö", "o") + "@demo.example"
        person = Person.objects.create(practice=practice, name=name, title=title, email=email)
        ClientMember.objects.create(client=client, person=person, joined_on=joined)


def _series(
    contract: Contract,
    supervisor: User,
    first: datetime,
    count: int,
    weeks: int,
    minutes: int,
    now: datetime,
) -> list[Meeting]:
    meetings = []
    for index in range(count):
        start = first + timedelta(weeks=weeks * index)
        meeting = Meeting.objects.create(
            practice=contract.practice,
            contract=contract,
            supervisor=supervisor,
            start=start,
            end=start + timedelta(minutes=minutes),
            place=contract.place,
            remote_link=contract.remote_link,
            status=MeetingStatus.PLANNED,
        )
        meetings.append(meeting)
    return meetings


def _hold(meetings: list[Meeting], now: datetime, absent_every: int = 4) -> None:
    """Mark past meetings held, with a realistic absence now and then."""
    for meeting_index, meeting in enumerate(meetings):
        if meeting.end >= now or meeting.status != MeetingStatus.PLANNED:
            continue
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
        members = list(meeting.contract.client.members.all())
        for member_index, member in enumerate(members):
            present = (member_index + meeting_index) % absent_every != 0 or len(members) == 1
            Attendance.objects.create(meeting=meeting, member=member, present=present)


def _accept_all(contract: Contract, names: dict[str, str], when: datetime) -> None:
    for party, name in names.items():
        Acceptance.objects.create(
            contract=contract,
            version=contract.version,
            party=party,
            accepted_by_name=name,
            accepted_at=when,
        )


SERVICE_DESCRIPTIONS = {
    "individual": "Oman työn ja työroolin tarkastelua kahden kesken, 2–4 viikon välein.",
    "group": "3–6 saman alan ammattilaista, myös eri työpaikoista.",
    "team": "Koko tiimi tai yksikkö: perustehtävä, vuorovaikutus ja yhteistyö.",
    "leader": "Esihenkilön oma tila pysähtyä johtamisen kysymysten äärelle.",
    "crisis": (
        "Purkukeskustelu tai jälkipuinti äkillisen tapahtuman jälkeen, tarvittaessa "
        "lyhyt kriisityönohjauksen jakso. Tukea, ei hoitoa."
    ),
}


def _invoice_first_meetings(contract: Contract, supervisor: User, start: date, today: date) -> None:
    """An issued invoice for the contract's first two billable meetings (held or cancelled
    late), so that the invoice list, the PDF and the orderer's view have something to show."""
    first = billable_meetings(contract, start, today - timedelta(days=1))[:2]
    if not first:
        return
    draft = propose_invoice(
        practice=contract.practice,
        contracts=[contract],
        organisation=None,
        period_start=start,
        period_end=timezone.localtime(first[-1].start).date(),
        actor=supervisor,
    )
    issue_invoice(invoice=draft, actor=supervisor, today=today)


def _public_page(practice: Practice, supervisor: User, services: dict[str, Service]) -> None:
    """Marja's published page: service descriptions and hours for free first conversations."""
    for key, text in SERVICE_DESCRIPTIONS.items():
        services[key].description = text
        services[key].save(update_fields=["description"])
    availability = Availability.objects.create(
        practice=practice,
        supervisor=supervisor,
        published=True,
        booking_open=True,
        slot_minutes=30,
        buffer_minutes=15,
        min_notice_hours=24,
        horizon_days=28,
        how="Puhelimitse tai videolla. Lähetän videolinkin edellisenä päivänä.",
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(availability=availability, weekday=day, starts=starts, ends=ends)
        for day, starts, ends in [
            (0, time(12), time(14)),
            (2, time(8, 30), time(10, 30)),
            (3, time(15), time(17)),
        ]
    )


@transaction.atomic
def seed() -> None:
    now = timezone.now()
    today = timezone.localdate()

    # ---- Practice 1: Marja Kallio ----
    practice = Practice.objects.create(
        slug="marja-kallio",
        name="Työnohjaus Marja Kallio",
        business_id="2871543-8",
        vat_registered=True,
        street_address="Hämeenkatu 12 B 7",
        postal_code="33100",
        city="Tampere",
        email="marja@tila.example",
        phone="040 123 4567",
        iban="FI2112345600000785",
        bic="NDEAFIHH",
        einvoice_address="003728715438",
        einvoice_operator="NDEAFIHH",
        bio=(
            "Olen tamperelainen työnohjaaja ja varhaiskasvatuksen opettaja. Tein yli "
            "kaksikymmentä vuotta työtä päiväkodeissa ja kouluissa, ensin opettajana ja sitten "
            "päiväkodin johtajana, ja olen ohjannut kasvatus-, sosiaali- ja terveysalan tiimejä, "
            "työyhteisöjä ja esihenkilöitä vuodesta 2009.\n\n"
            "Tunnen arjen, jossa työ on ihmissuhdetyötä, kiire on jatkuvaa ja muutoksia tulee "
            "ylhäältä. Työnohjauksessa siihen saa hetken etäisyyttä: mitä teemme, miksi, ja "
            "miten jaksamme tehdä sitä hyvin."
        ),
        approach=(
            "Työskentelen voimavarakeskeisesti ja dialogisesti. Työnohjauksessa pysähdytään "
            "yhdessä oman työn äärelle: mikä on vaikeaa, mikä auttaa ja miten voisi toimia "
            "toisin. Jokainen tulee kuulluksi, ja ryhmä löytää ratkaisunsa itse; minä pidän "
            "huolta rakenteesta ja turvallisuudesta.\n\n"
            "Käytän toiminnallisia menetelmiä, kuten kuvakortteja, janoja ja aikajanoja, silloin "
            "kun ne palvelevat ryhmää, en rutiinilla. Sovimme tavoitteet yhdessä ohjattavien "
            "kanssa ja arvioimme niitä puolen vuoden välein.\n\n"
            "Työnohjaus on luottamuksellista. Tilaaja saa tiedon vain tapaamisten ajoista ja "
            "sovitusti osallistujamääristä, ei koskaan siitä, mitä ohjauksessa puhutaan. "
            "Noudatan Suomen Työnohjaajat ry:n eettisiä periaatteita."
        ),
        qualifications=(
            "Työnohjaaja (STOry:n kriteerit täyttävä koulutus, 2009)\n"
            "Kasvatustieteen maisteri, varhaiskasvatus\n"
            "Kriisi- ja traumatyön jatkokoulutus\n"
            "Psykoterapeuttien työnohjaajakoulutus (2018)"
        ),
        associations="Suomen Työnohjaajat ry\nOpetusalan Ammattijärjestö OAJ",
        training=(
            "Työnohjaajakoulutus, 2007–2009\n"
            "Kriisityön ja psykologisen jälkipuinnin koulutus, 2014\n"
            "Ratkaisukeskeinen työnohjaus, 2016\n"
            "Psykoterapeuttien työnohjaajakoulutus, 2017–2018"
        ),
        areas=(
            "Varhaiskasvatuksen ja koulujen tiimit ja työyhteisöt\n"
            "Sosiaali- ja terveysalan työyhteisöt\n"
            "Esihenkilöiden ja johtoryhmien työnohjaus\n"
            "Kriisi- ja tilannetyönohjaus, purkukeskustelut ja jälkipuinnit\n"
            "Psykoterapeuttien ja psykoterapeuttikoulutettavien työnohjaus"
        ),
        languages="suomi, englanti",
    )
    marja = _user("marja@tila.example", "Marja Kallio")
    sari = _user("sari@tila.example", "Sari Lehto")
    Membership.objects.create(
        practice=practice, user=marja, role=Role.OWNER, title="Työnohjaaja (STOry)"
    )
    Membership.objects.create(
        practice=practice, user=sari, role=Role.ASSISTANT, title="Assistentti"
    )

    services = {
        "individual": Service.objects.create(
            practice=practice,
            name="Yksilötyönohjaus 60 min",
            form=Form.INDIVIDUAL,
            minutes=60,
            price=Decimal("120.00"),
            vat_treatment=VatTreatment.STANDARD,
        ),
        "group": Service.objects.create(
            practice=practice,
            name="Ryhmätyönohjaus 90 min",
            form=Form.GROUP,
            minutes=90,
            price=Decimal("220.00"),
            vat_treatment=VatTreatment.STANDARD,
        ),
        "team": Service.objects.create(
            practice=practice,
            name="Tiimityönohjaus 90 min",
            form=Form.TEAM,
            minutes=90,
            price=Decimal("260.00"),
            vat_treatment=VatTreatment.STANDARD,
        ),
        "leader": Service.objects.create(
            practice=practice,
            name="Esihenkilötyönohjaus 60 min",
            form=Form.LEADER,
            minutes=60,
            price=Decimal("140.00"),
            vat_treatment=VatTreatment.STANDARD,
        ),
        "crisis": Service.objects.create(
            practice=practice,
            name="Kriisityönohjaus ja jälkipuinti 120 min",
            form=Form.CRISIS,
            minutes=120,
            price=Decimal("320.00"),
            vat_treatment=VatTreatment.STANDARD,
        ),
        "therapy": Service.objects.create(
            practice=practice,
            name="Psykoterapeutin työnohjaus 60 min",
            form=Form.THERAPY,
            minutes=60,
            price=Decimal("130.00"),
            vat_treatment=VatTreatment.EXEMPT,
            description="Potilastyöhön liittyvä työnohjaus on arvonlisäverotonta.",
        ),
    }

    _public_page(practice, marja, services)

    city = Organisation.objects.create(
        practice=practice,
        name="Tampereen kaupunki, varhaiskasvatus",
        business_id="0211675-2",
        street_address="PL 487",
        postal_code="33101",
        city="Tampere",
        einvoice_address="003702116752",
        einvoice_operator="003703575029",
    )
    save_framework_agreement(
        agreement=FrameworkAgreement(
            practice=practice,
            organisation=city,
            title="Työnohjauspalvelut, TRE:4410/2025",
            lot="Osa-alue 2: tiimi- ja ryhmätyönohjaus",
            valid_from=date(today.year, 1, 1),
            valid_until=date(today.year + 2, 12, 31),
            buyer_reference="Varhaiskasvatus / 4410",
        ),
        price_lines=[
            FrameworkPriceLine(
                description="Tiimityönohjaus 90 min",
                unit=PriceUnit.MEETING,
                unit_price=Decimal("225.00"),
                vat_treatment=VatTreatment.STANDARD,
            ),
            FrameworkPriceLine(
                description="Matkakulut",
                unit=PriceUnit.KILOMETRE,
                unit_price=Decimal("0.59"),
                vat_treatment=VatTreatment.STANDARD,
                is_travel=True,
            ),
        ],
    )
    city_contact = Contact.objects.create(
        organisation=city,
        name="Heli Nieminen",
        role="Päiväkodin johtaja",
        email="heli.nieminen@demo.example",
        phone="050 555 0101",
    )
    school_org = Organisation.objects.create(
        practice=practice,
        name="Nokian kaupunki, perusopetus",
        business_id="0204819-8",
        postal_code="37100",
        city="Nokia",
        einvoice_address="003702048198",
        einvoice_operator="003703575029",
    )
    school_contact = Contact.objects.create(
        organisation=school_org,
        name="Timo Salo",
        role="Rehtori",
        email="timo.salo@demo.example",
    )
    crisis_org = Organisation.objects.create(
        practice=practice,
        name="Pirkanmaan hyvinvointialue",
        business_id="3155872-8",
        postal_code="33521",
        city="Tampere",
        billing_email="laskut@demo.example",
    )
    crisis_contact = Contact.objects.create(
        organisation=crisis_org,
        name="Anu Virta",
        role="Palveluesihenkilö",
        email="anu.virta@demo.example",
    )

    # A kindergarten team, paid by the city.
    kindergarten = Client.objects.create(
        practice=practice,
        kind=ClientKind.TEAM,
        organisation=city,
        name="Päiväkoti Satakieli, Tähtiryhmän tiimi",
    )
    _people(
        practice,
        kindergarten,
        [
            ("Emilia Korhonen", "varhaiskasvatuksen opettaja"),
            ("Johanna Laine", "varhaiskasvatuksen lastenhoitaja"),
            ("Riikka Heikkinen", "varhaiskasvatuksen lastenhoitaja"),
            ("Mikko Järvinen", "varhaiskasvatuksen opettaja"),
            ("Satu Koskinen", "erityisavustaja"),
        ],
        today - timedelta(days=120),
    )
    start = today - timedelta(weeks=13)
    kg = _contract(
        practice,
        kindergarten,
        marja,
        services["team"],
        city,
        city_contact,
        title="Tiimityönohjaus, Tähtiryhmä",
        form=Form.TEAM,
        start=start,
        end=start + timedelta(weeks=30),
        count=10,
        minutes=90,
        weeks=3,
        place_kind=PlaceKind.ON_SITE,
        place="Päiväkoti Satakieli, Satakielenkatu 4, neuvotteluhuone",
        goals=[
            (
                "Tiimin yhteinen näkemys perustehtävästä ja työnjaosta selkiytyy.",
                GoalVisibility.SHARED,
            ),
            (
                "Vuorovaikutus tiimissä on avointa, ja vaikeatkin asiat voi ottaa puheeksi.",
                GoalVisibility.SUPERVISEES,
            ),
        ],
        visibility=OrdererVisibility.COUNTS,
        buyer_reference="VAKA-TYÖNOHJAUS-2026",
    )
    _accept_all(
        kg,
        {
            Party.SUPERVISOR: "Marja Kallio",
            Party.SUPERVISEES: "Emilia Korhonen (tiimin puolesta)",
            Party.ORDERER: "Heli Nieminen",
        },
        _at(start - timedelta(days=10), 12),
    )
    kg_meetings = _series(kg, marja, _at(start, 13), 10, 3, 90, now)
    _hold(kg_meetings, now)
    # One meeting cancelled late by the team (billable under the terms).
    late = next((m for m in kg_meetings if m.status == MeetingStatus.HELD), None)
    if late is not None:
        late.attendance.all().delete()
        late.status = MeetingStatus.CANCELLED_LATE
        late.cancelled_at = late.start - timedelta(hours=5)
        late.cancelled_by = CancelledBy.SUPERVISEE
        late.cancellation_reason = "Sairauspoissaoloja, tiimi ei päässyt koolle."
        late.save()

    # Marja's notes on the first meetings: a private note and a shared summary.
    held = [m for m in kg_meetings if m.status == MeetingStatus.HELD]
    if held:
        first = held[0]
        note = create_note(
            contract=kg, meeting=first, kind=NoteKind.PRIVATE, outline="blank", actor=marja
        )
        save_note(
            note=note,
            actor=marja,
            text=(
                "Avauskierros: kuvakortit, moni valitsi kortin, jossa oli myrsky.\n\n"
                "Aiheet: syksyn henkilöstövaje, työnjako aamuvuoroissa.\n\n"
                "Omat havainnot: tiimi puhuu paljon toistensa puolesta. "
                "Ensi kerralla rauhallisempi alku ja enemmän tilaa hiljaisille."
            ),
        )
        summary = create_note(
            contract=kg, meeting=first, kind=NoteKind.SUMMARY, outline="blank", actor=marja
        )
        save_note(
            note=summary,
            actor=marja,
            text=(
                "Mitä käsittelimme: syksyn kiire ja aamuvuorojen työnjako.\n\n"
                "Mitä sovimme: kokeillaan kahden viikon ajan vuorolistaa, jossa aamun "
                "vastuut on kirjattu. Palataan kokemuksiin ensi kerralla."
            ),
        )

    # A school team, paid by another town; ends soon.
    school = Client.objects.create(
        practice=practice,
        kind=ClientKind.TEAM,
        organisation=school_org,
        name="Alakoulun 5.–6. luokkien opettajatiimi",
    )
    _people(
        practice,
        school,
        [
            ("Hanna Mäkelä", "luokanopettaja"),
            ("Ville Rantanen", "luokanopettaja"),
            ("Katja Lehtonen", "erityisopettaja"),
            ("Pauliina Ojala", "koulunkäynninohjaaja"),
            ("Antti Kinnunen", "luokanopettaja"),
            ("Noora Salminen", "resurssiopettaja"),
        ],
        today - timedelta(days=250),
    )
    sstart = today - timedelta(weeks=32)
    school_contract = _contract(
        practice,
        school,
        marja,
        services["team"],
        school_org,
        school_contact,
        title="Opettajatiimin työnohjaus",
        form=Form.TEAM,
        start=sstart,
        end=today + timedelta(days=21),
        count=8,
        minutes=90,
        weeks=4,
        place_kind=PlaceKind.ON_SITE,
        place="Koulun opettajainhuone",
        goals=[
            ("Oppilaiden levottomuuteen löydetään yhteisiä toimintatapoja.", GoalVisibility.SHARED),
            ("Jaksaminen ja oman työn rajaaminen.", GoalVisibility.SUPERVISEES),
        ],
        visibility=OrdererVisibility.NAMES,
    )
    _accept_all(
        school_contract,
        {
            Party.SUPERVISOR: "Marja Kallio",
            Party.SUPERVISEES: "Hanna Mäkelä",
            Party.ORDERER: "Timo Salo",
        },
        _at(sstart - timedelta(days=7), 15),
    )
    school_meetings = _series(school_contract, marja, _at(sstart, 14, 30), 8, 4, 90, now)
    _hold(school_meetings, now, absent_every=3)
    _closing_poll(school_contract, marja, today, now)

    # An individual therapist in therapy supervision, paying herself; VAT-exempt.
    therapist = Client.objects.create(
        practice=practice,
        kind=ClientKind.INDIVIDUAL,
        name="Laura Mäkinen",
        description=(
            "Psykoterapeutti (VET), kognitiivinen psykoterapia; Kelan kuntoutuspsykoterapia."
        ),
    )
    _people(
        practice, therapist, [("Laura Mäkinen", "psykoterapeutti")], today - timedelta(days=200)
    )
    tstart = today - timedelta(weeks=25)
    therapy = _contract(
        practice,
        therapist,
        marja,
        services["therapy"],
        None,
        None,
        title="Psykoterapeutin työnohjaus",
        form=Form.THERAPY,
        start=tstart,
        end=tstart + timedelta(weeks=52),
        count=10,
        minutes=60,
        weeks=5,
        place_kind=PlaceKind.MIXED,
        place="Hämeenkatu 12 B 7, Tampere",
        remote_link="https://video.demo.example/kallio",
        goals=[
            ("Asiakastyön vaikeiden tilanteiden jäsentäminen.", GoalVisibility.SUPERVISEES),
            ("Kelan vaatimusten mukainen säännöllinen työnohjaus.", GoalVisibility.SUPERVISEES),
        ],
        visibility=OrdererVisibility.NOTHING,
    )
    _accept_all(
        therapy,
        {
            Party.SUPERVISOR: "Marja Kallio",
            Party.SUPERVISEES: "Laura Mäkinen",
        },
        _at(tstart - timedelta(days=3), 10),
    )
    therapy_meetings = _series(therapy, marja, _at(tstart, 8), 10, 5, 60, now)
    _hold(therapy_meetings, now)

    # Crisis supervision after an incident two days ago; a draft waiting for acceptance.
    crisis_client = Client.objects.create(
        practice=practice,
        kind=ClientKind.COMMUNITY,
        organisation=crisis_org,
        name="Kotihoidon tiimi Kaleva",
    )
    _people(
        practice,
        crisis_client,
        [
            ("Päivi Hakala", "lähihoitaja"),
            ("Jussi Peltonen", "lähihoitaja"),
            ("Minna Aaltonen", "sairaanhoitaja"),
            ("Tiina Leppänen", "kotihoidon ohjaaja"),
        ],
        today - timedelta(days=2),
    )
    crisis = _contract(
        practice,
        crisis_client,
        marja,
        services["crisis"],
        crisis_org,
        crisis_contact,
        title="Kriisityönohjaus asiakastilanteen jälkeen",
        form=Form.CRISIS,
        start=today,
        end=today + timedelta(weeks=6),
        count=3,
        minutes=120,
        weeks=2,
        place_kind=PlaceKind.PREMISES,
        place="Hämeenkatu 12 B 7, Tampere",
        goals=[
            ("Tapahtuman läpikäynti ja työkyvyn tukeminen.", GoalVisibility.SHARED),
        ],
        visibility=OrdererVisibility.COUNTS,
        status=Status.TRIAL,
    )
    _series(crisis, marja, _at(today + timedelta(days=1), 12), 3, 2, 120, now)

    # A supervisor's meeting today, so that the overview shows one.
    today_meeting = (
        Meeting.objects.filter(contract=kg, start__date__gte=today).order_by("start").first()
    )
    if (
        today_meeting is not None
        and not Meeting.objects.filter(supervisor=marja, start__date=today).exists()
    ):
        free = _at(today, 15)
        if not Meeting.objects.filter(
            supervisor=marja, start__lt=free + timedelta(minutes=90), end__gt=free
        ).exists():
            today_meeting.start, today_meeting.end = free, free + timedelta(minutes=90)
            today_meeting.save(update_fields=["start", "end"])

    # The kindergarten team's first meetings, invoiced to the city.
    _invoice_first_meetings(kg, marja, start, today)
    _evaluations(kg, marja, start, now)
    _absences(kg, marja, now)

    _portal_logins(kindergarten, marja, city_contact)

    # ---- Practice 2: isolation ----
    other = Practice.objects.create(
        slug="ohjauspolku",
        name="Ohjauspolku Oy",
        business_id="3012458-1",
        city="Helsinki",
        iban="FI2112345600000785",
        bic="NDEAFIHH",
    )
    pekka = _user("pekka@tila.example", "Pekka Virtanen")
    Membership.objects.create(practice=other, user=pekka, role=Role.OWNER, title="Työnohjaaja")
    other_service = Service.objects.create(
        practice=other,
        name="Ryhmätyönohjaus 90 min",
        form=Form.GROUP,
        minutes=90,
        price=Decimal("240.00"),
        vat_treatment=VatTreatment.STANDARD,
    )
    other_org = Organisation.objects.create(
        practice=other,
        name="Espoon kaupunki, sosiaalipalvelut",
        business_id="0101263-6",
        city="Espoo",
    )
    other_contact = Contact.objects.create(organisation=other_org, name="Raija Koivisto")
    other_client = Client.objects.create(
        practice=other,
        kind=ClientKind.GROUP,
        organisation=other_org,
        name="Sosiaalityöntekijöiden ryhmä",
    )
    _people(
        other,
        other_client,
        [
            ("Elina Mattila", "sosiaalityöntekijä"),
            ("Oskari Heinonen", "sosiaalityöntekijä"),
            ("Sanna Turunen", "sosiaaliohjaaja"),
        ],
        today - timedelta(days=60),
    )
    ostart = today - timedelta(weeks=6)
    other_contract = _contract(
        other,
        other_client,
        pekka,
        other_service,
        other_org,
        other_contact,
        title="Sosiaalityön ryhmätyönohjaus",
        form=Form.GROUP,
        start=ostart,
        end=ostart + timedelta(weeks=40),
        count=10,
        minutes=90,
        weeks=4,
        place_kind=PlaceKind.REMOTE,
        place="",
        remote_link="https://video.demo.example/ohjauspolku",
        goals=[("Työn kuormittavuuden jakaminen ryhmässä.", GoalVisibility.SUPERVISEES)],
        visibility=OrdererVisibility.COUNTS,
    )
    _hold(_series(other_contract, pekka, _at(ostart, 9), 10, 4, 90, now), now)

    # The demo's people had their poll links and evaluation invitations long ago: nothing that
    # seeding queued is mailed when the worker starts.
    DBTaskResult.objects.filter(enqueued_at__gte=now).delete()


def _evaluations(contract: Contract, supervisor: User, start: date, now: datetime) -> None:
    """The team's baseline evaluation, answered by all and closed, and the interim one open
    now with three answers of five (Emilia, the demo supervisee, has not answered yet)."""
    members = list(contract.client.members.select_related("person").order_by("pk"))
    rounds = [
        ("baseline", Point.START, start - timedelta(days=6), members, True),
        ("interim", Point.INTERIM, now - timedelta(days=2), members[1:4], False),
    ]
    for measure, point, opened, answering, close in rounds:
        questionnaire = measure_questionnaire(contract.practice, measure)
        evaluation = open_round(
            contract=contract,
            questionnaire=questionnaire,
            anonymous=True,
            k=3,
            actor=supervisor,
            point=point,
        )
        items = list(Item.objects.filter(section__questionnaire=questionnaire))
        for offset, member in enumerate(answering):
            values: dict[Item, object] = {}
            for index, item in enumerate(items):
                if item.kind == ItemKind.AGREE_5:
                    values[item] = 2 + (offset + index) % 3
                elif item.kind == ItemKind.SCALE_10:
                    values[item] = 5 + (offset * 2 + index) % 5
                elif item.kind == ItemKind.MULTIPLE:
                    values[item] = [offset % 3, 1 + offset % 4]
                elif offset < len(DEMO_EVALUATION_WORDS):
                    values[item] = DEMO_EVALUATION_WORDS[offset][index % 2]
            submit_answers(evaluation=evaluation, person=member.person, actor=None, values=values)
        if close:
            close_round(evaluation=evaluation, actor=supervisor)
        EvaluationRound.objects.filter(pk=evaluation.pk).update(
            opened_at=opened, closed_at=opened + timedelta(days=7) if close else None
        )


DEMO_EVALUATION_WORDS = [
    ("Kiire ja keskeytykset.", "Että jokainen saa puheenvuoron."),
    ("Aamujen työnjako.", "Konkreettisia sopimuksia."),
    ("Miten puhumme toisillemme.", "Rauhallinen aloitus auttaa."),
]


def _absences(contract: Contract, supervisor: User, now: datetime) -> None:
    """A team member has told she will miss the next meeting; the supervisor's own holiday."""
    upcoming = (
        contract.meetings.filter(status=MeetingStatus.PLANNED, start__gt=now)
        .order_by("start")
        .first()
    )
    member = contract.client.members.select_related("person").order_by("pk")[2]
    if upcoming is not None:
        report_absence(
            meeting=upcoming, member=member, reported_at=now - timedelta(hours=3), actor=None
        )
    membership = Membership.objects.get(practice=contract.practice, user=supervisor)
    holiday = timezone.localdate(now) + timedelta(days=30)
    record_absence(membership=membership, first_day=holiday, last_day=holiday + timedelta(days=4))


def _closing_poll(contract: Contract, supervisor: User, today: date, now: datetime) -> None:
    """The school team chooses a time for its closing meeting; three have answered."""
    starts = [
        _at(today + timedelta(days=days), hour) for days, hour in ((8, 14), (9, 13), (13, 14))
    ]
    poll = create_poll(
        contract=contract,
        supervisor=supervisor,
        times=[(start, start + timedelta(minutes=90)) for start in starts],
        note="Sovitaan vielä päätöskerta, jossa arvioimme yhdessä kuluneen vuoden.",
        deadline=_at(today + timedelta(days=4), 16),
        show_names=False,
        actor=supervisor,
        now=now,
    )
    times = list(poll.times.order_by("start"))
    patterns = [
        (Choice.YES, Choice.IF_NEEDED, Choice.NO),
        (Choice.YES, Choice.NO, Choice.YES),
        (Choice.IF_NEEDED, Choice.YES, Choice.YES),
    ]
    invitees = list(poll.invitees.order_by("member__person__name"))
    for invitee, choices in zip(invitees, patterns, strict=False):
        answer_poll(invitee=invitee, answers=dict(zip(times, choices, strict=True)), now=now)


def _portal_logins(team: Client, supervisor: User, contact: Contact) -> None:
    """A supervisee of the kindergarten team and the city's contact person can log in by an
    emailed code (printed in the terminal without a mail server), like their invitations."""
    member = team.members.select_related("person").get(person__email=DEMO_SUPERVISEE)
    account = invite_supervisee(member=member, actor=supervisor)
    invite_contact(contact=contact, actor=supervisor)
    write_entry(
        person=member.person,
        prompt=Prompt.WENT_WELL,
        text=(
            "Uskalsin sanoa tiimipalaverissa, että tarvitsen apua aamuvuoroihin. "
            "Kaksi kollegaa tarjoutui heti vaihtamaan."
        ),
        actor=account.user,
    )


def _contract(
    practice: Practice,
    client: Client,
    supervisor: User,
    service: Service,
    organisation: Organisation | None,
    contact: Contact | None,
    *,
    title: str,
    form: str,
    start: date,
    end: date,
    count: int,
    minutes: int,
    weeks: int,
    place_kind: str,
    place: str,
    goals: list[tuple[str, str]],
    visibility: str,
    remote_link: str = "",
    buyer_reference: str = "",
    status: str = Status.ACTIVE,
) -> Contract:
    contract = Contract.objects.create(
        practice=practice,
        client=client,
        organisation=organisation,
        orderer_contact=contact,
        service=service,
        title=title,
        form=form,
        status=status,
        start_date=start,
        end_date=end,
        meeting_count=count,
        meeting_minutes=minutes,
        rhythm_weeks=weeks,
        scheduling="Tapaamiset sovitaan syksyksi ja keväksi kerrallaan.",
        place_kind=place_kind,
        place=place,
        remote_link=remote_link,
        evaluation_plan=(
            "Väliarviointi puolen vuoden kohdalla ja loppuarviointi viimeisellä kerralla: "
            "miten yhteistyö toimii ja miten tavoitteet ovat toteutuneet."
        ),
        methods="Dialoginen keskustelu, reflektointi, toiminnalliset menetelmät tarpeen mukaan.",
        buyer_reference=buyer_reference,
        cancellation_notice_hours=24,
        late_cancellation_percent=100,
        orderer_visibility=visibility,
        confidentiality=str(DEFAULT_CONFIDENTIALITY),
        interruption_procedure=str(DEFAULT_INTERRUPTION),
        dissatisfaction_procedure=str(DEFAULT_DISSATISFACTION),
    )
    contract.supervisors.add(supervisor)
    for position, (text, visibility_choice) in enumerate(goals):
        Goal.objects.create(
            contract=contract, text=text, visibility=visibility_choice, position=position
        )
    PriceLine.objects.create(
        contract=contract,
        description=service.name,
        unit=PriceUnit.MEETING,
        unit_price=service.price,
        vat_treatment=service.vat_treatment,
    )
    if form in (Form.TEAM, Form.COMMUNITY) and organisation is not None:
        PriceLine.objects.create(
            contract=contract,
            description="Matkakulut",
            unit=PriceUnit.KILOMETRE,
            unit_price=Decimal("0.59"),
            vat_treatment=VatTreatment.STANDARD,
            is_travel=True,
            position=1,
        )
    return contract
