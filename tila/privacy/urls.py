from django.urls import path

from tila.privacy import views

urlpatterns = [
    path("privacy/<uuid:subject_uuid>/", views.subject, name="privacy_subject"),
    path("privacy/<uuid:subject_uuid>/export/", views.export_subject, name="export_subject"),
    path("privacy/<uuid:subject_uuid>/erase/", views.erase_subject, name="erase_subject"),
    path("practice/retention/", views.retention, name="retention"),
]
