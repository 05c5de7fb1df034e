from django.urls import path

from tila.practices import views

urlpatterns = [
    path("practice/", views.practice_settings, name="practice_settings"),
    path("practice/edit/", views.edit_practice, name="edit_practice"),
    path("practice/services/new/", views.new_service, name="new_service"),
    path("practice/services/<uuid:service_uuid>/edit/", views.edit_service, name="edit_service"),
]
