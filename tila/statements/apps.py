from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "tila.statements"
    verbose_name = _("Statements to the orderer")

    def ready(self) -> None:
        from tila.keys.registry import register_sealed_field
        from tila.statements.models import Statement

        register_sealed_field(Statement, "text", lambda statement: statement.context)
