from django.urls import path

from tila.orderers import views

urlpatterns = [
    path("contacts/<uuid:contact_uuid>/invite/", views.invite_contact, name="invite_contact"),
    path("orderer/", views.orderer_home, name="orderer_home"),
    path(
        "orderer/contracts/<uuid:contract_uuid>/",
        views.orderer_contract,
        name="orderer_contract",
    ),
    path("orderer/invoices/", views.orderer_invoice_list, name="orderer_invoice_list"),
    path(
        "orderer/invoices/<uuid:invoice_uuid>/pdf/",
        views.orderer_invoice_pdf,
        name="orderer_invoice_pdf",
    ),
]
