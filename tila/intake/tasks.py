"""The crisis alert as a background task.

``submit_inquiry`` queues it in the transaction that stores the inquiry, so the alert is
never lost with a failing mail server and never sent for an inquiry that was not saved; a
failed send is retried (``tila.lib.retry``). The alert is rendered when it is sent, from the
stored inquiry, so the task table holds no copy of it."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from tila.intake.models import Inquiry
from tila.lib.retry import retry_later


@task()
def send_crisis_alert(inquiry_uuid: str, language: str, attempt: int) -> int:
    """Alert the practice's supervisors of a crisis inquiry. Returns the recipients."""
    from tila.intake.actions import site_url, supervisors_of

    inquiry = Inquiry.objects.select_related("practice").filter(uuid=inquiry_uuid).first()
    if inquiry is None:
        return 0
    recipients = [user.email for user in supervisors_of(inquiry.practice) if user.email]
    if not recipients:
        return 0
    with translation.override(language):
        subject = _("Crisis inquiry: %(who)s") % {"who": " ".join(inquiry.who.split())}
        body = render_to_string(
            "intake/email/crisis_alert.txt",
            {
                "inquiry": inquiry,
                "windows": inquiry.windows(),
                "url": site_url(reverse("inquiry", args=[inquiry.uuid])),
            },
        )
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:
        retry_later(
            send_crisis_alert,
            [inquiry_uuid, language],
            attempt,
            f"Crisis alert {inquiry_uuid}",
            error,
        )
        return 0
    return len(recipients)
