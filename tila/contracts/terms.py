"""A contract's terms as one display-ready document.

The same structure is stored as a ContractVersion snapshot and rendered by the contract
page, the print view and old versions, so an accepted version reads exactly as it was.
Each value is kept twice: the raw ``value`` (compared to tell whether anything changed)
and a ``display`` string (what the parties read)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tila.contracts.models import Contract
from tila.lib.templatetags.tila import short_date

SCHEMA = 1

# The ten points of Suomen Työnohjaajat ry's contract list, and the wall towards the orderer.
SECTIONS: list[tuple[str, Any, list[str]]] = [
    (
        "duration",
        gettext_lazy("1. Duration and number of meetings"),
        ["start_date", "end_date", "meeting_count", "meeting_minutes"],
    ),
    ("scheduling", gettext_lazy("2. How meetings are scheduled"), ["rhythm_weeks", "scheduling"]),
    ("place", gettext_lazy("3. Meeting place"), ["place_kind", "place", "remote_link"]),
    ("goals", gettext_lazy("4. Goals"), []),
    (
        "evaluation",
        gettext_lazy("5. Evaluation"),
        ["evaluation_plan", "evaluation_interval_months", "evaluation_summary_to_orderer"],
    ),
    ("methods", gettext_lazy("6. Methods"), ["methods"]),
    (
        "price",
        gettext_lazy("7. Price, payer and payment terms"),
        ["payment_terms_days", "buyer_reference", "order_number", "cost_centre", "travel"],
    ),
    (
        "cancellations",
        gettext_lazy("8. Cancellations"),
        ["cancellation_notice_hours", "late_cancellation_percent"],
    ),
    ("interruption", gettext_lazy("9. Interrupting the supervision"), ["interruption_procedure"]),
    (
        "dissatisfaction",
        gettext_lazy("10. If a party is dissatisfied"),
        ["dissatisfaction_procedure"],
    ),
    (
        "confidentiality",
        gettext_lazy("Confidentiality and what the orderer is told"),
        ["orderer_visibility", "confidentiality", "earlier_relationships"],
    ),
]
HEADINGS = {key: heading for key, heading, _fields in SECTIONS}

# Keys that hold words for the reader rather than the agreed values themselves.
DISPLAY_KEYS = {"display", "label", "heading", "version"}


def _raw(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _display(contract: Contract, name: str) -> str:
    value = getattr(contract, name)
    field = Contract._meta.get_field(name)
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(getattr(contract, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return short_date(value)
    number = {"n": value}
    formats = {
        "meeting_minutes": lambda: _("%(n)s min") % number,
        "rhythm_weeks": lambda: ngettext("every %(n)s week", "every %(n)s weeks", value) % number,
        "evaluation_interval_months": lambda: (
            ngettext("every %(n)s month", "every %(n)s months", value) % number
        ),
        "payment_terms_days": lambda: ngettext("%(n)s day net", "%(n)s days net", value) % number,
        "cancellation_notice_hours": lambda: (
            ngettext("at least %(n)s hour before", "at least %(n)s hours before", value) % number
        ),
        "late_cancellation_percent": lambda: _("%(n)s %% of the price") % number,
    }
    if name in formats:
        return str(formats[name]())
    return str(value)


def _field(contract: Contract, name: str) -> dict[str, Any]:
    field = Contract._meta.get_field(name)
    return {
        "name": name,
        "label": str(capfirst(field.verbose_name)),  # type: ignore[union-attr]
        "value": _raw(getattr(contract, name)),
        "display": _display(contract, name),
    }


def build_terms(contract: Contract) -> dict[str, Any]:
    """Everything the parties agree on, from the contract as it is now (one JSON document)."""
    organisation = contract.organisation
    contact = contract.orderer_contact
    payer = None
    if organisation is not None:
        payer = {
            "name": organisation.name,
            "business_id": organisation.business_id,
            "street_address": organisation.street_address,
            "postal_code": organisation.postal_code,
            "city": organisation.city,
            "billing_email": organisation.billing_email,
            "einvoice_address": organisation.einvoice_address,
            "einvoice_operator": organisation.einvoice_operator,
        }
    return {
        "schema": SCHEMA,
        "version": contract.version,
        "title": contract.title,
        "form": {"value": contract.form, "display": contract.get_form_display()},
        "supervisors": sorted(user.name for user in contract.supervisors.all()),
        "client": {
            "name": contract.client.name,
            "kind": contract.client.kind,
            "display": contract.client.get_kind_display(),
        },
        "payer": payer,
        "contact": None
        if contact is None
        else {
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
        },
        "sections": [
            {
                "key": key,
                "heading": str(heading),
                "fields": [_field(contract, name) for name in names],
            }
            for key, heading, names in SECTIONS
        ],
        "goals": [
            {
                "text": goal.text,
                "visibility": goal.visibility,
                "display": goal.get_visibility_display(),
            }
            for goal in contract.goals.all()
        ],
        "price_lines": [
            {
                "description": line.description,
                "unit": line.unit,
                "unit_display": line.get_unit_display(),
                "unit_price": str(line.unit_price),
                "vat_treatment": line.vat_treatment,
                "vat_display": line.get_vat_treatment_display(),
                "is_travel": line.is_travel,
            }
            for line in contract.price_lines.all()
        ],
    }


def agreed_values(terms: Any) -> Any:
    """The terms without the words around them: equal when nothing agreed has changed."""
    if isinstance(terms, dict):
        return {
            key: agreed_values(value)
            for key, value in terms.items()
            if key not in DISPLAY_KEYS and not key.endswith("_display")
        }
    if isinstance(terms, list):
        return [agreed_values(item) for item in terms]
    return terms


def readable(terms: dict[str, Any]) -> dict[str, Any]:
    """Stored terms with headings and labels in the reader's language where they still exist."""
    sections = []
    for section in terms.get("sections", []):
        fields = []
        for field in section.get("fields", []):
            try:
                model_field = Contract._meta.get_field(field["name"])
                label = str(capfirst(model_field.verbose_name))  # type: ignore[union-attr]
            except FieldDoesNotExist:  # a field removed since the version was stored
                label = field.get("label", field["name"])
            fields.append({**field, "label": label})
        heading = HEADINGS.get(section["key"], section.get("heading", ""))
        sections.append({**section, "heading": str(heading), "fields": fields})
    return {**terms, "sections": sections}
