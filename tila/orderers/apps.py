from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderersConfig(AppConfig):
    name = "tila.orderers"
    verbose_name = _("Orderer's view")
