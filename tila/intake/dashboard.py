"""The crisis inquiries pinned on top of the supervisor's dashboard."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from tila.intake.models import Inquiry
from tila.practices.access import PracticeRequest


def crisis_panel(request: PracticeRequest) -> SafeString | str:
    crises = list(
        Inquiry.objects.open()
        .crises()
        .filter(practice=request.membership.practice)
        .order_by("-event_at")
    )
    if not crises:
        return ""
    return render_to_string(
        "intake/_crisis_panel.html", {"items": crisis_items(crises)}, request=request
    )


def crisis_items(crises: list[Inquiry]) -> list[dict[str, object]]:
    """Each crisis with the time since the event and where the recommended windows stand."""
    now = timezone.now()
    items: list[dict[str, object]] = []
    for inquiry in crises:
        windows = inquiry.windows()
        if windows is None:
            continue
        items.append(
            {
                "inquiry": inquiry,
                "windows": windows,
                "elapsed": windows.elapsed(now),
                "defusing_open": windows.defusing_open(now),
                "debriefing": windows.debriefing_state(now),
            }
        )
    return items
