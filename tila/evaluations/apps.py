from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "tila.evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from tila.evaluations.models import Answer
        from tila.keys.registry import register_sealed_field

        register_sealed_field(Answer, "text", lambda answer: answer.context)
