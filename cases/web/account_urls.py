from django.urls import path

from . import account_views

urlpatterns = [
    path("accounts/", account_views.account_list, name="accounts"),
]
