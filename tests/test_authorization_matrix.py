"""Every URL of Tila, requested as every persona, against own and foreign objects.

A URL pattern without a row in MATRIX fails the suite: nobody can add a URL without
deciding who may use it. Statuses: 200 page, 302 redirect (for anonymous: to the login),
403 not allowed in one's own practice, 404 not found (another practice's object, or a
contract that is not one's own), 405 wrong method."""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from tests.billing_helpers import give_addresses
from tests.factories import (
    World,
    add_member,
    at,
    make_contact,
    make_contract,
    make_meeting,
    make_organisation,
    make_team,
    make_user,
)
from tests.intake_helpers import make_inquiry, publish
from tila.billing.actions import issue_invoice, propose_invoice, send_reminder
from tila.billing.models import CertificateRelease
from tila.contracts.actions import save_framework_agreement
from tila.contracts.models import FrameworkAgreement
from tila.evaluations.actions import copy_measure, measure_questionnaire, open_round
from tila.evaluations.links import link_token
from tila.evaluations.models import AnswerLink, EvaluationRound
from tila.journal.actions import write_entry
from tila.live.actions import add_card, create_deck, start_run
from tila.meetings.actions import create_calendar_feed, record_absence
from tila.meetings.invitations import cancel_token
from tila.meetings.models import Attendance, MeetingStatus
from tila.notes.actions import create_note
from tila.orderers.actions import invite_contact
from tila.portal.actions import create_portal_calendar_feed, invite_supervisee
from tila.practices.models import Membership, Role
from tila.scheduling.actions import create_poll
from tila.scheduling.links import issue_link
from tila.scheduling.models import SchedulePoll
from tila.statements.actions import create_statement
from tila.topics.actions import send_topic

# anonymous; Anna, the owner of practice A; her assistant; a fellow supervisor with contracts of
# her own; the supervisor of practice B; a supervisee in Anna's team (member of world.client);
# the orderer's contact person of Anna's contract (world.contact); a supervisee of another group
# in practice A (the colleague's team); the contact person of another organisation that orders
# supervision from practice A; and a deactivated user who used to be a supervisor in practice A.
LISTED = ("anonymous", "owner", "assistant", "colleague", "other", "supervisee", "orderer")
# Rows give the listed personas; these follow from them (see _complete).
DERIVED = ("other_member", "other_contact", "deactivated")
PERSONAS = LISTED + DERIVED


@dataclass(frozen=True)
class Side:
    """The objects of one practice that URL kwargs are filled from."""

    service: Any
    organisation: Any
    contact: Any
    client: Any
    member: Any
    contract: Any
    meeting: Any
    note: Any
    topic: Any
    statement: Any
    entry: Any
    inquiry: Any
    invoice: Any
    invoice_line: Any


def _private_note(contract: Any, meeting: Any, supervisor: Any) -> Any:
    return create_note(
        contract=contract, meeting=meeting, kind="private", outline="meeting", actor=supervisor
    )


def _topic(member: Any, meeting: Any, supervisor: Any) -> Any:
    """A topic sent by the member to the meeting, before the meeting (1.12.2026) starts."""
    account = invite_supervisee(member=member, actor=supervisor)
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        return send_topic(
            meeting=meeting,
            person=member.person,
            actor=account.user,
            text="Aihe",
            share_with_group=False,
        )


def _journal_entry(member: Any) -> Any:
    """An entry in the journal of the member (invited to the portal by ``_topic``)."""
    return write_entry(
        person=member.person,
        prompt="went_well",
        text="Merkintä",
        actor=member.person.supervisee_account.user,
    )


def _inquiry(practice: Any, owner: Any) -> Any:
    """The practice's public page is published and has received an inquiry."""
    publish(practice, owner)
    return make_inquiry(practice)


def _invoice(contract: Any, supervisor: Any) -> Any:
    """An issued invoice for a meeting held in October 2026."""
    give_addresses(contract.practice, contract.organisation)
    meeting = make_meeting(contract, supervisor, at(2026, 10, 6, 12))
    meeting.status = MeetingStatus.HELD
    meeting.save()
    for member in contract.client.members.all():  # attended: the hours ledger counts it
        Attendance.objects.create(meeting=meeting, member=member, present=True)
    draft = propose_invoice(
        practice=contract.practice,
        contracts=[contract],
        organisation=None,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        actor=supervisor,
    )
    return issue_invoice(invoice=draft, actor=supervisor, today=date(2026, 10, 31))


def sides(world: World) -> tuple[Side, Side]:
    own_invoice = _invoice(world.contract, world.owner)
    foreign_invoice = _invoice(world.other_contract, world.other_owner)
    own = Side(
        service=world.service,
        organisation=world.organisation,
        contact=world.contact,
        client=world.client,
        member=world.client.members.first(),
        contract=world.contract,
        meeting=world.meeting,
        note=_private_note(world.contract, world.meeting, world.owner),
        topic=_topic(world.client.members.first(), world.meeting, world.owner),
        statement=create_statement(contract=world.contract, text="Luonnos", actor=world.owner),
        entry=_journal_entry(world.client.members.first()),
        inquiry=_inquiry(world.practice, world.owner),
        invoice=own_invoice,
        invoice_line=own_invoice.lines.first(),
    )
    foreign = Side(
        service=world.other_service,
        organisation=world.other_organisation,
        contact=world.other_contact,
        client=world.other_client,
        member=world.other_client.members.first(),
        contract=world.other_contract,
        meeting=world.other_meeting,
        note=_private_note(world.other_contract, world.other_meeting, world.other_owner),
        topic=_topic(world.other_client.members.first(), world.other_meeting, world.other_owner),
        statement=create_statement(
            contract=world.other_contract, text="Luonnos", actor=world.other_owner
        ),
        entry=_journal_entry(world.other_client.members.first()),
        inquiry=_inquiry(world.other_practice, world.other_owner),
        invoice=foreign_invoice,
        invoice_line=foreign_invoice.lines.first(),
    )
    return own, foreign


Kwargs = Callable[[Side], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    expect: dict[str, int]
    kwargs: Kwargs | None = None
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    # For object URLs: the status when a member of practice A asks for practice B's object.
    foreign: int = 404


def page(**overrides: int) -> dict[str, int]:
    """A member page: anonymous goes to the login, every member of a practice may open it."""
    expect = {"anonymous": 302, "owner": 200, "assistant": 200, "colleague": 200, "other": 200}
    expect.update(overrides)
    return expect


def owner_only(**overrides: int) -> dict[str, int]:
    return page(assistant=403, colleague=403, **overrides)


def own_object(**overrides: int) -> dict[str, int]:
    """A page about one of practice A's objects: practice B's supervisor gets 404."""
    return page(other=404, **overrides)


def contract_object(**overrides: int) -> dict[str, int]:
    """A page about Anna's contract: her fellow supervisor in the practice gets 404 too."""
    return page(other=404, colleague=404, **overrides)


def post_only(**overrides: int) -> dict[str, int]:
    """A POST endpoint requested with GET: the method is refused before anything is looked up."""
    expect = {"anonymous": 302, "owner": 405, "assistant": 405, "colleague": 405, "other": 405}
    expect.update(overrides)
    return expect


def public(**overrides: int) -> dict[str, int]:
    expect = dict.fromkeys(LISTED, 200)
    expect.update(overrides)
    return expect


def uuid_of(field: str) -> Kwargs:
    """URL kwargs ``<field>_uuid`` from the side's object of that name."""
    return lambda side: {f"{field}_uuid": getattr(side, field).uuid}


service, organisation, contact, client, member = map(
    uuid_of, ["service", "organisation", "contact", "client", "member"]
)


def subject(side: Side) -> dict[str, Any]:
    """A person of the practice's address book: the member's person."""
    return {"subject_uuid": side.member.person.uuid}


contract, meeting, note, topic, statement, entry, inquiry = map(
    uuid_of, ["contract", "meeting", "note", "topic", "statement", "entry", "inquiry"]
)
invoice, invoice_line = map(uuid_of, ["invoice", "invoice_line"])


def framework_agreement(side: Side) -> dict[str, Any]:
    """A framework agreement with the side's orderer, valid from 2026 to 2028."""
    made = save_framework_agreement(
        agreement=FrameworkAgreement(
            practice=side.organisation.practice,
            organisation=side.organisation,
            title="Työnohjauspalvelut",
            valid_from=date(2026, 1, 1),
            valid_until=date(2028, 12, 31),
        ),
        price_lines=[],
    )
    return {"agreement_uuid": made.uuid}


def reminder(side: Side) -> dict[str, Any]:
    """A payment reminder (to send by post) of the side's invoice, due on 14.11.2026."""
    made = send_reminder(
        invoice=side.invoice,
        actor=side.invoice.issued_by,
        fee=Decimal("0"),
        by_email=False,
        today=date(2026, 11, 20),
    )
    return {"reminder_uuid": made.uuid}


def person(side: Side) -> dict[str, Any]:
    """The member's person, whose hours the side's held meeting counts."""
    return {"person_uuid": side.member.person.uuid}


def released_certificate(side: Side) -> dict[str, Any]:
    """The member's supervisor offers her certificate in the portal (the URL takes nothing)."""
    CertificateRelease.objects.get_or_create(person=side.member.person)
    return {}


def practice_slug(side: Side) -> dict[str, Any]:
    return {"practice_slug": side.contract.practice.slug}


def _live_run(side: Side) -> Any:
    """A running live exercise in the side's meeting, started by its supervisor."""
    return start_run(
        meeting=side.meeting, actor=side.meeting.supervisor, method="scale", prompt="Kysymys"
    )


def live_run(side: Side) -> dict[str, Any]:
    return {"run_uuid": _live_run(side).uuid}


def evaluation(side: Side) -> dict[str, Any]:
    """An open anonymous evaluation round of the side's contract, without answers."""
    questionnaire = measure_questionnaire(side.contract.practice, "session_feedback")
    opened = open_round(
        contract=side.contract,
        questionnaire=questionnaire,
        anonymous=True,
        k=3,
        actor=side.meeting.supervisor,
    )
    return {"round_uuid": opened.uuid}


def questionnaire(side: Side) -> dict[str, Any]:
    """A questionnaire the side's practice made itself."""
    made = copy_measure(side.contract.practice, "session_feedback", actor=side.meeting.supervisor)
    return {"questionnaire_uuid": made.uuid}


def answer_link_token(side: Side) -> dict[str, Any]:
    """A member's personal link to answer an open round of the side's contract."""
    opened = EvaluationRound.objects.get(uuid=evaluation(side)["round_uuid"])
    link = AnswerLink.objects.create(round=opened, person=side.member.person)
    return {"token": link_token(link)}


def feed_token(side: Side) -> dict[str, Any]:
    """A fresh calendar link of the side's owner."""
    owner = Membership.objects.get(practice=side.contract.practice, role=Role.OWNER)
    return {"token": create_calendar_feed(owner)}


def absence(side: Side) -> dict[str, Any]:
    """An absence recorded by the side's owner: only she may remove it."""
    owner = Membership.objects.get(practice=side.contract.practice, role=Role.OWNER)
    found = record_absence(
        membership=owner, first_day=date(2026, 12, 28), last_day=date(2027, 1, 3)
    )
    return {"absence_uuid": found.uuid}


def portal_feed_token(side: Side) -> dict[str, Any]:
    """A fresh calendar link of the side's supervisee (invited to the portal by ``_topic``)."""
    return {"token": create_portal_calendar_feed(side.member.person.supervisee_account)}


def _own_card(side: Side) -> Any:
    """A picture card in a deck of the side's owner."""
    owner = Membership.objects.get(practice=side.contract.practice, role=Role.OWNER)
    deck = create_deck(membership=owner, name="Omat kuvat", language="fi", pictures=True)
    image = Image.new("RGB", (8, 6), (40, 120, 90))
    out = io.BytesIO()
    image.save(out, format="WEBP")
    return add_card(deck=deck, text="Järvi", image=out.getvalue())


def own_deck(side: Side) -> dict[str, Any]:
    return {"deck_uuid": _own_card(side).deck.uuid}


def own_card(side: Side) -> dict[str, Any]:
    card = _own_card(side)
    return {"deck_uuid": card.deck.uuid, "card_uuid": card.uuid}


def card_image(side: Side) -> dict[str, Any]:
    return {"card_uuid": _own_card(side).uuid}


def join_code(side: Side) -> dict[str, Any]:
    return {"code": _live_run(side).join_code}


def _poll(side: Side) -> SchedulePoll:
    """The open scheduling poll of the side's contract (made on first use), asking its members
    about one time in March 2027."""
    found = SchedulePoll.objects.filter(contract=side.contract).first()
    if found is not None:
        return found
    return create_poll(
        contract=side.contract,
        supervisor=side.meeting.supervisor,
        times=[(at(2027, 3, 2, 13), at(2027, 3, 2, 14, 30))],
        note="Kysely",
        deadline=at(2027, 3, 1, 12),
        show_names=False,
        actor=side.meeting.supervisor,
    )


def schedule_poll(side: Side) -> dict[str, Any]:
    return {"poll_uuid": _poll(side).uuid}


def poll_token(side: Side) -> dict[str, Any]:
    """A fresh answer link of the side's member to the side's poll."""
    return {"token": issue_link(_poll(side).invitees.get(member=side.member))}


# Participants' pages of a live exercise, public by design: the join code shown on the shared
# screen is all a participant needs, and it opens only that running exercise's own panel.
LIVE_BY_CODE = ("live_participant", "join_live_run")
# The calendar feed, public by design: its secret token is the only key, and it answers GET
# alone (a calendar program only reads). Its own tests cover revoked and unknown tokens.
FEED_BY_TOKEN = ("calendar_feed", "portal_feed")
# A supervisee's emailed link to answer one evaluation, public by design (she answers without
# logging in): its signed token is the only key and opens only that round for that person.
# Its own tests (test_evaluation_schedule.py) cover forged tokens and members who have left.
LINK_BY_TOKEN = ("evaluation_by_link",)
# A member's answer link to a scheduling poll, public by design: its secret token is the only
# key and opens only that member's answers to that poll. Its own tests cover replaced, unknown
# and closed links.
POLL_BY_TOKEN = ("answer_schedule_poll",)


def own_side_page(persona: str) -> dict[str, int]:
    """A page of the supervisees' portal or the orderer's view: only that persona opens it;
    everyone else who is logged in gets 404."""
    expect = dict.fromkeys(LISTED, 404)
    expect.update({"anonymous": 302, persona: 200})
    return expect


def logged_in_redirect() -> dict[str, int]:
    """allauth pages for anonymous visitors only; members are sent on."""
    return {"anonymous": 200, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}


def account_page() -> dict[str, int]:
    """allauth pages for a logged-in user about her own account."""
    return {"anonymous": 302, "owner": 200, "assistant": 200, "colleague": 200, "other": 200}


MATRIX: dict[str, Row] = {
    "home": Row(page(anonymous=302, owner=302, assistant=302, colleague=302, other=302)),
    # Accounts (django-allauth). Sign-up is closed: accounts are made by the practice.
    "account_login": Row(logged_in_redirect()),
    "account_logout": Row(
        {"anonymous": 302, "owner": 200, "assistant": 200, "colleague": 200, "other": 200}
    ),
    "account_inactive": Row(public()),
    "account_signup": Row(
        {"anonymous": 200, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    "account_reauthenticate": Row(account_page()),
    "account_email": Row(account_page()),
    "account_email_verification_sent": Row(public()),
    "account_change_password": Row(account_page()),
    "account_set_password": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    "account_reset_password": Row(public()),
    "account_request_login_code": Row(logged_in_redirect()),
    "account_confirm_login_code": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    "account_confirm_email": Row(public(), kwargs=lambda side: {"key": "not-a-key"}),
    "account_reset_password_from_key_done": Row(public()),
    "account_reset_password_from_key": Row(
        public(), kwargs=lambda side: {"uidb36": "1z", "key": "not-a-key"}
    ),
    "account_reset_password_done": Row(public()),
    "mfa_index": Row(account_page()),
    "mfa_authenticate": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    # Members have an authenticator app (every member must): they may confirm with its code.
    "mfa_reauthenticate": Row(account_page()),
    "mfa_activate_totp": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    # Turning the app off asks for re-authentication; without an app there is nothing to
    # turn off.
    "mfa_deactivate_totp": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
        | {"supervisee": 404, "orderer": 404}
    ),
    # Recovery codes exist only once MFA is on: without it, 404.
    "mfa_view_recovery_codes": Row(
        {"anonymous": 302, "owner": 404, "assistant": 404, "colleague": 404, "other": 404}
    ),
    "mfa_generate_recovery_codes": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    "mfa_download_recovery_codes": Row(
        {"anonymous": 302, "owner": 404, "assistant": 404, "colleague": 404, "other": 404}
    ),
    "mfa_list_webauthn": Row(account_page()),
    "mfa_add_webauthn": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    "mfa_reauthenticate_webauthn": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302}
    ),
    # Changing a security key asks for re-authentication first.
    "mfa_remove_webauthn": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302},
        kwargs=lambda side: {"pk": 999_999},
    ),
    # Changing a security key asks for re-authentication first.
    "mfa_edit_webauthn": Row(
        {"anonymous": 302, "owner": 302, "assistant": 302, "colleague": 302, "other": 302},
        kwargs=lambda side: {"pk": 999_999},
    ),
    # Users see their own sessions and end the others.
    "usersessions_list": Row({**account_page(), "supervisee": 200, "orderer": 200}),
    "set_language": Row(
        dict.fromkeys(PERSONAS, 302),
        method="POST",
        data={"language": "en", "next": "/"},
    ),
    # Practice
    "practice_settings": Row(page()),
    "edit_practice": Row(owner_only()),
    "new_service": Row(owner_only()),
    "edit_service": Row(owner_only(other=404), kwargs=service),
    # The owner confirms access first (re-authentication): 302 until she has.
    "audit_log": Row(owner_only(owner=302, other=302)),
    # Orderers and clients: the practice's shared address book.
    "organisation_list": Row(page()),
    "new_organisation": Row(page()),
    "organisation": Row(own_object(), kwargs=organisation),
    "edit_organisation": Row(own_object(), kwargs=organisation),
    "new_contact": Row(own_object(), kwargs=organisation),
    "new_framework_agreement": Row(own_object(), kwargs=organisation),
    "framework_agreement": Row(own_object(), kwargs=framework_agreement),
    "edit_framework_agreement": Row(own_object(), kwargs=framework_agreement),
    "edit_contact": Row(own_object(), kwargs=contact),
    "client_list": Row(page()),
    "new_client": Row(page()),
    "client": Row(own_object(), kwargs=client),
    "edit_client": Row(own_object(), kwargs=client),
    "add_client_member": Row(own_object(), kwargs=client),
    "end_client_membership": Row(post_only(), kwargs=member),
    # Contracts: an assistant reads them but does not make or change them.
    "contract_list": Row(page()),
    "new_contract": Row(page(assistant=403)),
    "contract": Row(contract_object(), kwargs=contract),
    "edit_contract": Row(contract_object(assistant=403), kwargs=contract),
    "accept_contract": Row(post_only(), kwargs=contract),
    "change_contract_status": Row(post_only(), kwargs=contract),
    "contract_print": Row(contract_object(), kwargs=contract),
    "contract_version": Row(
        contract_object(), kwargs=lambda side: {"contract_uuid": side.contract.uuid, "number": 1}
    ),
    # Meetings
    "dashboard": Row(page()),
    "meeting_list": Row(page()),
    "plan_meetings": Row(contract_object(), kwargs=contract),
    "meeting": Row(contract_object(), kwargs=meeting),
    "mark_meeting_held": Row(post_only(), kwargs=meeting),
    "cancel_meeting": Row(contract_object(), kwargs=meeting),
    "edit_meeting": Row(contract_object(), kwargs=meeting),
    # Notes: only the contract's own supervisors; never an assistant.
    "meeting_notes": Row(contract_object(assistant=404), kwargs=meeting),
    "new_meeting_note": Row(post_only(), kwargs=meeting),
    "contract_notes": Row(contract_object(assistant=404), kwargs=contract),
    "new_contract_note": Row(post_only(), kwargs=contract),
    "note": Row(contract_object(assistant=404), kwargs=note),
    "lock_note": Row(post_only(), kwargs=note),
    # Statements for the orderer: only the contract's own supervisors write and release them.
    "contract_statements": Row(contract_object(assistant=404), kwargs=contract),
    "statement_preview": Row(contract_object(assistant=404), kwargs=statement),
    "edit_statement": Row(post_only(), kwargs=statement),
    "release_statement": Row(post_only(), kwargs=statement),
    # Billing: the owner and the assistant (who bills) see every invoice; a fellow supervisor
    # only those of her own contracts.
    "invoice_list": Row(page()),
    "new_invoice": Row(page()),
    "export_invoices": Row(page()),
    # Reports count only the invoices and contracts the member sees.
    "billing_reports": Row(page()),
    # Every member's own supervising hours: only her own meetings are in it.
    "supervising_log": Row(page()),
    "supervising_log_csv": Row(page()),
    "supervising_log_pdf": Row(page()),
    "overdue_invoices": Row(page()),
    "invoice": Row(contract_object(), kwargs=invoice),
    "invoice_pdf": Row(contract_object(), kwargs=invoice),
    "invoice_finvoice": Row(contract_object(), kwargs=invoice),
    "add_invoice_line": Row(post_only(), kwargs=invoice),
    "remove_invoice_line": Row(post_only(), kwargs=invoice_line),
    "delete_invoice": Row(post_only(), kwargs=invoice),
    "issue_invoice": Row(post_only(), kwargs=invoice),
    "mark_invoice_sent": Row(post_only(), kwargs=invoice),
    "email_invoice": Row(post_only(), kwargs=invoice),
    "remind_invoice": Row(post_only(), kwargs=invoice),
    "reminder_pdf": Row(contract_object(), kwargs=reminder),
    "record_payment": Row(post_only(), kwargs=invoice),
    "credit_invoice": Row(post_only(), kwargs=invoice),
    # A supervisee's hours and certificate: whoever sees one of her contracts.
    "hours_ledger": Row(contract_object(), kwargs=person),
    "supervision_certificate": Row(contract_object(), kwargs=person),
    # Anna's team is not in therapy supervision: nothing to state, back to the hours.
    "certificate_in_portal": Row(post_only(), kwargs=person),
    "kela_statement": Row(contract_object(owner=302, assistant=302), kwargs=person),
    # Orderer's view: only for an invited orderer contact; members of a practice get 404.
    "invite_contact": Row(post_only(), kwargs=contact),
    "orderer_home": Row(own_side_page("orderer")),
    "orderer_contract": Row(own_side_page("orderer"), kwargs=contract),
    "orderer_invoice_list": Row(own_side_page("orderer")),
    "orderer_invoice_pdf": Row(own_side_page("orderer"), kwargs=invoice),
    # Supervisees' portal: only the supervisee of the contract's client.
    "invite_supervisee": Row(post_only(), kwargs=member),
    "portal_home": Row(own_side_page("supervisee")),
    # Evaluations: answered in the portal by the contract's group; results for its supervisors.
    "portal_evaluations": Row(own_side_page("supervisee")),
    "portal_evaluation": Row(own_side_page("supervisee"), kwargs=evaluation),
    "portal_own_answers": Row(own_side_page("supervisee")),
    "contract_evaluations": Row(contract_object(assistant=404), kwargs=contract),
    "evaluation_round": Row(contract_object(assistant=404), kwargs=evaluation),
    # Below k answers the export is refused: back to the round's page.
    "evaluation_csv": Row(contract_object(owner=302, assistant=404), kwargs=evaluation),
    "evaluation_report": Row(contract_object(owner=302, assistant=404), kwargs=evaluation),
    "close_evaluation_round": Row(post_only(), kwargs=evaluation),
    # The preview of a round's summary for the orderer; a POST shares it.
    "evaluation_orderer_summary": Row(contract_object(assistant=404), kwargs=evaluation),
    "contract_evaluation_schedule": Row(post_only(), kwargs=contract),
    # The practice's questionnaires: its supervisors build and share them; not an assistant.
    "questionnaires": Row(page(assistant=403)),
    "new_questionnaire": Row(page(assistant=403)),
    # Tila's measures are the same in every practice: a copy is always the asker's own.
    "copy_measure": Row(
        post_only(), kwargs=lambda side: {"measure": "session_feedback"}, foreign=302
    ),
    "edit_questionnaire": Row(own_object(assistant=404), kwargs=questionnaire),
    "preview_questionnaire": Row(own_object(assistant=404), kwargs=questionnaire),
    # Answering through the emailed link needs no login (see LINK_BY_TOKEN).
    "evaluation_by_link": Row(public(), kwargs=answer_link_token, foreign=200),
    "portal_contract": Row(own_side_page("supervisee"), kwargs=contract),
    "portal_calendar": Row(own_side_page("supervisee")),
    # The supervisee's private calendar subscription, like a member's (calendar_feed below).
    "portal_calendar_subscription": Row(own_side_page("supervisee")),
    "portal_feed": Row(public(), kwargs=portal_feed_token, foreign=200),
    # Her own hours: each supervisee sees only her own ledger.
    "portal_hours": Row(own_side_page("supervisee")),
    # Her certificate, once her supervisor offers it in the portal; nobody else's.
    "portal_certificate": Row(own_side_page("supervisee"), kwargs=released_certificate),
    "portal_meeting_calendar": Row(own_side_page("supervisee"), kwargs=meeting),
    "portal_cancel_meeting": Row(own_side_page("supervisee"), kwargs=meeting),
    # Journal: each entry is its author's alone; nobody else gets past 404.
    "journal": Row(own_side_page("supervisee")),
    "new_journal_entry": Row(own_side_page("supervisee")),
    "export_journal": Row(own_side_page("supervisee")),
    "journal_entry": Row(own_side_page("supervisee"), kwargs=entry),
    "delete_journal_entry": Row(post_only(supervisee=405, orderer=405), kwargs=entry),
    "share_journal_entry": Row(post_only(supervisee=405, orderer=405), kwargs=entry),
    "withdraw_journal_share": Row(post_only(supervisee=405, orderer=405), kwargs=entry),
    # Topics: sent and withdrawn by a supervisee; members of a practice get 404 on POST.
    "send_topic": Row(post_only(supervisee=405, orderer=405), kwargs=meeting),
    "withdraw_topic": Row(post_only(supervisee=405, orderer=405), kwargs=topic),
    # Data protection: only the owner exports or erases a person's data. The download asks for
    # the password again first (302 to the re-authentication page, after the 404 check).
    "privacy_subject": Row(owner_only(other=404), kwargs=subject),
    "export_subject": Row(owner_only(owner=302, other=404), kwargs=subject),
    "erase_subject": Row(owner_only(other=404), kwargs=subject),
    "retention": Row(owner_only()),
    # Inquiries: every member sees them; only those who supervise convert or close them.
    "inquiry_list": Row(page()),
    "inquiry": Row(own_object(), kwargs=inquiry),
    "convert_inquiry": Row(post_only(), kwargs=inquiry),
    "change_inquiry_status": Row(post_only(), kwargs=inquiry),
    "edit_availability": Row(owner_only()),
    # The practice's public page: open to everyone once the owner has published it, and
    # so is another practice's published page (foreign=200).
    "public_page": Row(public(), kwargs=practice_slug, foreign=200),
    "public_inquiry": Row(public(), kwargs=practice_slug, foreign=200),
    "inquiry_sent": Row(public(), kwargs=practice_slug, foreign=200),
    "public_booking": Row(public(), kwargs=practice_slug, foreign=200),
    "privacy_notice": Row(public(), kwargs=practice_slug, foreign=200),
    "booking_done": Row(
        dict.fromkeys(PERSONAS, 404),
        kwargs=lambda side: {
            "practice_slug": side.contract.practice.slug,
            "booking_uuid": side.inquiry.uuid,
        },
    ),
    # A participant's own link in her meeting invitation: public by design (no login); the
    # signed token names one meeting and one member.
    "invitation_cancel": Row(
        public(),
        kwargs=lambda side: {"token": cancel_token(side.meeting, side.member)},
        foreign=200,
    ),
    # A member's private calendar subscription: she makes, revokes and sets it on her page; the
    # feed is public by design (calendar programs cannot log in), the token its only key.
    "calendar_subscription": Row(page()),
    # A member's own absences; another member's absence is a 404 even in her practice.
    "absences": Row(page()),
    "delete_absence": Row(post_only(), kwargs=absence),
    "calendar_feed": Row(
        public(),
        kwargs=feed_token,
        foreign=200,
    ),
    # Scheduling polls: read like the contract; an assistant does not send or decide them.
    "contract_polls": Row(contract_object(), kwargs=contract),
    "new_schedule_poll": Row(contract_object(assistant=403), kwargs=contract),
    "schedule_poll": Row(contract_object(), kwargs=schedule_poll),
    "decide_schedule_poll": Row(post_only(), kwargs=schedule_poll),
    "close_schedule_poll": Row(post_only(), kwargs=schedule_poll),
    "resend_poll_link": Row(post_only(), kwargs=schedule_poll),
    "ask_new_poll_members": Row(post_only(), kwargs=schedule_poll),
    # In the portal a supervisee answers the polls she was asked in.
    "portal_polls": Row(own_side_page("supervisee")),
    "portal_schedule_poll": Row(own_side_page("supervisee"), kwargs=schedule_poll),
    # A member answers through her own link without an account (see POLL_BY_TOKEN).
    "answer_schedule_poll": Row(public(), kwargs=poll_token, foreign=200),
    # Live exercises: the meeting's own supervisors start and control them; never an assistant.
    "meeting_live": Row(contract_object(assistant=404), kwargs=meeting),
    "live_run": Row(contract_object(assistant=404), kwargs=live_run),
    "live_presenter": Row(contract_object(assistant=404), kwargs=live_run),
    "control_live_run": Row(post_only(), kwargs=live_run),
    "next_live_prompt": Row(post_only(), kwargs=live_run),
    "end_live_run": Row(post_only(), kwargs=live_run),
    "move_board_note": Row(post_only(), kwargs=live_run),
    "steer_live_turns": Row(post_only(), kwargs=live_run),
    # A supervisor's own decks: hers alone, like her absences; an assistant runs no exercises.
    "live_decks": Row(page(assistant=403)),
    "live_deck": Row(contract_object(assistant=404), kwargs=own_deck),
    "delete_live_deck": Row(post_only(), kwargs=own_deck),
    "edit_live_card": Row(contract_object(assistant=404), kwargs=own_card),
    "delete_live_card": Row(post_only(), kwargs=own_card),
    # A card's picture: the deck's owner, and the supervisors and participants of a run that
    # uses the deck (tests/test_live_decks.py); a 404 for everyone else, logged in or not.
    "live_card_image": Row(
        dict.fromkeys(LISTED, 404) | {"owner": 200},
        kwargs=card_image,
    ),
    # Participants join without an account (see LIVE_BY_CODE): everyone gets the page.
    "live_join": Row(public()),
    "live_participant": Row(public(other_member=200, other_contact=200), kwargs=join_code),
    # Joining is a POST; a GET (a reload, a pasted link) goes to the exercise's page.
    "join_live_run": Row(
        dict.fromkeys(LISTED, 302) | {"other_member": 302, "other_contact": 302},
        kwargs=join_code,
    ),
}


# Supervisees and orderer contacts log in by code and have no password: allauth's password
# and security-key pages answer them differently from a supervisor.
PASSWORDLESS = {
    "account_change_password": 302,  # to "set a password"
    "account_set_password": 200,
    "account_reauthenticate": 403,  # nothing to re-authenticate with
    "mfa_reauthenticate": 403,
    "mfa_reauthenticate_webauthn": 403,
    "mfa_activate_totp": 200,
    "mfa_add_webauthn": 200,
    "mfa_generate_recovery_codes": 200,
    "mfa_edit_webauthn": 404,
    "mfa_remove_webauthn": 404,
}


def _complete(matrix: dict[str, Row]) -> None:
    """Supervisees and orderer contacts belong to no practice: every page of the supervisor's
    side refuses them unless a row says otherwise, with 404 where the URL names an object
    (nothing tells them it exists) and 403 elsewhere. On account pages they are like any
    logged-in user, but for the password-related ones above."""
    for name, row in matrix.items():
        if name in PASSWORDLESS:
            default = PASSWORDLESS[name]
        elif name.startswith(("account_", "mfa_")) or name == "home":
            default = row.expect["owner"]
        else:
            default = 404 if row.kwargs is not None else 403
        for persona in ("supervisee", "orderer"):
            row.expect.setdefault(persona, default)
        # A supervisee of another group and another organisation's contact open their own
        # side's pages, but not this group's or this organisation's objects.
        for persona, like in (("other_member", "supervisee"), ("other_contact", "orderer")):
            own_object_page = (
                row.kwargs is not None
                and row.foreign != 200
                and row.expect[like] == 200
                and not name.startswith(("account_", "mfa_"))
            )
            row.expect.setdefault(persona, 404 if own_object_page else row.expect[like])
        # A deactivated user's session is no session at all.
        row.expect.setdefault("deactivated", row.expect["anonymous"])


_complete(MATRIX)


def url_patterns(patterns: list[Any] | None = None) -> Iterator[URLPattern]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns)
        else:
            yield pattern


def test_every_url_pattern_has_a_row_in_the_matrix():
    named = [pattern.name for pattern in url_patterns()]
    assert None not in named, "every URL pattern needs a name"
    names = [name for name in named if name is not None]
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"URL patterns without a row in the authorization matrix: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def persona_users(world: World) -> dict[str, Any]:
    member = world.client.members.first()  # the same member as in sides()
    assert member is not None
    supervisee = invite_supervisee(member=member, actor=world.owner)
    orderer = invite_contact(contact=world.contact, actor=world.owner)
    other_member = world.colleague_contract.client.members.first()
    assert other_member is not None
    other_supervisee = invite_supervisee(member=other_member, actor=world.colleague)
    organisation = make_organisation(world.practice, "Toinen kunta")
    other_contact = make_contact(organisation)
    other_contact.email = "toinen.yhteyshenkilo@example.test"
    other_contact.save()
    make_contract(
        world.practice,
        make_team(world.practice, organisation, size=3),
        world.owner,
        organisation,
        other_contact,
    )
    other_orderer = invite_contact(contact=other_contact, actor=world.owner)
    deactivated = make_user("entinen@example.test", "Entinen Työnohjaaja")
    add_member(world.practice, deactivated, Role.SUPERVISOR)
    deactivated.is_active = False
    deactivated.save()
    return {
        "owner": world.owner,
        "assistant": world.assistant,
        "colleague": world.colleague,
        "other": world.other_owner,
        "supervisee": supervisee.user,
        "orderer": orderer.user,
        "other_member": other_supervisee.user,
        "other_contact": other_orderer.user,
        "deactivated": deactivated,
    }


def persona_client(users: dict[str, Any], persona: str) -> HttpClient:
    http = HttpClient()
    user = users.get(persona)
    if user is not None:
        http.force_login(user)
    return http


def request(http: HttpClient, row: Row, url: str) -> int:
    if row.method == "POST":
        return http.post(url, row.data).status_code
    return http.get(url).status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_persona_as_the_matrix_says(world, name):
    row = MATRIX[name]
    own, _foreign = sides(world)
    url = reverse(name, kwargs=row.kwargs(own) if row.kwargs else None)
    users = persona_users(world)
    seen = {persona: request(persona_client(users, persona), row, url) for persona in PERSONAS}
    assert seen == row.expect, f"{name} ({url}): {seen}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, row in MATRIX.items()
        if row.kwargs is not None
        and not name.startswith(("account_", "mfa_"))
        and name not in LIVE_BY_CODE + FEED_BY_TOKEN + LINK_BY_TOKEN
    ),
)
def test_another_practices_object_is_not_found(world, name):
    """Anna (owner of practice A) asks for practice B's object by its UUID: 404, whatever
    the method."""
    row = MATRIX[name]
    _own, foreign = sides(world)
    assert row.kwargs is not None
    url = reverse(name, kwargs=row.kwargs(foreign))
    http = persona_client({"owner": world.owner}, "owner")
    post_only_endpoint = row.expect["owner"] == 405
    assert http.get(url).status_code == (405 if post_only_endpoint else row.foreign)
    assert http.post(url, {}).status_code == row.foreign


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, row in MATRIX.items()
        # POST endpoints of the portal (which a supervisee may GET into a 405) are not the
        # supervisor's side.
        if row.expect["owner"] == 405 and row.expect["supervisee"] != 405
    ),
)
def test_supervisees_and_orderers_cannot_post_to_the_supervisors_side(world, name):
    """A supervisee or an orderer contact posting to a supervisor's endpoint is refused as
    not found before anything changes."""
    row = MATRIX[name]
    own, _foreign = sides(world)
    assert row.kwargs is not None
    url = reverse(name, kwargs=row.kwargs(own))
    users = persona_users(world)
    for persona in ("supervisee", "orderer"):
        assert persona_client(users, persona).post(url, {}).status_code == 404, persona


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(name for name, row in MATRIX.items() if row.expect["supervisee"] == 405),
)
def test_a_supervisee_of_another_group_cannot_post_to_this_groups_objects(world, name):
    """Sending or withdrawing a topic for another group's meeting: not found, nothing done."""
    row = MATRIX[name]
    own, _foreign = sides(world)
    assert row.kwargs is not None
    url = reverse(name, kwargs=row.kwargs(own))
    users = persona_users(world)
    assert persona_client(users, "other_member").post(url, {"text": "x"}).status_code == 404
