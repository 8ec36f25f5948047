from django.urls import path

from . import pool_views, rectification_views, views

urlpatterns = [
    path("", views.plan_list, name="index"),
    path("mine/", views.my_inspections, name="mine"),
    path("rectifications/", rectification_views.rectifications, name="rectifications"),
    path("new/", views.plan_new, name="new"),
    path("inspection/<int:pk>/", rectification_views.inspection_page, name="inspection"),
    path("inspection/<int:pk>/record/", views.inspection_record_page, name="record"),
    path("inspection/<int:pk>/verify/", rectification_views.rectification_verify_page, name="rectification-verify"),
    path("pools/<str:code>/", pool_views.pools, name="pools"),
    path("pools/<str:code>/inspectors/", pool_views.inspector_add, name="inspector-add"),
    path("pools/<str:code>/inspectors/<int:pk>/remove/", pool_views.inspector_drop, name="inspector-remove"),
    path("pools/<str:code>/targets/", pool_views.target_add, name="target-add"),
    path("pools/<str:code>/targets/bulk/", pool_views.targets_bulk_add, name="targets-bulk"),
    path("pools/<str:code>/targets/<int:pk>/remove/", pool_views.target_drop, name="target-remove"),
    path("pools/<str:code>/recusals/", pool_views.recusal_add, name="recusal-add"),
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
