from django.urls import path

from tila.audit import views

urlpatterns = [
    path("practice/audit/", views.audit_log, name="audit_log"),
]
