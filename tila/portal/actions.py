"""Inviting supervisees to the portal, and their cancellations. Each change is one transaction."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import ClientMember, Person
from tila.meetings.actions import MeetingError, cancel_meeting, report_absence
from tila.meetings.feed import hash_feed_token, new_feed_token
from tila.meetings.models import Attendance, CancelledBy, Meeting, MeetingStatus
from tila.portal.models import PortalCalendarFeed, SuperviseeAccount


class InviteError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def login_url() -> str:
    """Where a supervisee asks for a login code; after logging in she lands in the portal."""
    query = urlencode({"next": reverse("portal_home")})
    return f"{settings.SITE_URL}{reverse('account_request_login_code')}?{query}"


def _send_invitation(account: SuperviseeAccount, member: ClientMember, actor: User) -> None:
    # Supervisees are Finnish first: the invitation goes out in the site's language,
    # whatever language the inviting supervisor happens to use.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": account.person.name,
            "client": member.client.name,
            "practice": member.client.practice.name,
            "inviter": actor.name or actor.email,
            "email": account.user.email,
            "login_url": login_url(),
        }
        subject = _("Invitation to Tila, the supervisees' portal")
        body = render_to_string("portal/email/invitation.txt", context)
    send_mail(subject, body, None, [account.user.email])


def invite_supervisee(*, member: ClientMember, actor: User) -> SuperviseeAccount:
    """Give the member's person a login (by email code, no password) and email her.

    Inviting again sends the invitation again and reuses the login."""
    person = member.person
    if member.left_on is not None:
        raise InviteError(_("Only current members can be invited to the portal."))
    email = person.email.strip().lower()
    if not email:
        raise InviteError(
            _("%(name)s has no email address. Add one to the person's details first.")
            % {"name": person.name}
        )
    with transaction.atomic():
        account = (
            SuperviseeAccount.objects.select_related("user", "person").filter(person=person).first()
        )
        if account is None:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=None, name=person.name)
            elif SuperviseeAccount.objects.filter(user=user).exists():
                raise InviteError(
                    _("The email address %(email)s is already used by another supervisee's login.")
                    % {"email": email}
                )
            account = SuperviseeAccount.objects.create(person=person, user=user, invited_by=actor)
            record_event(
                actor=actor,
                practice=member.client.practice,
                object_type="portal.SuperviseeAccount",
                object_id=str(person.uuid),
                action=Action.CREATE,
            )
        _send_invitation(account, member, actor)
    return account


@dataclass(frozen=True)
class CancellationTerms:
    """What cancelling (or, in a group, reporting an absence) means now, under the contract."""

    individual: bool
    notice_hours: int
    notice_ends: datetime
    late: bool
    late_percent: int


def cancellation_terms(meeting: Meeting, now: datetime) -> CancellationTerms:
    contract = meeting.contract
    return CancellationTerms(
        individual=not contract.client.is_group,
        notice_hours=contract.cancellation_notice_hours,
        notice_ends=meeting.start - timedelta(hours=contract.cancellation_notice_hours),
        late=meeting.is_late_cancellation(now),
        late_percent=contract.late_cancellation_percent,
    )


def absence_reported(meeting: Meeting, person: Person) -> bool:
    return Attendance.objects.filter(
        meeting=meeting, member__person=person, absence_reported_at__isnull=False
    ).exists()


def cancel_as_supervisee(*, meeting: Meeting, person: Person, actor: User) -> CancellationTerms:
    """The supervisee cancels her individual meeting, or reports her absence from her
    group's meeting (which then stays). Refused for a meeting that has started or is not
    planned. Returns the terms it was done under (late or not)."""
    now = timezone.now()
    if meeting.status != MeetingStatus.PLANNED or meeting.start <= now:
        raise MeetingError(_("Only a planned meeting that has not started can be cancelled."))
    terms = cancellation_terms(meeting, now)
    if terms.individual:
        cancel_meeting(
            meeting=meeting,
            cancelled_by=CancelledBy.SUPERVISEE,
            cancelled_at=now,
            reason="",
            actor=actor,
            member=ClientMember.objects.filter(
                client_id=meeting.contract.client_id, person=person, left_on__isnull=True
            ).first(),
        )
    else:
        member = ClientMember.objects.get(
            client_id=meeting.contract.client_id, person=person, left_on__isnull=True
        )
        report_absence(meeting=meeting, member=member, reported_at=now, actor=actor)
    return terms


def create_portal_calendar_feed(account: SuperviseeAccount) -> str:
    """Make the supervisee a new secret calendar link, replacing any earlier one; the token.

    Only the token's hash is stored, so the caller shows it now or never."""
    token = new_feed_token()
    with transaction.atomic():
        PortalCalendarFeed.objects.update_or_create(
            account=account, defaults={"token_hash": hash_feed_token(token)}
        )
    return token


def revoke_portal_calendar_feed(account: SuperviseeAccount) -> None:
    with transaction.atomic():
        PortalCalendarFeed.objects.filter(account=account).delete()
