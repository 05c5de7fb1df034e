"""Inviting an orderer's contact person to the orderer's view."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import Contact
from tila.orderers.models import OrdererAccount

# The invitation goes to a Finnish organisation: it is written in Finnish.
INVITATION_LANGUAGE = "fi"


class InvitationError(Exception):
    """An invitation that cannot be made; ``message`` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def login_address() -> str:
    """Where an orderer logs in with a code sent by email, landing on the orderer's view."""
    query = urlencode({"next": reverse("orderer_home")})
    return f"{settings.SITE_URL}{reverse('account_request_login_code')}?{query}"


def _user_for(contact: Contact) -> User:
    """The user with the contact's email address, made if there is none (no password)."""
    user = User.objects.filter(email__iexact=contact.email).first()
    if user is None:
        user = User.objects.create_user(email=contact.email, password=None, name=contact.name)
    return user


def invite_contact(*, contact: Contact, actor: User) -> OrdererAccount:
    """Give the contact an orderer's account (or reuse it) and email the invitation.

    Inviting again sends the invitation again."""
    if not contact.email:
        raise InvitationError(
            _("%(name)s has no email address. Add one before sending the invitation.")
            % {"name": contact.name}
        )
    with transaction.atomic():
        account = OrdererAccount.objects.filter(contact=contact).select_related("user").first()
        new_account = account is None
        if account is None:
            user = _user_for(contact)
            if OrdererAccount.objects.filter(user=user).exists():
                raise InvitationError(
                    _(
                        "The email address %(email)s already opens the orderer's view of another "
                        "contact person."
                    )
                    % {"email": contact.email}
                )
            account = OrdererAccount.objects.create(contact=contact, user=user, invited_by=actor)
        # The orderer's view is shared with the contact: logged like any other sharing.
        record_event(
            actor=actor,
            practice=contact.organisation.practice,
            object_type="orderers.OrdererAccount",
            object_id=str(contact.uuid),
            action=Action.SHARE,
            detail={"new_account": new_account},
        )
    _send_invitation(contact, account.user)
    return account


def _send_invitation(contact: Contact, user: User) -> None:
    practice = contact.organisation.practice
    with translation.override(INVITATION_LANGUAGE):
        subject = _("%(practice)s invites you to the orderer's view in Tila") % {
            "practice": practice.name
        }
        body = _(
            "Hello %(name)s,\n\n"
            "%(practice)s has invited you to the orderer's view in Tila. There you see the "
            "supervision contracts of %(organisation)s: the agreed terms, the dates of the "
            "meetings and the attendance information agreed in each contract. The content of "
            "the discussions is confidential and is never shown.\n\n"
            "Log in with your email address %(email)s. No password is needed: Tila sends you "
            "a login code by email.\n\n"
            "%(url)s\n\n"
            "If you did not expect this message, you can ignore it."
        ) % {
            "name": contact.name,
            "practice": practice.name,
            "organisation": contact.organisation.name,
            "email": user.email,
            "url": login_address(),
        }
    send_mail(subject, body, None, [user.email])
