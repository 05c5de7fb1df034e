"""The supervisee's side of topics: POST endpoints behind the portal's doorway."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tila.portal.access import SuperviseeRequest, supervisee_required
from tila.topics import actions
from tila.topics.access import access_meeting_for_topics, access_own_topic
from tila.topics.forms import TopicForm


def _back_to(meeting_uuid: UUID) -> HttpResponse:
    return redirect(f"{reverse('portal_home')}#meeting-{meeting_uuid}")


# login_required first, so that an anonymous visitor is sent to the login and a GET is
# refused (405) before anything is looked up.
@login_required
@require_POST
@supervisee_required
def send_topic(request: SuperviseeRequest, meeting_uuid: UUID) -> HttpResponse:
    meeting = access_meeting_for_topics(request.supervisee, meeting_uuid)
    form = TopicForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _back_to(meeting.uuid)
    try:
        actions.send_topic(
            meeting=meeting,
            person=request.supervisee,
            actor=request.user,
            text=form.cleaned_data["text"],
            share_with_group=form.cleaned_data["share_with_group"],
        )
    except actions.TopicError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your topic was sent."))
    return _back_to(meeting.uuid)


@login_required
@require_POST
@supervisee_required
def withdraw_topic(request: SuperviseeRequest, topic_uuid: UUID) -> HttpResponse:
    topic = access_own_topic(request.supervisee, topic_uuid)
    actions.withdraw_topic(topic=topic, actor=request.user)
    messages.success(request, _("Your topic was withdrawn and its text deleted."))
    return _back_to(topic.meeting.uuid)
