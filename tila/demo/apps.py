from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tila.demo"
    verbose_name = "Demo practice"
