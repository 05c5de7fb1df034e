from django.urls import path

from tila.live import views

urlpatterns = [
    path("meetings/<uuid:meeting_uuid>/live/", views.meeting_live, name="meeting_live"),
    path("live/runs/<uuid:run_uuid>/", views.live_run, name="live_run"),
    path("live/runs/<uuid:run_uuid>/presenter/", views.live_presenter, name="live_presenter"),
    path("live/runs/<uuid:run_uuid>/control/", views.control_live_run, name="control_live_run"),
    path("live/runs/<uuid:run_uuid>/next/", views.next_live_prompt, name="next_live_prompt"),
    path("live/runs/<uuid:run_uuid>/board/", views.move_board_note, name="move_board_note"),
    path("live/runs/<uuid:run_uuid>/turns/", views.steer_live_turns, name="steer_live_turns"),
    path("live/runs/<uuid:run_uuid>/end/", views.end_live_run, name="end_live_run"),
    path("live/decks/", views.live_decks, name="live_decks"),
    path("live/decks/<uuid:deck_uuid>/", views.live_deck, name="live_deck"),
    path("live/decks/<uuid:deck_uuid>/delete/", views.delete_live_deck, name="delete_live_deck"),
    path(
        "live/decks/<uuid:deck_uuid>/cards/<uuid:card_uuid>/",
        views.edit_live_card,
        name="edit_live_card",
    ),
    path(
        "live/decks/<uuid:deck_uuid>/cards/<uuid:card_uuid>/delete/",
        views.delete_live_card,
        name="delete_live_card",
    ),
    # The deck's owner, the supervisors of a run using the deck, and its participants.
    path("live/cards/<uuid:card_uuid>/image/", views.live_card_image, name="live_card_image"),
    # Public by design: participants join with the code on the shared screen, no account.
    path("live/", views.live_join, name="live_join"),
    path("live/<str:code>/", views.live_participant, name="live_participant"),
    path("live/<str:code>/join/", views.join_live_run, name="join_live_run"),
]
