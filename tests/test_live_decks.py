"""Supervisors' own decks: words and uploaded pictures, checked, re-encoded and served only
to those who may see them."""

import io
import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError
from django.test import Client as HttpClient
from PIL import Image

from tests.factories import at, make_meeting
from tests.live_helpers import join, run_in
from tila.live.access import cookie_name, participant_token
from tila.live.actions import (
    add_card,
    change_state,
    create_deck,
    end_run,
    submit_answer,
    update_card,
)
from tila.live.models import OwnCard, OwnDeck, Run
from tila.live.uploads import upload_dir
from tila.practices.models import Membership

GPS_TAG = 0x8825
ARTIST_TAG = 0x013B


def picture(kind: str, size: tuple[int, int] = (64, 48), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (40, 120, 90))
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if exif:
        data = Image.Exif()
        data[ARTIST_TAG] = "Salainen Kuvaaja"
        data[GPS_TAG] = {2: (60.0, 10.0, 0.0)}
        options["exif"] = data.tobytes()
    image.save(out, format=kind, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "kuva.png", content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def membership(world: Any, user: Any = None) -> Membership:
    return Membership.objects.get(practice=world.practice, user=user or world.owner)


def picture_deck(world: Any) -> OwnDeck:
    return create_deck(
        membership=membership(world), name="Omat kuvat", language="fi", pictures=True
    )


def post_card(client: HttpClient, deck: OwnDeck, data: bytes, **names: Any) -> Any:
    return client.post(
        f"/live/decks/{deck.uuid}/",
        {"add": "1", "text": "Järvi aamulla", "image": upload(data, **names)},
    )


@pytest.mark.django_db
def test_the_supervisor_creates_a_word_deck_and_uses_it_in_a_cards_exercise(owner_client, world):
    response = owner_client.post(
        "/live/decks/", {"name": "Arvosanat", "language": "fi", "pictures": ""}
    )
    deck = OwnDeck.objects.get()
    assert response["Location"] == f"/live/decks/{deck.uuid}/"
    assert deck.owner == membership(world) and not deck.pictures
    for word in ("Rohkeus", "Levollisuus", "Uteliaisuus"):
        owner_client.post(f"/live/decks/{deck.uuid}/", {"add": "1", "text": word})
    assert list(deck.cards.values_list("text", flat=True)) == [
        "Rohkeus",
        "Levollisuus",
        "Uteliaisuus",
    ]
    page = owner_client.get(f"/meetings/{world.meeting.uuid}/live/").content.decode()
    assert f'value="{deck.key}"' in page and "Arvosanat" in page
    owner_client.post(
        f"/meetings/{world.meeting.uuid}/live/",
        {"method": "cards", "prompt": "", "k": "1", "deck": deck.key, "show_live": "on"},
    )
    run = Run.objects.get()
    assert run.deck == deck.key
    card = deck.cards.get(text="Levollisuus")
    submit_answer(participant=join(run), data={"card": card.uuid.hex})
    with pytest.raises(ValueError):
        submit_answer(participant=join(run), data={"card": "pictures"})
    screen = owner_client.get(f"/live/runs/{run.uuid}/").content.decode()
    assert "Levollisuus" in screen
    end_run(run=run, actor=world.owner, save=True)
    saved = owner_client.get(f"/live/runs/{run.uuid}/").content.decode()
    assert "Levollisuus" in saved


@pytest.mark.django_db
def test_another_supervisors_deck_is_not_offered_nor_accepted(colleague_client, world):
    deck = create_deck(
        membership=membership(world), name="Annan kortit", language="fi", pictures=False
    )
    add_card(deck=deck, text="Sana")
    assert "Annan kortit" not in colleague_client.get("/live/decks/").content.decode()
    assert colleague_client.get(f"/live/decks/{deck.uuid}/").status_code == 404
    meeting = make_meeting(world.colleague_contract, world.colleague, at(2026, 12, 2))
    page = colleague_client.get(f"/meetings/{meeting.uuid}/live/").content.decode()
    assert deck.key not in page
    response = colleague_client.post(
        f"/meetings/{meeting.uuid}/live/",
        {"method": "cards", "prompt": "", "k": "1", "deck": deck.key},
    )
    assert response.status_code == 200 and not Run.objects.exists()


@pytest.mark.django_db
def test_a_deck_without_a_name_is_not_saved(owner_client):
    response = owner_client.post("/live/decks/", {"name": "", "language": "fi"})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    assert not OwnDeck.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_picture_is_reencoded_as_webp(owner_client, world, kind):
    deck = picture_deck(world)
    response = post_card(owner_client, deck, picture(kind, (3200, 1200)), name="kuva.bin")
    assert response.status_code == 302
    card = OwnCard.objects.get()
    stored = (upload_dir() / card.image).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "WEBP"
        assert image.size == (1600, 600)
    served = owner_client.get(f"/live/cards/{card.uuid}/image/")
    assert served.status_code == 200 and served.content == stored
    assert served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_exif_and_location_are_stripped(owner_client, world):
    deck = picture_deck(world)
    original = picture("JPEG", exif=True)
    assert b"Salainen Kuvaaja" in original
    post_card(owner_client, deck, original, name="kuva.jpg", content_type="image/jpeg")
    stored = (upload_dir() / OwnCard.objects.get().image).read_bytes()
    assert b"Salainen Kuvaaja" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info


SVG = b"""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"""
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [SVG, HTML, b"\x89PNG\r\n\x1a\n" + b"broken" * 10])
def test_a_file_that_only_claims_to_be_a_picture_is_refused(owner_client, world, data):
    deck = picture_deck(world)
    response = post_card(owner_client, deck, data, name="kuva.png", content_type="image/png")
    assert response.status_code == 200
    assert "Tämä tiedosto ei ole JPEG-, PNG- tai WebP-kuva." in response.content.decode()
    assert not OwnCard.objects.exists()
    assert not upload_dir().exists() or not any(upload_dir().rglob("*.*"))


@pytest.mark.django_db
def test_a_gif_is_refused_too(owner_client, world):
    deck = picture_deck(world)
    response = post_card(owner_client, deck, picture("GIF"), name="kuva.gif")
    assert response.status_code == 200 and not OwnCard.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_it_is_read(owner_client, world, settings):
    settings.TILA_UPLOAD_MAX_BYTES = 2**20
    deck = picture_deck(world)
    noisy = Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    # Over the limit, but within the room left for the form's other fields: the form says so.
    assert 2**20 < len(out.getvalue()) < 2**20 + 64 * 1024
    response = post_card(owner_client, deck, out.getvalue())
    assert response.status_code == 200
    assert "Kuva on liian suuri: enintään 1 Mt." in response.content.decode()
    assert not OwnCard.objects.exists()


@pytest.mark.django_db
def test_a_body_far_over_the_limit_is_refused_unread(owner_client, world, settings):
    settings.TILA_UPLOAD_MAX_BYTES = 2**20
    deck = picture_deck(world)
    response = post_card(owner_client, deck, os.urandom(2 * 2**20), name="iso.png")
    assert response.status_code == 302 and response["Location"] == f"/live/decks/{deck.uuid}/"
    page = owner_client.get(response["Location"]).content.decode()
    assert "Kuva on liian suuri: enintään 1 Mt." in page
    assert "JPEG, PNG tai WebP, enintään 1 Mt." in page
    assert not OwnCard.objects.exists()


@pytest.mark.django_db
def test_a_decompression_bomb_is_a_form_error(owner_client, world):
    deck = picture_deck(world)
    bomb = Image.new("1", (10_000, 5_000))
    out = io.BytesIO()
    bomb.save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 200_000  # 50 megapixels in a small file
    response = post_card(owner_client, deck, out.getvalue())
    assert response.status_code == 200
    assert "Kuvassa on liikaa pikseleitä: enintään 40 megapikseliä." in response.content.decode()
    assert not OwnCard.objects.exists()


@pytest.mark.django_db
def test_a_picture_deck_needs_a_picture_for_each_card(owner_client, world):
    deck = picture_deck(world)
    response = owner_client.post(f"/live/decks/{deck.uuid}/", {"add": "1", "text": "Järvi"})
    assert response.status_code == 200 and "Valitse kortille kuva." in response.content.decode()
    assert not OwnCard.objects.exists()


def _picture_card(world: Any) -> OwnCard:
    deck = picture_deck(world)
    return add_card(deck=deck, text="Järvi", image=picture("WEBP"))


@pytest.mark.django_db
def test_another_practice_gets_404_for_the_deck_and_its_pictures(other_client, world):
    card = _picture_card(world)
    assert other_client.get(f"/live/decks/{card.deck.uuid}/").status_code == 404
    assert other_client.get(f"/live/cards/{card.uuid}/image/").status_code == 404
    assert HttpClient().get(f"/live/cards/{card.uuid}/image/").status_code == 404


def _phone_of(participant: Any) -> HttpClient:
    phone = HttpClient()
    phone.cookies[cookie_name(participant.run)] = participant_token(participant)
    return phone


@pytest.mark.django_db
def test_participants_see_the_pictures_only_while_their_run_uses_the_deck(world):
    card = _picture_card(world)
    run = run_in(world.meeting, world.owner, method="cards", deck=card.deck.key)
    other_run = run_in(world.meeting, world.owner, method="cards", deck="pictures")
    inside = _phone_of(join(run))
    outside = _phone_of(join(other_run))
    assert inside.get(f"/live/cards/{card.uuid}/image/").status_code == 200
    assert outside.get(f"/live/cards/{card.uuid}/image/").status_code == 404
    page = inside.get(f"/live/{run.join_code}/").content.decode()
    assert f"/live/cards/{card.uuid}/image/" in page
    end_run(run=run, actor=world.owner, save=False)
    assert inside.get(f"/live/cards/{card.uuid}/image/").status_code == 404


@pytest.mark.django_db
def test_a_deck_in_a_running_exercise_is_not_deleted(
    owner_client, world, django_capture_on_commit_callbacks
):
    card = _picture_card(world)
    stored = upload_dir() / card.image
    run = run_in(world.meeting, world.owner, method="cards", deck=card.deck.key)
    response = owner_client.post(f"/live/decks/{card.deck.uuid}/delete/", follow=True)
    assert "Pakka on käytössä harjoituksessa" in response.content.decode()
    assert OwnDeck.objects.exists() and stored.exists()
    end_run(run=run, actor=world.owner, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/live/decks/{card.deck.uuid}/delete/")
    assert not OwnDeck.objects.exists() and not OwnCard.objects.exists()
    assert not stored.exists()


@pytest.mark.django_db
def test_the_assistant_has_no_decks(assistant_client, world):
    assert assistant_client.get("/live/decks/").status_code == 403
    card = _picture_card(world)
    assert assistant_client.get(f"/live/decks/{card.deck.uuid}/").status_code == 404
    assert assistant_client.get(f"/live/cards/{card.uuid}/image/").status_code == 404


@pytest.mark.django_db
def test_a_card_is_edited_and_its_picture_replaced(
    owner_client, world, django_capture_on_commit_callbacks
):
    card = _picture_card(world)
    old = upload_dir() / card.image
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/live/decks/{card.deck.uuid}/cards/{card.uuid}/",
            {"text": "Järvi illalla", "image": upload(picture("PNG"))},
        )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.text == "Järvi illalla" and (upload_dir() / card.image).exists()
    assert not old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/live/decks/{card.deck.uuid}/cards/{card.uuid}/delete/")
    assert not OwnCard.objects.exists() and not any(upload_dir().rglob("*.webp"))


def _word_deck(world: Any, words: list[str]) -> OwnDeck:
    deck = create_deck(
        membership=membership(world), name="Työn sanat", language="fi", pictures=False
    )
    for word in words:
        add_card(deck=deck, text=word)
    return deck


@pytest.mark.django_db
def test_an_emotion_check_in_with_an_own_word_deck(owner_client, world):
    deck = _word_deck(world, ["Kiire", "Into", "Väsymys"])
    owner_client.post(
        f"/meetings/{world.meeting.uuid}/live/",
        {"method": "emotion", "prompt": "", "k": "1", "deck": deck.key, "show_live": "on"},
    )
    run = Run.objects.get()
    assert run.deck == deck.key
    into = deck.cards.get(text="Into").uuid.hex
    phone = join(run)
    page = _phone_of(phone).get(f"/live/{run.join_code}/").content.decode()
    assert "Väsymys" in page and 'value="joy"' not in page
    with pytest.raises(ValueError):
        submit_answer(participant=phone, data={"word": ["joy"], "intensity": 5})
    submit_answer(participant=phone, data={"word": [into], "intensity": 5})
    screen = owner_client.get(f"/live/runs/{run.uuid}/").content.decode()
    assert '<span class="bar-label">Into</span>' in screen


@pytest.mark.django_db
def test_strengths_with_an_own_word_deck(world):
    deck = _word_deck(world, ["Sitkeys", "Lempeys"])
    run = run_in(
        world.meeting, world.owner, method="strengths", deck=deck.key, anonymous=False, k=1
    )
    giver, receiver = join(run, "Aino"), join(run, "Eero")
    lempeys = deck.cards.get(text="Lempeys").uuid.hex
    submit_answer(participant=giver, data={"to": receiver.uuid.hex, "word": [lempeys]})
    change_state(run=run, state="revealed", actor=world.owner)
    page = _phone_of(receiver).get(f"/live/{run.join_code}/").content.decode()
    assert '<ul class="received"><li>Lempeys</li></ul>' in page


@pytest.mark.django_db
def test_a_picture_deck_is_refused_for_an_emotion_check_in(owner_client, world):
    deck = picture_deck(world)
    add_card(deck=deck, text="Järvi", image=picture("WEBP"))
    response = owner_client.post(
        f"/meetings/{world.meeting.uuid}/live/",
        {"method": "emotion", "prompt": "", "k": "3", "deck": deck.key},
    )
    assert response.status_code == 200 and not Run.objects.exists()
    assert "Tunnemittari ja vahvuudet tarvitsevat sanoja" in response.content.decode()


@pytest.mark.django_db
def test_tilas_words_stay_when_no_own_deck_is_chosen(world):
    run = run_in(world.meeting, world.owner, method="emotion", deck="pictures")
    assert run.deck == ""
    submit_answer(participant=join(run), data={"word": ["calm"], "intensity": 3})


@pytest.mark.django_db(transaction=True)
def test_a_card_that_is_not_saved_leaves_no_picture_behind(world):
    deck = picture_deck(world)
    kept = add_card(deck=deck, text="Järvi", image=picture("WEBP"))
    gone = add_card(deck=deck, text="Silta", image=picture("WEBP"))
    files = {kept.image, gone.image}
    # Another tab removes the card while this one replaces its picture ...
    OwnCard.objects.filter(pk=gone.pk).delete()
    with pytest.raises(DatabaseError):
        update_card(card=gone, text="Silta illalla", image=picture("WEBP"))
    # ... or deletes the deck while a card is being added to it (refused at commit).
    other = picture_deck(world)
    OwnDeck.objects.filter(pk=other.pk).delete()
    with pytest.raises(IntegrityError):
        add_card(deck=other, text="Vene", image=picture("WEBP"))
    assert list(OwnCard.objects.values_list("text", flat=True)) == ["Järvi"]
    stored = {path.relative_to(upload_dir()).as_posix() for path in upload_dir().rglob("*")}
    assert {name for name in stored if name.endswith(".webp")} == files
