"""A supervisee's login to the portal and its audit trail. Erasing her removes the login:
she can no longer log in."""

from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.clients.models import Contact, Person
from tila.clients.privacy import erase_login, export_login
from tila.lib.privacy import Counts, PlanLine, Section
from tila.portal.models import SuperviseeAccount

Subject = Person | Contact


def _account(subject: Subject) -> SuperviseeAccount | None:
    if isinstance(subject, Contact):
        return None
    return (
        SuperviseeAccount.objects.select_related("user", "invited_by")
        .filter(person=subject)
        .first()
    )


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    account = _account(subject)
    if account is None:
        return []
    return export_login(
        account,
        subject,
        key="portal_account",
        title=_("Login to the supervisees' portal"),
        about=_("You log in to the portal with a code sent to this email address."),
    )


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if _account(subject) is None:
        return []
    return [PlanLine(_("The login to the supervisees' portal"), erase=True)]


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    account = _account(subject)
    if account is None:
        return {}
    return erase_login(account, key="portal_account")
