from django.urls import path

from tila.journal import views

urlpatterns = [
    path("portal/journal/", views.journal, name="journal"),
    path("portal/journal/new/", views.new_journal_entry, name="new_journal_entry"),
    path("portal/journal/export/", views.export_journal, name="export_journal"),
    path("portal/journal/<uuid:entry_uuid>/", views.journal_entry, name="journal_entry"),
    path(
        "portal/journal/<uuid:entry_uuid>/delete/",
        views.delete_journal_entry,
        name="delete_journal_entry",
    ),
    path(
        "portal/journal/<uuid:entry_uuid>/share/",
        views.share_journal_entry,
        name="share_journal_entry",
    ),
    path(
        "portal/journal/<uuid:entry_uuid>/withdraw/",
        views.withdraw_journal_share,
        name="withdraw_journal_share",
    ),
]
