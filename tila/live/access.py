"""Access to live exercises.

The supervisor's side: only the supervisors of the meeting's contract start, see and control a
run; an assistant, the practice's other supervisors and everyone else get 404.

The participants' side is public by design: a join code (while the run is running) and then a
signed per-device cookie that names one participant of one run. The cookie reaches only that
run; nothing else in Tila accepts it."""

from http.cookies import CookieError, SimpleCookie
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tila.accounts.models import User
from tila.live.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    OwnCard,
    OwnDeck,
    Participant,
    Run,
    State,
)
from tila.meetings.access import access_meeting
from tila.meetings.models import Meeting
from tila.portal.models import SuperviseeAccount
from tila.practices.models import Membership, Role

COOKIE_SALT = "tila.live.participant"
COOKIE_MAX_AGE = 60 * 60 * 12


def supervises(membership: Membership, meeting: Meeting) -> bool:
    return meeting.contract.is_supervised_by(membership)


def access_meeting_for_live(membership: Membership, meeting_uuid: UUID) -> Meeting:
    meeting = access_meeting(membership, meeting_uuid)
    if not supervises(membership, meeting):
        raise Http404
    return meeting


def access_run(membership: Membership, run_uuid: UUID) -> Run:
    """A run of a meeting the member supervises; 404 otherwise."""
    run = (
        Run.objects.filter(practice=membership.practice, uuid=run_uuid)
        .select_related("meeting", "meeting__contract", "meeting__contract__client")
        .first()
    )
    if run is None or not supervises(membership, run.meeting):
        raise Http404
    return run


def run_for_supervisor(user: User, run_uuid: UUID) -> Run | None:
    """The same rule for a WebSocket, which has a user but no chosen practice."""
    run = Run.objects.filter(uuid=run_uuid).select_related("meeting__contract").first()
    if run is None or not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, practice=run.practice_id).first()
    if membership is None or not supervises(membership, run.meeting):
        return None
    return run


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()[: CODE_LENGTH + 2]


def running_run(code: str) -> Run | None:
    """The running (not ended) run with this join code."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return (
        Run.objects.exclude(state=State.ENDED)
        .filter(join_code=code)
        .select_related("meeting__contract__client")
        .first()
    )


def cookie_name(run: Run) -> str:
    return f"tila_live_{run.uuid.hex}"


def _signer(run: Run) -> signing.TimestampSigner:
    """Signs a participant's id for one run: a cookie of another run does not verify here."""
    return signing.TimestampSigner(salt=f"{COOKIE_SALT}:{run.uuid.hex}")


def participant_token(participant: Participant) -> str:
    return _signer(participant.run).sign(participant.uuid.hex)


def set_participant_cookie(response: HttpResponse, participant: Participant) -> None:
    response.set_cookie(
        cookie_name(participant.run),
        participant_token(participant),
        max_age=COOKIE_MAX_AGE,
        secure=settings.SECURE,
        httponly=True,
        samesite="Lax",
    )


def _participant(run: Run, value: str | None) -> Participant | None:
    if not value:
        return None
    try:
        participant_hex = _signer(run).unsign(value, max_age=COOKIE_MAX_AGE)
        participant_uuid = UUID(hex=participant_hex)
    except (signing.BadSignature, ValueError):
        return None
    return Participant.objects.filter(run=run, uuid=participant_uuid).first()


def participant_of(request: HttpRequest, run: Run) -> Participant | None:
    """This device's participant of the run, or the logged-in user's."""
    found = _participant(run, request.COOKIES.get(cookie_name(run)))
    if found is None and request.user.is_authenticated:
        found = Participant.objects.filter(run=run, user=request.user).first()
    return found


def participant_from_headers(run: Run, headers: list[tuple[bytes, bytes]]) -> Participant | None:
    """The participant named by the signed cookie of a WebSocket handshake."""
    cookies = SimpleCookie()
    for name, value in headers:
        if name.lower() == b"cookie":
            try:
                cookies.load(value.decode("latin-1"))
            except CookieError:  # a broken Cookie header names nobody
                return None
    morsel = cookies.get(cookie_name(run))
    return _participant(run, morsel.value if morsel else None)


def supervisee_of_meeting(user: User | None, meeting: Meeting) -> bool:
    """Whether a logged-in user is a supervisee of the meeting's client (and so joins by name)."""
    if user is None or not user.is_authenticated:
        return False
    return SuperviseeAccount.objects.filter(
        user=user, person__memberships__client=meeting.contract.client
    ).exists()


# Own decks: a supervisor's own, in the practice she works in. An assistant has none (she does
# not run exercises); another member's deck, even in the same practice, is a 404.


def may_have_decks(membership: Membership) -> bool:
    return membership.role in (Role.OWNER, Role.SUPERVISOR)


def own_decks(membership: Membership) -> QuerySet[OwnDeck]:
    return OwnDeck.objects.filter(practice=membership.practice, owner=membership)


def access_deck(membership: Membership, deck_uuid: UUID) -> OwnDeck:
    return get_object_or_404(own_decks(membership), uuid=deck_uuid)


def access_card(membership: Membership, deck: OwnDeck, card_uuid: UUID) -> OwnCard:
    return get_object_or_404(OwnCard.objects.filter(deck=deck), uuid=card_uuid)


def may_see_card(request: HttpRequest, card: OwnCard) -> bool:
    """A card's picture is seen by the deck's owner, by the supervisors of a run that uses
    the deck, and by the participants of such a run while it is running."""
    deck = card.deck
    runs = Run.objects.filter(deck=deck.key).select_related("meeting__contract")
    if request.user.is_authenticated:
        membership = Membership.objects.filter(user=request.user, practice=deck.practice_id).first()
        if membership is not None and (
            membership.pk == deck.owner_id
            or any(supervises(membership, run.meeting) for run in runs)
        ):
            return True
    return any(participant_of(request, run) is not None for run in runs if not run.is_ended)
