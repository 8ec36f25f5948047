from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="index"),
    path("records/", views.figure_records, name="records"),
    path("circulars/", views.circular_list, name="circulars"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular"),
    path("circulars/<int:pk>/pdf/", views.circular_pdf, name="circular-pdf"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/export.xlsx", views.assessment_export, name="export"),
    path("<int:pk>/scores/<int:score_id>/", views.score_adjust, name="adjust"),
    path("<int:pk>/<str:action>/", views.assessment_act, name="act"),
]
