"""The shapes that each app's ``privacy.py`` returns to ``tila.privacy``.

A provider (one domain app's ``privacy.py``) answers three questions about one person of
the practice's address book (a supervisee or an orderer's contact person):

- ``export_person(subject, *, actor)``: what do we hold about them? (``Section`` list)
- ``plan_erasure(subject)``: what would erasing them remove, and what would stay, and why?
- ``erase_person(subject, *, actor, pseudonym)``: remove it; returns counts for the audit log.

Nothing here knows a model: the types are plain data, so every app can use them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

Value = str | int | bool | None | date | datetime | list[str]


@dataclass(frozen=True)
class Item:
    """One fact: a stable machine key for the JSON, a label for people, the value."""

    key: str
    label: str
    value: Value


@dataclass
class Section:
    """Everything of one kind that one app holds about the person."""

    key: str
    title: str
    about: str
    records: list[list[Item]] = field(default_factory=list)


@dataclass(frozen=True)
class PlanLine:
    """One line of the erasure preview."""

    text: str
    erase: bool
    reason: str = ""


Counts = dict[str, int]


def item(key: str, label: Any, value: Value) -> Item:
    return Item(key=key, label=str(label), value=value)


def replace_name(value: Any, old: str, new: str) -> Any:
    """``value`` with every occurrence of the text ``old`` replaced, inside strings, lists
    and dicts (e.g. a frozen JSON document). An empty ``old`` changes nothing."""
    if not old:
        return value
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [replace_name(part, old, new) for part in value]
    if isinstance(value, Mapping):
        return {key: replace_name(part, old, new) for key, part in value.items()}
    return value


def blank_keys(value: Any, keys: set[str], when: Mapping[str, str]) -> Any:
    """``value`` with the given keys emptied in every dict whose items include ``when``
    (e.g. the email and phone of a contact person with a given name in a frozen document)."""
    if isinstance(value, list):
        return [blank_keys(part, keys, when) for part in value]
    if isinstance(value, Mapping):
        matches = all(value.get(key) == wanted for key, wanted in when.items())
        return {
            key: "" if matches and key in keys else blank_keys(part, keys, when)
            for key, part in value.items()
        }
    return value
