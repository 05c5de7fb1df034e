from django.urls import include, path
from django.views.i18n import set_language

from tila.practices import views as practice_views

urlpatterns = [
    path("", practice_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("tila.practices.urls")),
    path("", include("tila.audit.urls")),
    path("", include("tila.clients.urls")),
    path("", include("tila.contracts.urls")),
    path("", include("tila.meetings.urls")),
    path("", include("tila.notes.urls")),
    path("", include("tila.portal.urls")),
    path("", include("tila.topics.urls")),
    path("", include("tila.journal.urls")),
    path("", include("tila.orderers.urls")),
    path("", include("tila.statements.urls")),
    path("", include("tila.privacy.urls")),
    path("", include("tila.intake.urls")),
    path("", include("tila.public.urls")),
    path("", include("tila.billing.urls")),
    path("", include("tila.live.urls")),
    path("", include("tila.evaluations.urls")),
    path("", include("tila.scheduling.urls")),
]

handler404 = "tila.practices.views.not_found"
handler403 = "tila.practices.views.forbidden"
handler500 = "tila.practices.views.server_error"
