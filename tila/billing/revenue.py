"""Revenue by month: the issued invoices' totals without VAT over the last twelve months, credit
notes deducted, with the geometry of a server-rendered bar chart."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from tila.billing.models import InvoiceQuerySet, InvoiceStatus

MONTHS = 12
WIDTH = 720
HEIGHT = 260
TOP = 34
BASELINE = 220
SLOT = WIDTH // MONTHS
BAR = 40


@dataclass(frozen=True)
class MonthBar:
    month: date
    net: Decimal
    x: int
    y: int
    height: int

    @property
    def label(self) -> str:
        return f"{self.month.month}/{self.month.year % 100:02d}"

    @property
    def month_number(self) -> int:
        """The chart's axis label; the year shows in the table and the description."""
        return self.month.month

    @property
    def label_x(self) -> int:
        return self.x + BAR // 2


@dataclass(frozen=True)
class Revenue:
    bars: list[MonthBar]
    total: Decimal
    highest: Decimal

    width: int = WIDTH
    height: int = HEIGHT
    top: int = TOP
    baseline: int = BASELINE
    label_y: int = BASELINE + 24


def _months_back(today: date, count: int) -> list[date]:
    """The first days of the ``count`` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def monthly_revenue(invoices: InvoiceQuerySet, today: date) -> Revenue:
    """The given invoices' net totals by month of their invoice date (drafts left out)."""
    months = _months_back(today, MONTHS)
    rows = (
        invoices.exclude(status=InvoiceStatus.DRAFT)
        .filter(invoice_date__gte=months[0], invoice_date__lte=today)
        .annotate(month=TruncMonth("invoice_date"))
        .order_by()
        .values("month")
        .annotate(net=Sum("total_net"))
    )
    by_month = {row["month"]: row["net"] or Decimal("0.00") for row in rows}
    nets = [by_month.get(month, Decimal("0.00")) for month in months]
    highest = max(nets)
    span = BASELINE - TOP
    bars = []
    for position, (month, net) in enumerate(zip(months, nets, strict=True)):
        height = round(span * net / highest) if highest > 0 and net > 0 else 0
        x = position * SLOT + (SLOT - BAR) // 2
        bars.append(MonthBar(month=month, net=net, x=x, y=BASELINE - height, height=height))
    return Revenue(bars=bars, total=sum(nets, Decimal("0.00")), highest=highest)
