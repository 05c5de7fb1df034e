from django.urls import path

from tila.billing import views

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/export.csv", views.export_invoices, name="export_invoices"),
    path("invoices/reports/", views.billing_reports, name="billing_reports"),
    path("supervising-log/", views.supervising_log_page, name="supervising_log"),
    path("supervising-log.csv", views.supervising_log_csv_download, name="supervising_log_csv"),
    path("supervising-log.pdf", views.supervising_log_pdf_download, name="supervising_log_pdf"),
    path("invoices/new/", views.new_invoice, name="new_invoice"),
    path("invoices/overdue/", views.overdue_invoices, name="overdue_invoices"),
    path("invoices/<uuid:invoice_uuid>/", views.invoice, name="invoice"),
    path("invoices/<uuid:invoice_uuid>/lines/", views.add_invoice_line, name="add_invoice_line"),
    path(
        "invoice-lines/<uuid:invoice_line_uuid>/remove/",
        views.remove_invoice_line,
        name="remove_invoice_line",
    ),
    path("invoices/<uuid:invoice_uuid>/delete/", views.delete_invoice, name="delete_invoice"),
    path("invoices/<uuid:invoice_uuid>/issue/", views.issue_invoice, name="issue_invoice"),
    path("invoices/<uuid:invoice_uuid>/sent/", views.mark_invoice_sent, name="mark_invoice_sent"),
    path("invoices/<uuid:invoice_uuid>/email/", views.email_invoice, name="email_invoice"),
    path("invoices/<uuid:invoice_uuid>/reminders/", views.remind_invoice, name="remind_invoice"),
    path("reminders/<uuid:reminder_uuid>/pdf/", views.reminder_pdf_download, name="reminder_pdf"),
    path("invoices/<uuid:invoice_uuid>/payments/", views.record_payment, name="record_payment"),
    path("invoices/<uuid:invoice_uuid>/credit/", views.credit_invoice, name="credit_invoice"),
    path("invoices/<uuid:invoice_uuid>/pdf/", views.invoice_pdf_download, name="invoice_pdf"),
    path("invoices/<uuid:invoice_uuid>/finvoice/", views.invoice_finvoice, name="invoice_finvoice"),
    path("people/<uuid:person_uuid>/hours/", views.hours_ledger_page, name="hours_ledger"),
    path(
        "people/<uuid:person_uuid>/certificate/portal/",
        views.certificate_in_portal,
        name="certificate_in_portal",
    ),
    path(
        "people/<uuid:person_uuid>/kela-statement/",
        views.kela_statement_download,
        name="kela_statement",
    ),
    path(
        "people/<uuid:person_uuid>/certificate/",
        views.supervision_certificate,
        name="supervision_certificate",
    ),
]
