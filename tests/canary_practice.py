"""A third practice whose every content field holds a canary string.

The practice is built through the real actions, so that it has one or more rows of every kind
of object Tila stores. Then every text field of every row it added is overwritten with a canary
(sealed fields are sealed again with the canary as their text), and the contract's frozen
version and history are written after that, so that they carry canaries too.

``UNCOVERED`` lists the text fields that do not get a canary, each with its reason. A new model
or a new text field that is neither filled nor listed fails ``coverage_problems()``.
"""

import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.apps import apps
from django.db import models
from PIL import Image

from tests.billing_helpers import give_addresses
from tests.factories import (
    add_member,
    at,
    make_contact,
    make_contract,
    make_meeting,
    make_organisation,
    make_practice,
    make_service,
    make_team,
    make_user,
)
from tests.intake_helpers import make_inquiry, publish
from tila.accounts.models import User
from tila.billing.actions import issue_invoice, propose_invoice, send_reminder
from tila.billing.models import Invoice, InvoiceLine
from tila.contracts.actions import record_acceptance, save_framework_agreement
from tila.contracts.models import (
    Contract,
    ContractVersion,
    FrameworkAgreement,
    FrameworkPriceLine,
    Party,
    PriceUnit,
)
from tila.contracts.terms import build_terms
from tila.evaluations.actions import (
    goal_questionnaire,
    measure_questionnaire,
    open_round,
    save_questionnaire,
    submit_answers,
)
from tila.evaluations.links import links_to_send
from tila.evaluations.models import EvaluationRound, EvaluationSchedule, Item, ItemKind, Point
from tila.evaluations.scheduling import save_schedule
from tila.evaluations.sharing import fingerprint, orderer_summary, share_orderer_summary
from tila.intake.models import Booking, Inquiry
from tila.journal.actions import share_entry, write_entry
from tila.journal.models import JournalEntry, Prompt
from tila.keys.registry import sealed_fields
from tila.keys.sealing import seal
from tila.live.actions import act_on_board, add_card, create_deck, end_run, join_run, start_run
from tila.meetings.actions import cancel_meeting
from tila.meetings.models import CancelledBy, Meeting, MeetingStatus
from tila.notes.actions import create_note, lock_note, save_note
from tila.notes.models import Note
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee
from tila.practices.models import Membership, Role, VatTreatment
from tila.scheduling.actions import answer_poll, create_poll
from tila.scheduling.models import Choice
from tila.statements.actions import create_statement, release_statement
from tila.statements.models import Statement
from tila.topics.actions import send_topic
from tila.topics.models import Topic

# (model label, field name): why the field holds no canary.
UNCOVERED: dict[tuple[str, str], str] = {
    ("accounts.User", "password"): "a password hash, never shown",
    ("keys.DataKey", "key_id"): "key material identifiers, never shown",
    ("meetings.CalendarFeed", "token_hash"): "the hash of a secret link, never shown",
    ("portal.PortalCalendarFeed", "token_hash"): "the hash of a secret link, never shown",
    ("scheduling.PollInvitee", "token_hash"): "the hash of a secret link, never shown",
    ("keys.DataKey", "master_key_id"): "key material identifiers, never shown",
    ("keys.SealedCheck", "value"): "a key check value, never shown",
    ("audit.AuditEvent", "actor_label"): "append-only: written before the canaries",
    ("audit.AuditEvent", "object_type"): "append-only: written before the canaries",
    ("audit.AuditEvent", "object_id"): "append-only: written before the canaries",
    ("audit.AuditEvent", "prev_hash"): "append-only: written before the canaries",
    ("audit.AuditEvent", "hash"): "append-only: written before the canaries",
    # Too short to hold a canary; public registry data in any case.
    ("practices.Practice", "business_id"): "a business ID (Y-tunnus)",
    ("live.Run", "join_code"): "a short random code shown on the shared screen",
    ("live.OwnCard", "image"): "the name of a stored picture file, made from random digits",
    ("live.OwnCard", "image_type"): "the stored picture's media type, set by Tila",
    ("evaluations.EvaluationRound", "measure"): "the key of a built-in measure, never shown",
    ("practices.Practice", "postal_code"): "a postal code",
    ("practices.Practice", "bic"): "a bank's BIC",
    ("clients.Organisation", "business_id"): "a business ID (Y-tunnus)",
    ("clients.Organisation", "postal_code"): "a postal code",
    ("billing.Invoice", "seller_business_id"): "a business ID (Y-tunnus)",
    ("billing.Invoice", "buyer_business_id"): "a business ID (Y-tunnus)",
    ("billing.Invoice", "seller_postal_code"): "a postal code",
    ("billing.Invoice", "buyer_postal_code"): "a postal code",
    ("billing.Invoice", "seller_bic"): "a bank's BIC",
}
# Models that hold no text of their own (links, counts, times), so no canary either.
NO_TEXT = {
    "billing.CertificateRelease",
    "clients.ClientMember",
    "meetings.Attendance",
    "meetings.Absence",
    "portal.SuperviseeAccount",
    "evaluations.EvaluationRound",
    "evaluations.Respondent",
    "evaluations.EvaluationSchedule",
    "evaluations.AnswerLink",
    "evaluations.Response",
    "scheduling.PollTime",
    "scheduling.PollAnswer",
}


def field_tag(label: str, field_name: str) -> str:
    """Four hex digits that name the field a canary was written into."""
    return hashlib.sha256(f"{label}.{field_name}".encode()).hexdigest()[:4]


def tagged(canary: str, label: str, field_name: str) -> str:
    return f"{canary}{field_tag(label, field_name)}"


def fields_seen(canary: str, text: str) -> set[str]:
    """The fields whose canaries are in ``text`` ("?" for a canary without a field's tag)."""
    tags = {
        field_tag(model._meta.label, field.name): f"{model._meta.label}.{field.name}"
        for model in tila_models()
        for field in text_fields(model)
    }
    return {tags.get(tag, "?") for tag in re.findall(re.escape(canary) + r"([0-9a-f]{4})?", text)}


def new_canary() -> str:
    """Lower case letters and digits, so that it fits slugs, emails and case-folded pages."""
    return "kanaria" + secrets.token_hex(4)


@dataclass
class CanaryPractice:
    canary: str
    practice: Any
    owner: User
    service: Any
    organisation: Any
    contact: Any
    client: Any
    member: Any
    contract: Contract
    meeting: Meeting
    note: Note
    topic: Topic
    statement: Statement
    entry: JournalEntry
    inquiry: Inquiry
    invoice: Invoice
    invoice_line: InvoiceLine
    filled: set[tuple[str, str]]
    rows: dict[str, set[Any]]


def text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def tila_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("tila.")]


def _snapshot() -> dict[str, set[Any]]:
    return {
        model._meta.label: set(model._default_manager.values_list("pk", flat=True))
        for model in tila_models()
    }


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 120, 90)).save(out, format="WEBP")
    return out.getvalue()


def _build(canary: str) -> dict[str, Any]:
    practice = make_practice(canary, f"Praktiikka {canary}")
    owner = make_user(f"{canary}@example.test", f"Omistaja {canary}")
    add_member(practice, owner, Role.OWNER)
    add_member(practice, make_user(f"{canary}.assi@example.test", canary), Role.ASSISTANT)
    service = make_service(practice)
    organisation = make_organisation(practice, f"Organisaatio {canary}")
    contact = make_contact(organisation)
    contact.email = f"{canary}.contact@example.test"
    contact.save()
    client = make_team(practice, organisation)
    framework = save_framework_agreement(
        agreement=FrameworkAgreement(
            practice=practice,
            organisation=organisation,
            title=canary,
            valid_from=date(2026, 1, 1),
            valid_until=date(2028, 12, 31),
        ),
        price_lines=[
            FrameworkPriceLine(
                description=canary,
                unit=PriceUnit.MEETING,
                unit_price=Decimal("210.00"),
                vat_treatment=VatTreatment.STANDARD,
            )
        ],
    )
    contract = make_contract(practice, client, owner, organisation, contact)
    contract.framework_agreement = framework
    contract.save(update_fields=["framework_agreement"])
    meeting = make_meeting(contract, owner, at(2026, 12, 1))
    later = make_meeting(contract, owner, at(2026, 12, 22))
    member = client.members.select_related("person").order_by("person__name").first()
    assert member is not None
    supervisee = invite_supervisee(member=member, actor=owner)
    invite_contact(contact=contact, actor=owner)
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        topic = send_topic(
            meeting=meeting,
            person=member.person,
            actor=supervisee.user,
            text=canary,
            share_with_group=True,
        )
        entry = write_entry(
            person=member.person, prompt=Prompt.WENT_WELL, text=canary, actor=supervisee.user
        )
        share_entry(entry=entry, meeting=meeting, actor=supervisee.user)
        cancel_meeting(
            meeting=later,
            cancelled_by=CancelledBy.SUPERVISOR,
            cancelled_at=at(2026, 11, 15, 12),
            reason=canary,
            actor=owner,
        )
    note = create_note(
        contract=contract, meeting=meeting, kind="private", outline="meeting", actor=owner
    )
    lock_note(note=note, actor=owner)
    save_note(note=note, text=canary, actor=owner, reason=canary)  # a revision
    summary = create_note(
        contract=contract, meeting=meeting, kind="summary", outline="summary", actor=owner
    )
    create_note(contract=contract, meeting=None, kind="private", outline="meeting", actor=owner)
    publish(practice, owner)
    inquiry = make_inquiry(practice, name=canary, email=f"{canary}.ask@example.test")
    Booking.objects.create(
        practice=practice,
        supervisor=owner,
        start=at(2026, 12, 3, 10),
        end=at(2026, 12, 3, 10, 30),
        name=canary,
        email=f"{canary}.book@example.test",
    )
    statement = create_statement(contract=contract, text=canary, actor=owner)
    release_statement(statement=statement, actor=owner)
    record_acceptance(
        contract=contract,
        actor=owner,
        version=contract.version,
        party=Party.ORDERER,
        accepted_by_name=canary,
        accepted_at=at(2026, 10, 31),
    )
    del summary
    give_addresses(practice, organisation)
    held = make_meeting(contract, owner, at(2026, 10, 6, 12))
    held.status = MeetingStatus.HELD
    held.save()
    invoice = issue_invoice(
        invoice=propose_invoice(
            practice=practice,
            contracts=[contract],
            organisation=None,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            actor=owner,
        ),
        actor=owner,
        today=date(2026, 10, 31),
    )
    send_reminder(
        invoice=invoice, actor=owner, fee=Decimal("5.00"), by_email=True, today=date(2026, 11, 20)
    )
    exercise = start_run(
        meeting=meeting, actor=owner, method="cards", deck="pictures", prompt=canary
    )
    join_run(run=exercise, user=None, name=canary)
    wall = start_run(meeting=meeting, actor=owner, method="board", layout="four", prompt=canary)
    writer = join_run(run=wall, user=None, name=canary)
    act_on_board(participant=writer, data={"action": "write", "text": canary, "area": 0})
    # The owner's own decks: words, and a picture with its caption, used in a running exercise.
    owner_membership = Membership.objects.get(practice=practice, user=owner)
    words = create_deck(membership=owner_membership, name=canary, language="fi", pictures=False)
    add_card(deck=words, text=canary)
    pictures = create_deck(membership=owner_membership, name=canary, language="fi", pictures=True)
    add_card(deck=pictures, text=canary, image=_webp())
    start_run(meeting=meeting, actor=owner, method="cards", deck=pictures.key, prompt=canary)
    saved = start_run(meeting=meeting, actor=owner, method="scale", prompt=canary)
    end_run(run=saved, actor=owner, save=True)
    evaluation = open_round(
        contract=contract,
        questionnaire=measure_questionnaire(practice, "baseline"),
        anonymous=True,
        k=3,
        actor=owner,
    )
    items = Item.objects.filter(section__questionnaire=evaluation.questionnaire)
    submit_answers(
        evaluation=evaluation,
        person=member.person,
        actor=supervisee.user,
        values={
            item: 4 if item.is_numeric else ([0, 2] if item.kind == ItemKind.MULTIPLE else canary)
            for item in items
        },
    )
    # The supervisor's own questionnaire, built with every kind of question, answered in a
    # named round.
    own = save_questionnaire(
        practice,
        {
            "title_fi": canary,
            "title_en": canary,
            "intro_fi": canary,
            "intro_en": canary,
            "sections": [
                {
                    "title_fi": canary,
                    "title_en": canary,
                    "items": [
                        {
                            "kind": kind,
                            "fi": canary,
                            "en": canary,
                            "low_fi": canary,
                            "low_en": canary,
                            "high_fi": canary,
                            "high_en": canary,
                            "choices": [{"fi": canary, "en": canary}] * 2,
                        }
                        for kind in ItemKind.values
                    ],
                }
            ],
        },
        actor=owner,
    )
    own_round = open_round(contract=contract, questionnaire=own, anonymous=False, k=3, actor=owner)
    submit_answers(
        evaluation=own_round,
        person=member.person,
        actor=supervisee.user,
        values={
            item: 4 if item.is_numeric else (canary if item.is_text else [1])
            for item in Item.objects.filter(section__questionnaire=own)
        },
    )
    # The contract's evaluation points, and its goal attainment at the start with a personal
    # answer link per member.
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        save_schedule(EvaluationSchedule(contract=contract, session_feedback=True), actor=owner)
    goals = goal_questionnaire(contract)
    assert goals is not None
    goals_round = open_round(
        contract=contract,
        questionnaire=goals,
        anonymous=True,
        k=3,
        actor=None,
        point=Point.START,
    )
    links_to_send(goals_round)
    submit_answers(
        evaluation=goals_round,
        person=member.person,
        actor=None,
        values=dict.fromkeys(
            Item.objects.filter(section__questionnaire=goals_round.questionnaire), 7
        ),
    )
    poll = create_poll(
        contract=contract,
        supervisor=owner,
        times=[
            (at(2027, 3, 2, 13), at(2027, 3, 2, 14, 30)),
            (at(2027, 3, 4, 9), at(2027, 3, 4, 11)),
        ],
        note=canary,
        deadline=at(2027, 3, 1, 12),
        show_names=False,
        actor=owner,
    )
    answer_poll(
        invitee=poll.invitees.get(member=member),
        answers=dict.fromkeys(poll.times.all(), Choice.YES),
    )
    # An interim evaluation with three answers, its group summary shared with the orderer.
    interim = open_round(
        contract=contract,
        questionnaire=measure_questionnaire(practice, "interim"),
        anonymous=False,
        k=3,
        actor=owner,
    )
    interim_items = list(Item.objects.filter(section__questionnaire=interim.questionnaire))
    for answering in client.members.select_related("person").order_by("person__name")[:3]:
        submit_answers(
            evaluation=interim,
            person=answering.person,
            actor=None,
            values={item: 6 if item.is_numeric else canary for item in interim_items},
        )
    share_orderer_summary(
        evaluation=interim, previewed=fingerprint(orderer_summary(interim)), actor=owner
    )
    return {
        "practice": practice,
        "owner": owner,
        "service": service,
        "organisation": organisation,
        "contact": contact,
        "client": client,
        "member": member,
        "contract": contract,
        "meeting": meeting,
        "note": note,
        "topic": topic,
        "statement": statement,
        "entry": entry,
        "inquiry": inquiry,
        "invoice": invoice,
        "invoice_line": invoice.lines.get(),
    }


def _fill(canary: str, practice: Any, rows: dict[str, set[Any]]) -> set[tuple[str, str]]:
    """Overwrite every text field of the new rows with the canary; return what was filled."""
    sealed = {(field.model._meta.label, field.field_name): field for field in sealed_fields()}
    filled: set[tuple[str, str]] = set()
    for model in tila_models():
        label = model._meta.label
        if not rows.get(label):
            continue
        for instance in model._default_manager.filter(pk__in=rows[label]):
            changed = []
            for field in text_fields(model):
                key = (label, field.name)
                if key in UNCOVERED:
                    continue
                max_length = getattr(field, "max_length", None)
                value = tagged(canary, label, field.name)
                if field.name in ("email", "billing_email"):
                    value = f"{value}.{instance.pk}@example.test"
                elif field.name == "slug" or (field.unique and key not in sealed):
                    value = f"{value}x{instance.pk}"
                if max_length is not None and len(value) > max_length:
                    continue  # too short to hold a canary: reported by coverage_problems()
                if key in sealed:
                    value = seal(
                        practice,
                        value,
                        context=sealed[key].context_fn(instance),
                    )
                setattr(instance, field.attname, value)
                changed.append(field.attname)
                filled.add(key)
            if changed:
                model._default_manager.filter(pk=instance.pk).update(
                    **{name: getattr(instance, name) for name in changed}
                )
    return filled


def build_canary_practice() -> CanaryPractice:
    canary = new_canary()
    before = _snapshot()
    objects = _build(canary)
    after = _snapshot()
    rows = {label: after[label] - before.get(label, set()) for label in after}
    filled = _fill(canary, objects["practice"], rows)
    # The frozen versions of the terms, written again from the canaried contract.
    contract = Contract.objects.get(pk=objects["contract"].pk)
    ContractVersion.objects.filter(contract=contract).update(terms=build_terms(contract))
    # The shared summaries of group results, frozen again from the canaried questions.
    for shared in Statement.objects.filter(contract=contract, summary_of__isnull=False):
        assert shared.summary_of is not None
        evaluation = EvaluationRound.objects.get(uuid=shared.summary_of)
        Statement.objects.filter(pk=shared.pk).update(summary=orderer_summary(evaluation))
    fresh = {
        name: type(value)._default_manager.get(pk=value.pk) if hasattr(value, "pk") else value
        for name, value in objects.items()
    }
    return CanaryPractice(canary=canary, filled=filled, rows=rows, **fresh)


def coverage_problems(built: CanaryPractice) -> list[str]:
    """Models with text that the canary practice has no row of, and text fields left empty."""
    problems = []
    for model in tila_models():
        label = model._meta.label
        fields = [field for field in text_fields(model) if (label, field.name) not in UNCOVERED]
        if not fields:
            continue
        if label in NO_TEXT:
            problems.append(f"{label} is listed as holding no text but has {fields}")
            continue
        if not built.rows.get(label):
            problems.append(f"no row of {label} in the canary practice")
            continue
        for field in fields:
            if (label, field.name) not in built.filled:
                problems.append(f"{label}.{field.name} holds no canary")
    return problems
