"""What the address book holds about a person, and how it forgets them.

A supervisee (``Person``) keeps her row and her membership history under a pseudonym: the
group's record of who was a member, and its attendance counts, stay whole. An individual
client *is* the person, so its name becomes the pseudonym too. A contact person of an
orderer keeps her row (contracts point to it) under the pseudonym, without contact details."""

from datetime import datetime
from typing import Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.accounts.models import User
from tila.audit.models import AuditEvent
from tila.clients.models import Client, ClientKind, ClientMember, Contact, Person
from tila.lib.privacy import Counts, PlanLine, Section, item

Subject = Person | Contact


def individual_clients(person: Person) -> QuerySet[Client]:
    """Individual clients the person is or was: their records are about her alone."""
    return Client.objects.filter(
        practice=person.practice, kind=ClientKind.INDIVIDUAL, members__person=person
    ).distinct()


def export_person(subject: Subject, *, actor: User) -> list[Section]:
    if isinstance(subject, Contact):
        details = Section(
            key="contact",
            title=_("Contact details"),
            about=_("You are the contact person of an orderer of supervision."),
            records=[
                [
                    item("name", _("Name"), subject.name),
                    item("email", _("Email"), subject.email),
                    item("phone", _("Phone"), subject.phone),
                    item("role", _("Role"), subject.role),
                    item("organisation", _("Organisation"), subject.organisation.name),
                ]
            ],
        )
        return [details]
    details = Section(
        key="person",
        title=_("Personal details"),
        about=_("Your name and contact details, used to arrange supervision."),
        records=[
            [
                item("name", _("Name"), subject.name),
                item("email", _("Email"), subject.email),
                item("phone", _("Phone"), subject.phone),
                item("title", _("Job title"), subject.title),
            ]
        ],
    )
    members = ClientMember.objects.filter(person=subject).select_related("client")
    memberships = Section(
        key="memberships",
        title=_("Memberships"),
        about=_("The clients (you alone, or a group or team) you are or were a member of."),
        records=[
            [
                item("client", _("Client"), member.client.name),
                item("kind", _("Kind"), member.client.get_kind_display()),
                item("joined_on", _("Joined"), member.joined_on),
                item("left_on", _("Left"), member.left_on),
            ]
            for member in members.order_by("joined_on", "id")
        ],
    )
    return [details, memberships]


def plan_erasure(subject: Subject) -> list[PlanLine]:
    if isinstance(subject, Contact):
        return [
            PlanLine(_("Name, email, phone and role"), erase=True),
            PlanLine(
                _("The contact person's place in the orderer's contracts, under a pseudonym"),
                erase=False,
                reason=_("The contracts are bookkeeping records."),
            ),
        ]
    lines = [PlanLine(_("Name, email, phone and job title"), erase=True)]
    individual = individual_clients(subject).count()
    if individual:
        lines.append(
            PlanLine(
                ngettext(
                    "The name and description of %(count)d individual client",
                    "The names and descriptions of %(count)d individual clients",
                    individual,
                )
                % {"count": individual},
                erase=True,
            )
        )
    count = ClientMember.objects.filter(person=subject).count()
    lines.append(
        PlanLine(
            ngettext(
                "%(count)d membership, under a pseudonym",
                "%(count)d memberships, under a pseudonym",
                count,
            )
            % {"count": count},
            erase=False,
            reason=_("The group's record of who took part, and its attendance counts, stay."),
        )
    )
    return lines


def erase_person(subject: Subject, *, actor: User, pseudonym: str) -> Counts:
    if isinstance(subject, Contact):
        subject.name = pseudonym
        subject.email = subject.phone = subject.role = ""
        subject.save(update_fields=["name", "email", "phone", "role"])
        return {"contact": 1}
    individual = individual_clients(subject).update(name=pseudonym, description="")
    subject.name = pseudonym
    subject.email = subject.phone = subject.title = ""
    subject.save(update_fields=["name", "email", "phone", "title"])
    return {"person": 1, "individual_clients": individual}


def remove_login(user: User) -> bool:
    """Delete the user if nothing else needs it (no practice membership, no other portal or
    orderer's login): then it can never log in again. Returns whether it was deleted.

    Audit rows keep the email they were written with (``actor_label``); the database sets
    their ``actor`` to NULL, the one change the append-only log allows."""
    user = User.objects.get(pk=user.pk)  # fresh: the caller has just removed one login
    still_used = (
        user.memberships.exists()
        or hasattr(user, "supervisee_account")
        or hasattr(user, "orderer_account")
    )
    if still_used:
        return False
    user.delete()
    return True


def audit_trail(user: User | None, object_ids: list[str]) -> Section:
    """The audit log's rows about a person's login: what she did, and what was done to her
    login. The rows hold no content, only what happened to which object and when."""
    events = AuditEvent.objects.filter(object_id__in=object_ids)
    if user is not None:
        events = events | AuditEvent.objects.filter(actor=user)
    return Section(
        key="audit_trail",
        title=_("Audit trail"),
        about=_(
            "The security log's entries about your login: when you logged in, what you "
            "opened and sent. They hold no content."
        ),
        records=[
            [
                item("at", _("Time"), event.at),
                item("action", _("Action"), event.get_action_display()),
                item("object", _("Object"), event.object_label),
                item("object_id", _("Object id"), event.object_id),
                item("role", _("Role"), event.get_actor_role_display()),
                item("outcome", _("Outcome"), event.get_outcome_display()),
            ]
            for event in events.order_by("sequence")
        ],
    )


class Login(Protocol):
    """A portal or orderer's-view login (``SuperviseeAccount``, ``OrdererAccount``)."""

    user: User
    invited_by: User | None
    created_at: datetime

    def delete(self) -> object: ...


def export_login(
    account: Login, subject: Subject, *, key: str, title: str, about: str
) -> list[Section]:
    """The login's details and the audit trail of what it did or what was done to it."""
    login = Section(
        key=key,
        title=title,
        about=about,
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


def erase_login(account: Login, *, key: str) -> Counts:
    """Remove the login, and its user when nothing else needs it."""
    user = account.user
    account.delete()
    return {key: 1, "user_deleted": int(remove_login(user))}
