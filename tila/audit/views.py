from allauth.account.decorators import reauthentication_required
from django.http import HttpResponse
from django.shortcuts import render

from tila.audit.forms import AuditFilterForm
from tila.audit.models import AuditEvent
from tila.lib.paging import paginate
from tila.practices.access import PracticeRequest, owner_required


@owner_required
@reauthentication_required
def audit_log(request: PracticeRequest) -> HttpResponse:
    filters = AuditFilterForm(request.GET)
    action = filters.value("action")
    events = AuditEvent.objects.filter(practice=request.membership.practice).order_by("-sequence")
    if action:
        events = events.filter(action=action)
    context = {"page_obj": paginate(request, events, per_page=50), "filters": filters}
    return render(request, "audit/audit_log.html", context)
