"""An orderer contact's login to the orderer's view and its audit trail. Erasing her
removes the login: she can no longer log in."""

from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.clients.models import Contact, Person
from tila.clients.privacy import erase_login, export_login
from tila.lib.privacy import Counts, PlanLine, Section
from tila.orderers.models import OrdererAccount

Subject = Person | Contact


def _account(subject: Subject) -> OrdererAccount | None:
    if isinstance(subject, Person):
        return None
    return (
        OrdererAccount.objects.select_related("user", "invited_by").filter(contact=subject).first()
    )


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    account = _account(subject)
    if account is None:
        return []
    return export_login(
        account,
        subject,
        key="orderer_account",
        title=_("Login to the orderer's view"),
        about=_("You log in to the orderer's view with a code sent to this email address."),
    )


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if _account(subject) is None:
        return []
    return [PlanLine(_("The login to the orderer's view"), erase=True)]


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    account = _account(subject)
    if account is None:
        return {}
    return erase_login(account, key="orderer_account")
