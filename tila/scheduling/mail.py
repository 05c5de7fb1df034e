"""The mail that brings a member her link to a scheduling poll, or reminds her before the
deadline, in her own language."""

from email.utils import formataddr

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tila.lib.templatetags.tila import when
from tila.scheduling.links import answer_url
from tila.scheduling.models import PollInvitee


def poll_message(invitee: PollInvitee, token: str, *, reminder: bool = False) -> EmailMessage:
    poll = invitee.poll
    person = invitee.member.person
    with translation.override(person.language):
        context = {
            "poll": poll,
            "name": person.name,
            "times": list(poll.times.all()),
            "link": answer_url(token),
            "reminder": reminder,
        }
        if reminder:
            subject = _("Reminder: scheduling poll closes %(deadline)s") % {
                "deadline": when(poll.deadline)
            }
        else:
            subject = _("Scheduling poll: when would supervision suit you?")
        body = render_to_string("scheduling/email/poll.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[formataddr((person.name, person.email))],
        reply_to=[formataddr((poll.supervisor.name, poll.supervisor.email))],
    )
