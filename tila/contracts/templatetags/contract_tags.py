"""The contract's history in the reader's language: events are stored as kind + data."""

from datetime import datetime
from typing import Any

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.contracts.models import ContractEvent, EventKind, Party, Status
from tila.lib.templatetags.tila import when

register = template.Library()


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def _when(value: Any) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else value
    return when(parsed) if isinstance(parsed, datetime) else ""


def _meeting_sentence(kind: str, data: dict[str, Any]) -> str | None:
    start = _when(data.get("start") or data.get("old_start") or data.get("from"))
    if kind == EventKind.MEETING_HELD and start:
        return _("Meeting on %(start)s held.") % {"start": start}
    if kind == EventKind.MEETING_CANCELLED and start:
        return _("Meeting on %(start)s cancelled.") % {"start": start}
    if kind == EventKind.ABSENCE_REPORTED and start:
        if data.get("late"):
            return _(
                "A member reported an absence from the meeting on %(start)s, with less notice "
                "than the contract requires."
            ) % {"start": start}
        return _("A member reported an absence from the meeting on %(start)s.") % {"start": start}
    if kind == EventKind.MEETING_MOVED:
        new = _when(data.get("new_start") or data.get("to"))
        if start and new:
            return _("Meeting moved from %(start)s to %(new)s.") % {"start": start, "new": new}
    return None


def describe_event(event: ContractEvent) -> str:
    """One sentence for one event; falls back to the kind's name if the data is unexpected."""
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    kind = event.kind
    version = data.get("version", "")
    sentence: str | None = None
    if kind == EventKind.CREATED:
        sentence = _("Contract created as version %(version)s.") % {"version": version or 1}
    elif kind == EventKind.EDITED:
        sentence = _("Version %(version)s edited.") % {"version": version}
    elif kind == EventKind.NEW_VERSION:
        sentence = _("Version %(version)s made; version %(previous)s stays as it was accepted.") % {
            "version": version,
            "previous": data.get("previous", ""),
        }
    elif kind == EventKind.ACCEPTED:
        sentence = _("%(party)s: %(name)s accepted version %(version)s (%(at)s).") % {
            "party": _label(Party, data.get("party")),
            "name": data.get("name", ""),
            "version": version,
            "at": _when(data.get("at")),
        }
    elif kind == EventKind.STATUS:
        sentence = _("Status changed from “%(old)s” to “%(new)s”.") % {
            "old": _label(Status, data.get("old")),
            "new": _label(Status, data.get("new")),
        }
    elif kind == EventKind.MEETINGS_PLANNED and isinstance(data.get("count"), int):
        count = data["count"]
        sentence = ngettext("%(count)s meeting planned.", "%(count)s meetings planned.", count) % {
            "count": count
        }
    else:
        sentence = _meeting_sentence(kind, data)
    return sentence or _label(EventKind, kind)


@register.filter
def event_sentence(event: ContractEvent) -> str:
    return describe_event(event)
