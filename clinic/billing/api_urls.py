from django.urls import path

from . import api, card_api, claims_api

urlpatterns = [
    path("invoices/", api.InvoiceList.as_view(), name="api-invoices"),
    path("invoices/<int:pk>/", api.InvoiceDetail.as_view(), name="api-invoice"),
    path("invoices/<int:pk>/issue/", api.IssueInvoice.as_view(), name="api-invoice-issue"),
    path("invoices/<int:pk>/credit-note/", api.CreditInvoice.as_view(), name="api-invoice-credit"),
    path("invoices/<int:pk>/receipt/", api.Receipt.as_view(), name="api-invoice-receipt"),
    path(
        "invoices/<int:pk>/charge-card/",
        card_api.ChargeCardOnFile.as_view(),
        name="api-invoice-charge-card",
    ),
    path("clients/<int:pk>/card-on-file/", card_api.ClientCard.as_view(), name="api-client-card"),
    path(
        "invoices/<int:pk>/claims/", claims_api.InvoiceClaims.as_view(), name="api-invoice-claims"
    ),
    path("claims/", claims_api.ClaimList.as_view(), name="api-claims"),
    path("claims/<int:pk>/payment/", claims_api.ClaimPayment.as_view(), name="api-claim-payment"),
    path("claims/<int:pk>/denial/", claims_api.ClaimDenial.as_view(), name="api-claim-denial"),
    path("payments/", api.PaymentList.as_view(), name="api-payments"),
    path("payments/<int:pk>/refunds/", api.RefundPayment.as_view(), name="api-payment-refunds"),
    path(
        "appointments/<int:pk>/billing-status/",
        api.VisitBillingStatus.as_view(),
        name="api-appointment-billing-status",
    ),
]
