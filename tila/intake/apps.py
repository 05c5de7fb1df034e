from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "tila.intake"
    verbose_name = _("Inquiries and bookings")

    def ready(self) -> None:
        from tila.intake.busy import booked_conversations
        from tila.intake.dashboard import crisis_panel
        from tila.intake.models import Inquiry
        from tila.keys.registry import register_sealed_field
        from tila.meetings.busy import register_busy_source
        from tila.meetings.dashboard import register_panel

        register_sealed_field(Inquiry, "need", lambda inquiry: inquiry.need_context)
        register_panel(crisis_panel)
        register_busy_source(booked_conversations)
