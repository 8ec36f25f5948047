from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="index"),
    path("mine/", views.my_inspections, name="mine"),
    path("inspection/<int:pk>/record/", views.inspection_record_page, name="record"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/verify/", views.plan_verify, name="verify"),
]

public_urlpatterns = [
    path("inspection-results/", views.public_results, name="results"),
    path("inspection-results/<int:pk>/", views.public_result, name="result"),
]
