"""The supervisor's own log of the hours she has supervised, for her supervisor training
(työnohjaajakoulutus): each held meeting's date, minutes, form of supervision, group size and
45-minute units, with totals per form. Clients appear under numbered labels unless she asks
for their names; never content. As a page, CSV and PDF."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from tila.billing.certificates import CENT, STYLESHEET, UNIT_MINUTES, _no_fetching
from tila.billing.export import neutralise, number
from tila.clients.models import ClientKind
from tila.meetings.models import Meeting, MeetingStatus
from tila.practices.models import Form, Membership


@dataclass(frozen=True)
class LogRow:
    day: date
    minutes: int
    form_label: str
    individual: bool
    group_size: int | None  # None: a group meeting without recorded attendance
    client: str

    @property
    def units(self) -> Decimal:
        return (Decimal(self.minutes) / UNIT_MINUTES).quantize(CENT)

    @property
    def kind_label(self) -> str:
        return _("Individual") if self.individual else _("Group")


@dataclass(frozen=True)
class FormTotal:
    label: str
    meetings: int
    minutes: int

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(CENT)

    @property
    def units(self) -> Decimal:
        return (Decimal(self.minutes) / UNIT_MINUTES).quantize(CENT)


@dataclass(frozen=True)
class SupervisingLog:
    supervisor: str
    start: date
    end: date
    rows: list[LogRow]
    names: bool

    @property
    def total(self) -> FormTotal:
        return FormTotal(_("Total"), len(self.rows), sum(row.minutes for row in self.rows))

    @property
    def forms(self) -> list[FormTotal]:
        """Totals per form of supervision, most minutes first."""
        counts: dict[str, list[int]] = {}
        for row in self.rows:
            meetings_minutes = counts.setdefault(row.form_label, [0, 0])
            meetings_minutes[0] += 1
            meetings_minutes[1] += row.minutes
        totals = [FormTotal(label, *values) for label, values in counts.items()]
        return sorted(totals, key=lambda total: (-total.minutes, total.label))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def supervising_log(membership: Membership, start: date, end: date, names: bool) -> SupervisingLog:
    """The held meetings she supervised in the practice in the period, oldest first."""
    since, until = _bounds(start, end)
    meetings = (
        Meeting.objects.filter(
            practice=membership.practice,
            supervisor=membership.user,
            status=MeetingStatus.HELD,
            start__gte=since,
            start__lt=until,
        )
        .annotate(present_count=Count("attendance", filter=Q(attendance__present=True)))
        .select_related("contract__client")
        .order_by("start", "pk")
    )
    labels: dict[int, str] = {}
    rows = []
    for meeting in meetings:
        contract = meeting.contract
        client = contract.client
        if client.pk not in labels:
            labels[client.pk] = (
                client.name if names else _("Client %(number)s") % {"number": len(labels) + 1}
            )
        individual = client.kind == ClientKind.INDIVIDUAL or contract.form == Form.INDIVIDUAL
        rows.append(
            LogRow(
                day=timezone.localtime(meeting.start).date(),
                minutes=meeting.minutes,
                form_label=contract.get_form_display(),
                individual=individual,
                group_size=1 if individual else (meeting.present_count or None),
                client=labels[client.pk],
            )
        )
    return SupervisingLog(
        supervisor=membership.user.name, start=start, end=end, rows=rows, names=names
    )


def supervising_log_csv(log: SupervisingLog) -> bytes:
    """Semicolons and decimal commas with a byte order mark, like the bookkeeping export; text
    that a spreadsheet could take for a formula is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Date"),
            _("Minutes"),
            _("Form of supervision"),
            _("Individual or group"),
            _("Group size"),
            _("45-min units"),
            _("Client"),
        ]
    )
    for row in log.rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.minutes,
                neutralise(row.form_label),
                row.kind_label,
                row.group_size or "",
                number(row.units),
                neutralise(row.client),
            ]
        )
    writer.writerow([])
    for total in [*log.forms, log.total]:
        writer.writerow(
            [neutralise(total.label), total.minutes, "", "", "", number(total.units), ""]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def supervising_log_pdf(log: SupervisingLog, practice_name: str, today: date) -> bytes:
    """The log as an A4 PDF for the training, in the user's language. Nothing is fetched."""
    html = render_to_string(
        "billing/pdf/supervising_log.html",
        {
            "log": log,
            "practice_name": practice_name,
            "today": today,
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    document = HTML(string=html, url_fetcher=_no_fetching)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))
