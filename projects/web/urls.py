from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="index"),
    path("<str:project_no>/", views.project_detail, name="detail"),
]
