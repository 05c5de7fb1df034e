from django.urls import path

from tila.public import views

urlpatterns = [
    path("p/<slug:practice_slug>/", views.public_page, name="public_page"),
    path("p/<slug:practice_slug>/inquiry/", views.inquiry_form, name="public_inquiry"),
    path("p/<slug:practice_slug>/inquiry/sent/", views.inquiry_sent, name="inquiry_sent"),
    path("p/<slug:practice_slug>/book/", views.booking, name="public_booking"),
    path(
        "p/<slug:practice_slug>/book/<uuid:booking_uuid>/",
        views.booking_done,
        name="booking_done",
    ),
    path("p/<slug:practice_slug>/privacy/", views.privacy_notice, name="privacy_notice"),
]
