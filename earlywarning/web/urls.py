from django.urls import path

from . import views

urlpatterns = [
    path("", views.signal_list, name="index"),
    # literal paths: keep them before "<int:pk>/"
    path("new/", views.signal_new, name="new"),
    path("check/<str:project_no>/", views.project_check, name="check"),
    path("<int:pk>/", views.signal_detail, name="detail"),
]
