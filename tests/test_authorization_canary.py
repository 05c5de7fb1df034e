"""A canary in every content field of another practice never appears in any response.

Every URL of the authorization matrix is requested by every persona of practice A, once with
practice A's objects and once with the canary practice's objects. The canary practice's
owner, asking for her own pages, is the control: there the canary does appear.
"""

import io
import zipfile

import pytest
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client as HttpClient
from django.urls import reverse

from tests.canary_practice import (
    CanaryPractice,
    build_canary_practice,
    coverage_problems,
    fields_seen,
    text_fields,
)
from tests.test_authorization_matrix import (
    FEED_BY_TOKEN,
    MATRIX,
    PERSONAS,
    POLL_BY_TOKEN,
    Row,
    Side,
    persona_client,
    persona_users,
    sides,
)
from tila.accounts.models import User
from tila.clients.models import Person
from tila.intake.models import Availability
from tila.meetings.models import Meeting
from tila.practices.models import Membership, Practice, Service
from tila.scheduling.models import SchedulePoll


def _fields(model: type[Model], *names: str) -> set[str]:
    label = model._meta.label
    return {
        f"{label}.{field.name}" for field in text_fields(model) if not names or field.name in names
    }


# What a practice publishes on its public page: its profile, services, the supervisor's name
# and title, and how a first conversation is booked.
PUBLIC_FIELDS = (
    _fields(Practice)
    | _fields(Service, "name", "description")
    | _fields(User, "name")
    | _fields(Membership, "title")
    | _fields(Availability)
)

# What a member's calendar link shows its holder besides the pseudonymous titles.
FEED_FIELDS = _fields(Meeting, "place", "remote_link")

# What a member's answer link to a scheduling poll shows her besides the practice's public
# profile: the supervisor's note to the group, and her own name.
POLL_FIELDS = _fields(SchedulePoll, "note") | _fields(Person, "name")


def side_of(built: CanaryPractice) -> Side:
    return Side(
        service=built.service,
        organisation=built.organisation,
        contact=built.contact,
        client=built.client,
        member=built.member,
        contract=built.contract,
        meeting=built.meeting,
        note=built.note,
        topic=built.topic,
        statement=built.statement,
        entry=built.entry,
        inquiry=built.inquiry,
        invoice=built.invoice,
        invoice_line=built.invoice_line,
    )


def body(response: HttpResponseBase) -> str:
    """The response as text, with zip archives opened."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        raw = response.content  # type: ignore[attr-defined]
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    return raw.decode("utf-8", errors="replace").lower()


def fetch(http: HttpClient, row: Row, url: str) -> str:
    if row.method == "POST":
        return body(http.post(url, row.data))
    return body(http.get(url))


@pytest.fixture
def canary_world(world):
    return world, build_canary_practice()


@pytest.mark.django_db
def test_every_content_field_of_the_canary_practice_holds_the_canary(canary_world):
    _world, built = canary_world
    assert coverage_problems(built) == []


@pytest.mark.django_db
def test_the_canary_is_seen_where_it_may_be_seen(canary_world):
    """The control: the canary practice's own supervisor sees her canaries, so the scan
    below would find a leak."""
    _world, built = canary_world
    http = HttpClient()
    http.force_login(built.owner)
    side = side_of(built)
    for name in ("contract", "client", "organisation", "note", "meeting_notes", "schedule_poll"):
        row = MATRIX[name]
        assert row.kwargs is not None
        assert built.canary in fetch(http, row, reverse(name, kwargs=row.kwargs(side))), name


@pytest.mark.django_db
def test_no_persona_of_another_practice_ever_sees_the_canary(canary_world):
    world, built = canary_world
    own, _foreign = sides(world)
    canary_side = side_of(built)
    users = persona_users(world)
    clients = {persona: persona_client(users, persona) for persona in PERSONAS}
    leaks = []
    for name, row in sorted(MATRIX.items()):
        urls: dict[str, set[str]] = {
            reverse(name, kwargs=row.kwargs(own) if row.kwargs else None): set()
        }
        if row.kwargs is not None:
            # The canary practice's published page shows its public profile to everyone.
            # Its slug is in the URL itself.
            allowed = PUBLIC_FIELDS if row.foreign == 200 else {"practices.Practice.slug"}
            if name in FEED_BY_TOKEN:
                # Whoever holds a calendar link sees where and how the meetings are held, but
                # never a client's name (titles are pseudonymous by default) nor a note.
                allowed = allowed | FEED_FIELDS
            if name in POLL_BY_TOKEN:
                allowed = allowed | POLL_FIELDS
            urls[reverse(name, kwargs=row.kwargs(canary_side))] = allowed
        for url, allowed in sorted(urls.items()):
            for persona, http in clients.items():
                seen = fields_seen(built.canary, fetch(http, row, url)) - allowed
                if seen:
                    leaks.append(f"{persona} {row.method} {url}: {sorted(seen)}")
    assert leaks == [], "\n".join(leaks)
