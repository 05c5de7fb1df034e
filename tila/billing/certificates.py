"""The supervisee's hours ledger across contracts and the certificate of supervision drawn
from it (for a training institute or Valvira): dates, minutes, forms and 45-minute units of the
meetings she attended. Never content."""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tila.clients.models import ClientKind, Person
from tila.contracts.models import ContractQuerySet
from tila.meetings.models import Attendance, Meeting, MeetingStatus
from tila.practices.models import Form, Practice

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402

STYLESHEET = Path(__file__).with_name("certificate.css")
UNIT_MINUTES = Decimal(45)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LedgerRow:
    day: date
    minutes: int
    individual: bool
    group_size: int
    form: str
    form_label: str
    contract_title: str
    supervisor: str

    @property
    def units(self) -> Decimal:
        """Units of 45 minutes (90 min = 2 units), to the hundredth."""
        return (Decimal(self.minutes) / UNIT_MINUTES).quantize(CENT)

    @property
    def kind_label(self) -> str:
        return _("Individual") if self.individual else _("Group")


@dataclass(frozen=True)
class Ledger:
    person: Person
    rows: list[LedgerRow]

    @property
    def minutes(self) -> int:
        return sum(row.minutes for row in self.rows)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(CENT)

    @property
    def units(self) -> Decimal:
        return (Decimal(self.minutes) / UNIT_MINUTES).quantize(CENT)

    @property
    def individual_minutes(self) -> int:
        return sum(row.minutes for row in self.rows if row.individual)

    @property
    def group_minutes(self) -> int:
        return sum(row.minutes for row in self.rows if not row.individual)

    @property
    def first_day(self) -> date | None:
        return self.rows[0].day if self.rows else None

    @property
    def last_day(self) -> date | None:
        return self.rows[-1].day if self.rows else None

    @property
    def forms(self) -> list[tuple[str, int, Decimal]]:
        """(form of supervision, meetings, hours) for each form, most meetings first."""
        counted = Counter(row.form_label for row in self.rows)
        minutes: Counter[str] = Counter()
        for row in self.rows:
            minutes[row.form_label] += row.minutes
        return [
            (label, count, (Decimal(minutes[label]) / Decimal(60)).quantize(CENT))
            for label, count in counted.most_common()
        ]

    @property
    def supervisors(self) -> list[str]:
        return sorted({row.supervisor for row in self.rows})


def hours_ledger(person: Person, contracts: ContractQuerySet) -> Ledger:
    """The held meetings of ``contracts`` the person attended, oldest first.

    A group meeting counts when her attendance was recorded present; a meeting of an
    individual client counts unless she was recorded absent. The group size is the number of
    supervisees present (1 in individual supervision)."""
    memberships = person.memberships.filter(client__contracts__in=contracts)
    present = Attendance.objects.filter(
        meeting=OuterRef("pk"), member__in=memberships, present=True
    )
    absent = Attendance.objects.filter(
        meeting=OuterRef("pk"), member__in=memberships, present=False
    )
    meetings = (
        Meeting.objects.filter(
            contract__in=contracts,
            contract__client__members__in=memberships,
            status=MeetingStatus.HELD,
        )
        .annotate(
            was_present=Exists(present),
            was_absent=Exists(absent),
            present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        )
        .select_related("contract__client", "supervisor")
        .distinct()
        .order_by("start", "pk")
    )
    rows = []
    for meeting in meetings:
        client = meeting.contract.client
        individual = (
            client.kind == ClientKind.INDIVIDUAL or meeting.contract.form == Form.INDIVIDUAL
        )
        if not (meeting.was_present or (individual and not meeting.was_absent)):
            continue
        rows.append(
            LedgerRow(
                day=timezone.localtime(meeting.start).date(),
                minutes=meeting.minutes,
                individual=individual,
                group_size=1 if individual else max(meeting.present_count, 1),
                form=meeting.contract.form,
                form_label=meeting.contract.get_form_display(),
                contract_title=meeting.contract.title,
                supervisor=meeting.supervisor.name,
            )
        )
    return Ledger(person=person, rows=rows)


def certificate_pdf(ledger: Ledger, practice: Practice, today: date) -> bytes:
    """The certificate of supervision as an A4 PDF, in Finnish. Nothing is fetched."""
    with translation.override("fi"):
        html = render_to_string(
            "billing/pdf/certificate.html",
            {"ledger": ledger, "practice": practice, "today": today, "LANGUAGE_CODE": "fi"},
        )
    document = HTML(string=html, url_fetcher=_no_fetching)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the certificate loads nothing from outside: {url}")
