from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "tila.scheduling"
    verbose_name = _("Scheduling polls")

    def ready(self) -> None:
        from tila.meetings.dashboard import register_panel
        from tila.scheduling.dashboard import open_polls_panel

        register_panel(open_polls_panel)
