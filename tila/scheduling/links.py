"""A member's own answer link: a random token in the URL, only its SHA-256 in the database.

The link is made when the mail that carries it is sent; sending again makes a new link and
the old one stops working. A link opens nothing once its member has left the client."""

import hashlib
import secrets

from django.urls import reverse

from tila.meetings.calendar import site_link
from tila.scheduling.models import PollInvitee


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(invitee: PollInvitee) -> str:
    """A new token for the invitee (the previous one stops working); returns the token."""
    token = secrets.token_urlsafe(32)
    invitee.token_hash = hash_token(token)
    invitee.save(update_fields=["token_hash"])
    return token


def answer_url(token: str) -> str:
    return site_link(reverse("answer_schedule_poll", args=[token]))


def invitee_for_token(token: str) -> PollInvitee | None:
    """The invitee whose link this is, while she is a member of the client; else None."""
    if not token:
        return None
    return (
        PollInvitee.objects.select_related(
            "poll",
            "poll__supervisor",
            "poll__practice",
            "poll__contract__client",
            "member__person",
        )
        .filter(token_hash=hash_token(token), member__left_on__isnull=True)
        .first()
    )
