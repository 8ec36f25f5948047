from django.urls import path

from . import views

urlpatterns = [
    path("signals/", views.SignalListAPI.as_view(), name="api-signal-list"),
    path("signals/<int:pk>/", views.SignalDetailAPI.as_view(), name="api-signal-detail"),
    path("projects/<str:project_no>/check/", views.ProjectCheckAPI.as_view(), name="api-project-check"),
]
