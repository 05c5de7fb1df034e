from datetime import date, datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import pgettext

from tila.lib import formatting

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return formatting.money(value)


@register.filter
def decimal_fi(value: Decimal | None, places: int = 1) -> str:
    return formatting.decimal_fi(value, places)


@register.filter
def when(value: datetime | None) -> str:
    """``ti 1.12.2026 klo 9.00`` in Finnish, ``Tue 1.12.2026 at 9:00`` in English."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return date_filter(value, pgettext("date format with weekday and time", r"D j.n.Y \a\t G:i"))


@register.filter
def day(value: date | datetime | None) -> str:
    """``ti 1.12.2026``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_filter(value, "D j.n.Y")


@register.filter
def short_date(value: date | datetime | None) -> str:
    """``1.12.2026``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_filter(value, "j.n.Y")


@register.filter
def clock(value: datetime | None) -> str:
    if value is None:
        return ""
    return date_filter(timezone.localtime(value), pgettext("time format", "G:i"))
