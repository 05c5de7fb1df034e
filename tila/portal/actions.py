"""Inviting supervisees to the portal. Each function is one transaction."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import ClientMember
from tila.portal.models import SuperviseeAccount


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
