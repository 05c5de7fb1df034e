"""An orderer contact's login to the orderer's view and its audit trail. Erasing her
removes the login: she can no longer log in."""

from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.clients.models import Contact, Person
from tila.clients.privacy import audit_trail, remove_login
from tila.lib.privacy import Counts, PlanLine, Section, item
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
    login = Section(
        key="orderer_account",
        title=_("Login to the orderer's view"),
        about=_("You log in to the orderer's view with a code sent to this email address."),
        records=[
            [
                item("email", _("Email"), account.user.email),
                item("name", _("Name"), account.user.name),
                item("created_at", _("Invited"), account.created_at),
                item(
                    "invited_by",
                    _("Invited by"),
                    account.invited_by.name if account.invited_by else "",
                ),
                item("last_login", _("Last login"), account.user.last_login),
            ]
        ],
    )
    return [login, audit_trail(account.user, [str(subject.uuid)])]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if _account(subject) is None:
        return []
    return [PlanLine(_("The login to the orderer's view"), erase=True)]


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    account = _account(subject)
    if account is None:
        return {}
    user = account.user
    account.delete()
    return {"orderer_account": 1, "user_deleted": int(remove_login(user))}
