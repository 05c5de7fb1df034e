"""The export file: a zip with the data as JSON (for machines, Art. 20) and as a readable
HTML page (for the person, Art. 15), in the site's language (Finnish first)."""

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tila.clients.models import Contact, Person
from tila.lib.privacy import Section, Value
from tila.lib.templatetags.tila import short_date, when
from tila.practices.models import Practice

SCHEMA = "tila.person-export/1"
JSON_NAME = "tiedot.json"
HTML_NAME = "tiedot.html"


def _json_value(value: Value) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _display(label: str, value: Value) -> dict[str, Any]:
    """One fact for the readable page: ``text``, or ``parts`` for a list."""
    if isinstance(value, list) and value:
        return {"label": label, "parts": [str(part) for part in value]}
    if value is None or value == "" or value == []:
        text = "–"
    elif isinstance(value, bool):
        text = _("Yes") if value else _("No")
    elif isinstance(value, datetime):
        text = when(value)
    elif isinstance(value, date):
        text = short_date(value)
    else:
        text = str(value)
    return {"label": label, "text": text}


def _kind(subject: Person | Contact) -> str:
    return "orderer_contact" if isinstance(subject, Contact) else "supervisee"


def as_json(
    *, subject: Person | Contact, practice: Practice, sections: list[Section], at: datetime
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generated_at": at.isoformat(),
        "controller": {
            "name": practice.name,
            "business_id": practice.business_id,
            "email": practice.email,
        },
        "subject": {"kind": _kind(subject), "id": str(subject.uuid)},
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "about": section.about,
                "records": [
                    {fact.key: _json_value(fact.value) for fact in record}
                    for record in section.records
                ],
            }
            for section in sections
        ],
    }


def build_zip(
    *, subject: Person | Contact, practice: Practice, sections: list[Section], at: datetime
) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        data = as_json(subject=subject, practice=practice, sections=sections, at=at)
        readable = [
            {
                "title": section.title,
                "about": section.about,
                "records": [
                    [_display(fact.label, fact.value) for fact in record]
                    for record in section.records
                ],
            }
            for section in sections
        ]
        page = render_to_string(
            "privacy/export.html",
            {
                "subject": subject,
                "practice": practice,
                "sections": readable,
                "at": at,
                "json_name": JSON_NAME,
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(HTML_NAME, page)
    return buffer.getvalue()
