from django.urls import path

from . import api

urlpatterns = [
    path("clients/<int:pk>/break-glass/", api.break_glass_for_client, name="api-break-glass"),
    path("break-glass/", api.GrantList.as_view(), name="api-break-glass-list"),
    path("break-glass/<int:pk>/review/", api.review_grant, name="api-break-glass-review"),
]
