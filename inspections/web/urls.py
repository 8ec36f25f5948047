from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="index"),
    path("mine/", views.my_inspections, name="mine"),
    path("new/", views.plan_new, name="new"),
    path("inspection/<int:pk>/record/", views.inspection_record_page, name="record"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/verify/", views.plan_verify, name="verify"),
    path("<int:pk>/draw/", views.plan_draw_page, name="draw"),
    path("<int:pk>/complete/", views.plan_complete_page, name="complete"),
    path("<int:pk>/publish/", views.plan_publish_page, name="publish"),
]

public_urlpatterns = [
    path("inspection-results/", views.public_results, name="results"),
    path("inspection-results/<int:pk>/", views.public_result, name="result"),
]
