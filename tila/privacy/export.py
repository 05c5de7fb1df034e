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


def _display(value: Value) -> str | list[str]:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, list):
        return [str(part) for part in value] or "–"
    return str(value)


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
                    [(fact.label, _display(fact.value)) for fact in record]
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
