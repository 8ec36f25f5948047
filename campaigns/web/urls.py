from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list, name="index"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/close/", views.campaign_close_page, name="close"),
    path("<int:pk>/check/", views.check_new, name="check_new"),
    path("<int:pk>/hazard/", views.hazard_new, name="hazard_new"),
    path("<int:pk>/import/", views.hazard_import_page, name="import"),
    path("<int:pk>/figures/", views.campaign_figures, name="figures"),
    path("<int:pk>/records/", views.figure_records, name="records"),
    path("hazard/<int:pk>/", views.hazard_detail, name="hazard"),
    path("hazard/<int:pk>/resolve/", views.hazard_resolve_page, name="hazard_resolve"),
    path("hazard/<int:pk>/case/", views.hazard_case_page, name="hazard_case"),
]
