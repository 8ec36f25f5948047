"""Public and staff API of the accountability app: mounted at /api/v1/."""

from django.urls import path

from . import api, employer_api

urlpatterns = [
    path("public/credit-list/", api.CreditListAPI.as_view(), name="api-credit-list"),
    path("public/credit-list/defence/", api.ListingDefenceAPI.as_view(), name="api-listing-defence"),
    path("public/credit-list/removal/", api.RemovalApplicationAPI.as_view(), name="api-listing-removal"),
    path("public/violations/", api.ViolationListAPI.as_view(), name="api-violations"),
    path("accountability/", api.AccountabilityRegisterAPI.as_view(), name="api-accountability-register"),
    path("employers/<int:pk>/", employer_api.EmployerDetailAPI.as_view(), name="api-employer-detail"),
    path("employers/<int:pk>/corrections/", employer_api.EmployerCorrectAPI.as_view(), name="api-employer-correct"),
]
