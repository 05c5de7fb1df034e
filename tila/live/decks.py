"""Decks shipped with Tila: words and pictures made for Tila, free of licence worries.

A card is stored in answers by its key; its label is shown in the reader's language. Picture
cards are our own SVG drawings under ``tila/static/tila/live/pictures/<key>.svg``; the label is
the image's text alternative."""

from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from tila.live.models import OWN_DECK_PREFIX, Method, OwnDeck


@dataclass(frozen=True)
class Card:
    key: str
    fi: str
    en: str
    picture: bool = False
    # An own deck's picture: the address of the view that serves it after an access check.
    url: str = ""

    @property
    def label(self) -> str:
        return self.en if (get_language() or "fi").startswith("en") else self.fi

    @property
    def image(self) -> str:
        if self.url:
            return self.url
        return static(f"tila/live/pictures/{self.key}.svg") if self.picture else ""


@dataclass(frozen=True)
class Deck:
    key: str
    name: StrPromise | str
    cards: tuple[Card, ...]

    def card(self, key: str) -> Card | None:
        return next((card for card in self.cards if card.key == key), None)

    @property
    def is_pictures(self) -> bool:
        return any(card.picture for card in self.cards)


DATA = Path(__file__).resolve().parent / "data"


def _words(name: str) -> tuple[Card, ...]:
    """Cards from ``data/<name>.txt``: lines of 'key | suomeksi | in English'."""
    cards = []
    for line in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, fi, en = (part.strip() for part in line.split("|"))
            cards.append(Card(key, fi, en))
    return tuple(cards)


EMOTIONS = _words("emotions")

STRENGTHS = _words("strengths")

QUESTIONS = _words("questions")

PICTURES = tuple(
    Card(key, fi, en, picture=True)
    for key, fi, en in (
        ("path", "Polku metsässä", "A path in the woods"),
        ("bridge", "Silta joen yli", "A bridge over a river"),
        ("sun-cloud", "Aurinko pilven takana", "The sun behind a cloud"),
        ("rain", "Sadepilvi", "A rain cloud"),
        ("seedling", "Taimi", "A seedling"),
        ("tree", "Yksinäinen puu", "A lone tree"),
        ("door-open", "Avoin ovi", "An open door"),
        ("door-closed", "Suljettu ovi", "A closed door"),
        ("boat", "Vene järvellä", "A boat on a lake"),
        ("lighthouse", "Majakka", "A lighthouse"),
        ("mountain", "Tunturi", "A fell"),
        ("stones", "Astinkivet", "Stepping stones"),
        ("moon-lake", "Kuu järven yllä", "The moon over a lake"),
        ("cabin", "Mökki", "A cabin"),
        ("bench", "Penkki", "A bench"),
        ("kite", "Leija", "A kite"),
        ("birds", "Muuttolinnut", "Migrating birds"),
        ("snowflake", "Lumihiutale", "A snowflake"),
        ("crossroads", "Tienristeys", "A crossroads"),
        ("ladder", "Tikkaat", "A ladder"),
        ("window", "Ikkuna", "A window"),
        ("wave", "Aalto", "A wave"),
        ("lantern", "Lyhty", "A lantern"),
        ("island", "Saari", "An island"),
    )
)

DECKS: dict[str, Deck] = {
    deck.key: deck
    for deck in (
        Deck("pictures", _("Picture cards"), PICTURES),
        Deck("questions", _("Question cards for resource-oriented work"), QUESTIONS),
        Deck("strengths", _("Strength words"), STRENGTHS),
        Deck("emotions", _("Emotion words"), EMOTIONS),
    )
}
CARD_DECKS = ("pictures", "questions", "strengths", "emotions")


def deck(key: str) -> Deck:
    return DECKS[key]


def own_deck(found: OwnDeck) -> Deck:
    """An own deck as the methods use it: a card's key is its uuid, its label its text in
    the deck's language whatever the reader's."""
    return Deck(
        found.key,
        found.name,
        tuple(
            Card(
                card.uuid.hex,
                card.text,
                card.text,
                picture=bool(card.image),
                url=reverse("live_card_image", args=[card.uuid]) if card.image else "",
            )
            for card in found.cards.all()
        ),
    )


def is_own_key(key: str) -> bool:
    return key.startswith(OWN_DECK_PREFIX)


def words_for(method: str, deck_key: str) -> tuple[Card, ...]:
    """The words of an emotion check-in or a strengths exercise: the supervisor's own word
    deck when she chose one, else Tila's emotion or strength words."""
    if is_own_key(deck_key):
        found = find_deck(deck_key)
        if found is not None and not found.is_pictures:
            return found.cards
    return STRENGTHS if method == Method.STRENGTHS else EMOTIONS


def find_deck(key: str) -> Deck | None:
    """A shipped deck by its key, or an own deck by ``own-<uuid hex>``."""
    if key in DECKS:
        return DECKS[key]
    if not key.startswith(OWN_DECK_PREFIX):
        return None
    try:
        deck_uuid = UUID(hex=key.removeprefix(OWN_DECK_PREFIX))
    except ValueError:
        return None
    found = OwnDeck.objects.filter(uuid=deck_uuid).prefetch_related("cards").first()
    return own_deck(found) if found else None
