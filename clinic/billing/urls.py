from django.urls import path

from . import card_views, superbill_views, views

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
    path("mine/card/", card_views.my_card, name="billing-my-card"),
    path("mine/card/saved/", card_views.my_card_saved, name="billing-my-card-saved"),
    path("mine/pay/", card_views.pay_balance, name="billing-my-pay"),
    path("mine/paid/", card_views.my_paid, name="billing-my-paid"),
    path("book/<int:pk>/", card_views.book_with_card, name="billing-book-with-card"),
    path("close-out/", views.close_out_view, name="billing-close-out"),
    path("export.csv", views.export_view, name="billing-export"),
    path("stripe/webhook/", views.stripe_webhook, name="billing-stripe-webhook"),
]
