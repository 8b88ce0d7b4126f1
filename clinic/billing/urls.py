from django.urls import path

from . import superbill_views, views

urlpatterns = [
    path("visits/<int:pk>/checkout/", views.checkout_view, name="billing-checkout"),
    path("invoices/<int:pk>/receipt.pdf", views.receipt_view, name="billing-receipt"),
    path(
        "invoices/<int:pk>/superbill/",
        superbill_views.superbill_codes_view,
        name="billing-superbill-codes",
    ),
    path(
        "invoices/<int:pk>/superbill.pdf",
        superbill_views.superbill_pdf_view,
        name="billing-superbill",
    ),
    path("mine/", views.my_invoices, name="billing-my-invoices"),
    path("mine/statement/<int:year>.pdf", views.my_statement, name="billing-my-statement"),
    path(
        "clients/<int:client_id>/statement/<int:year>.pdf",
        views.client_statement,
        name="billing-client-statement",
    ),
    path("close-out/", views.close_out_view, name="billing-close-out"),
    path("export.csv", views.export_view, name="billing-export"),
    path("stripe/webhook/", views.stripe_webhook, name="billing-stripe-webhook"),
]
