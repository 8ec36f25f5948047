from django.urls import path

from . import api

urlpatterns = [
    path("indicators/coverage/", api.CoverageAPI.as_view(), name="api-coverage"),
]
