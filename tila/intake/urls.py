from django.urls import path

from tila.intake import views

urlpatterns = [
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/<uuid:inquiry_uuid>/", views.inquiry, name="inquiry"),
    path("inquiries/<uuid:inquiry_uuid>/convert/", views.convert_inquiry, name="convert_inquiry"),
    path(
        "inquiries/<uuid:inquiry_uuid>/status/",
        views.change_inquiry_status,
        name="change_inquiry_status",
    ),
    path("practice/public-page/", views.edit_availability, name="edit_availability"),
]
