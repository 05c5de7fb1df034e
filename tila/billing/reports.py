"""The practice's figures for a period, as server-rendered bar charts with a table each: invoiced
revenue without VAT by month, by orderer and by form of supervision, and the meetings each
contract has delivered against the meetings agreed. One query per chart; drafts count for
nothing and credit notes are deducted in their own month."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from tila.billing.models import InvoiceLine, InvoiceQuerySet, InvoiceStatus
from tila.clients.models import ClientKind
from tila.contracts.models import ContractQuerySet, Status
from tila.lib.formatting import money
from tila.meetings.models import MeetingStatus

ZERO = Decimal("0.00")
# The geometry of a horizontal bar chart, in the units of its viewBox: above each bar its label
# on the left and its value on the right (the table beside the chart has the full labels).
WIDTH = 320
BAR_SPACE = WIDTH
LABEL_CHARS = 22
ROW = 50
BAR_HEIGHT = 16
BAR_OFFSET = 24
MAX_MONTHS = 36


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: Decimal
    text: str
    y: int
    width: int
    # The meetings chart: the agreed count as an outline, late cancellations stacked after.
    outline: int = 0
    extra_x: int = 0
    extra: int = 0
    # The value in words for the description, when the chart shows it in short.
    spoken: str = ""

    @property
    def label_y(self) -> int:
        return self.y + 17

    @property
    def bar_y(self) -> int:
        return self.y + BAR_OFFSET

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARS:
            return self.label
        cut = self.label[: LABEL_CHARS - 1]
        if " " in cut[LABEL_CHARS // 2 :]:
            cut = cut.rsplit(" ", 1)[0]  # at a word's end where one is near
        return cut.rstrip(" ,") + "…"


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    bars: list[Bar]
    total: Decimal = ZERO
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW + 4

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label}: {bar.spoken or bar.text}" for bar in self.bars)


def _scaled(value: Decimal | int, highest: Decimal | int) -> int:
    if highest <= 0 or value <= 0:
        return 0
    return round(BAR_SPACE * Decimal(value) / Decimal(highest))


def _money_chart(slug: str, title: str, items: list[tuple[str, str, Decimal]]) -> Chart:
    highest = max((value for _key, _label, value in items), default=ZERO)
    bars = [
        Bar(
            key=key,
            label=label,
            value=value,
            text=money(value),
            y=index * ROW,
            width=_scaled(value, highest),
        )
        for index, (key, label, value) in enumerate(items)
    ]
    return Chart(slug=slug, title=title, bars=bars, total=sum((v for *_, v in items), ZERO))


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from ``start``'s to ``end``'s, oldest first."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1)]


def _issued(invoices: InvoiceQuerySet, start: date, end: date) -> InvoiceQuerySet:
    return invoices.exclude(status=InvoiceStatus.DRAFT).filter(
        invoice_date__gte=start, invoice_date__lte=end
    )


def revenue_by_month(invoices: InvoiceQuerySet, start: date, end: date) -> Chart:
    rows = (
        _issued(invoices, start, end)
        .annotate(month=TruncMonth("invoice_date"))
        .order_by()
        .values("month")
        .annotate(net=Sum("total_net"))
    )
    by_month = {row["month"]: row["net"] or ZERO for row in rows}
    items = [
        (f"{month:%Y-%m}", f"{month.month}/{month.year}", by_month.get(month, ZERO))
        for month in months_between(start, end)
    ]
    return _money_chart("month", _("Invoiced by month, without VAT"), items)


def revenue_by_organisation(invoices: InvoiceQuerySet, start: date, end: date) -> Chart:
    """Orderers by revenue, largest first; invoices to private clients together in one bar."""
    rows = (
        _issued(invoices, start, end)
        .order_by()
        .values("organisation__uuid", "organisation__name")
        .annotate(net=Sum("total_net"))
    )
    items = [
        (
            str(row["organisation__uuid"] or "private"),
            row["organisation__name"] or _("Private clients"),
            row["net"] or ZERO,
        )
        for row in rows
    ]
    items.sort(key=lambda item: (-item[2], item[1]))
    return _money_chart("organisation", _("Invoiced by orderer, without VAT"), items)


def revenue_by_form(invoices: InvoiceQuerySet, start: date, end: date) -> Chart:
    """By the kind of client a line's contract supervises: individual, group, team or work
    community; lines added by hand, without a contract, under "other"."""
    rows = (
        InvoiceLine.objects.filter(invoice__in=_issued(invoices, start, end))
        .order_by()
        .values("contract__client__kind")
        .annotate(net=Sum("net"))
    )
    by_kind = {row["contract__client__kind"] or "": row["net"] or ZERO for row in rows}
    items = [(kind.value, str(kind.label), by_kind.get(kind.value, ZERO)) for kind in ClientKind]
    if by_kind.get(""):
        items.append(("other", _("Other"), by_kind[""]))
    return _money_chart("form", _("Invoiced by form of supervision, without VAT"), items)


LATE_STATUSES = [MeetingStatus.CANCELLED_LATE, MeetingStatus.NO_SHOW]


@dataclass(frozen=True)
class Delivery:
    key: str
    title: str
    client: str
    agreed: int
    held: int
    late: int

    @property
    def remaining(self) -> int:
        return max(self.agreed - self.held - self.late, 0)


def meetings_delivered(contracts: ContractQuerySet, start: date, end: date) -> list[Delivery]:
    """Each contract running in the period: its held meetings and its late cancellations and
    no-shows that are billable, against the number of meetings agreed."""
    running = (
        contracts.exclude(status=Status.DRAFT)
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("client")
        .annotate(
            held=Count("meetings", filter=Q(meetings__status=MeetingStatus.HELD)),
            late=Count("meetings", filter=Q(meetings__status__in=LATE_STATUSES)),
        )
        .order_by("start_date", "title")
    )
    return [
        Delivery(
            key=str(contract.uuid),
            title=contract.title,
            client=contract.client.name,
            agreed=contract.meeting_count,
            held=contract.held,
            late=contract.late if contract.late_cancellation_percent > 0 else 0,
        )
        for contract in running
    ]


def delivery_chart(deliveries: list[Delivery]) -> Chart:
    highest = max((max(d.agreed, d.held + d.late) for d in deliveries), default=0)
    bars = []
    for index, delivery in enumerate(deliveries):
        held = _scaled(delivery.held, highest)
        text = f"{delivery.held}/{delivery.agreed}" + (
            f" (+{delivery.late})" if delivery.late else ""
        )
        spoken = _("%(held)s of %(agreed)s meetings held") % {
            "held": delivery.held,
            "agreed": delivery.agreed,
        }
        if delivery.late:
            spoken += ", " + _("%(count)s cancelled late and billable") % {"count": delivery.late}
        bars.append(
            Bar(
                key=delivery.key,
                label=delivery.title,
                value=Decimal(delivery.held),
                text=text,
                spoken=spoken,
                y=index * ROW,
                width=held,
                outline=_scaled(delivery.agreed, highest),
                extra_x=held,
                extra=_scaled(delivery.held + delivery.late, highest) - held,
            )
        )
    return Chart(slug="delivered", title=_("Meetings held against meetings agreed"), bars=bars)
