"""Public and staff API of the accountability app: mounted at /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("public/credit-list/", api.CreditListAPI.as_view(), name="api-credit-list"),
    path("public/credit-list/defence/", api.ListingDefenceAPI.as_view(), name="api-listing-defence"),
    path("public/credit-list/removal/", api.RemovalApplicationAPI.as_view(), name="api-listing-removal"),
    path("public/violations/", api.ViolationListAPI.as_view(), name="api-violations"),
    path("accountability/", api.AccountabilityRegisterAPI.as_view(), name="api-accountability-register"),
]
