"""The open scheduling polls pinned on the dashboard, so that none is forgotten."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from tila.contracts.models import Contract
from tila.practices.access import PracticeRequest
from tila.scheduling.models import PollStatus, SchedulePoll


def open_polls_panel(request: PracticeRequest) -> SafeString | str:
    polls = list(
        SchedulePoll.objects.filter(
            practice=request.membership.practice,
            status=PollStatus.OPEN,
            contract__in=Contract.objects.visible_to(request.membership),
        )
        .select_related("contract", "contract__client")
        .annotate(
            invited=Count("invitees", distinct=True),
            answered=Count(
                "invitees", filter=Q(invitees__answered_at__isnull=False), distinct=True
            ),
        )
        .order_by("deadline", "id")
    )
    if not polls:
        return ""
    context = {"polls": polls, "now": timezone.now()}
    return render_to_string("scheduling/_open_polls_panel.html", context, request=request)
