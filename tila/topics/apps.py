from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "tila.topics"
    verbose_name = _("Topics")

    def ready(self) -> None:
        from tila.keys.registry import register_sealed_field
        from tila.topics.models import Topic

        register_sealed_field(Topic, "text", lambda topic: topic.context)
