from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="index"),
    path("<str:case_no>/", views.case_detail, name="detail"),
    path("<str:case_no>/timeline/", views.case_timeline, name="timeline"),
]
