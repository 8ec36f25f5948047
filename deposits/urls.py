from django.urls import path

from . import fund_views, views

app_name = "deposits"
urlpatterns = [
    path("", views.deposit_register_page, name="index"),
    path("export.xlsx", views.deposits_export, name="export"),
    path("figures/", views.figures_page, name="figures"),
    path("documents/<int:pk>/", views.deposit_document, name="document"),
    path("projects/<str:project_no>/", views.project_deposit, name="project"),
    path("projects/<str:project_no>/<str:action>/", views.project_deposit_action, name="project-action"),
    path("cases/<str:case_no>/drawdown/", views.case_drawdown, name="drawdown"),
    path("draws/<int:pk>/<str:action>/", views.draw_action, name="draw-action"),
    path("cases/<str:case_no>/advance/", fund_views.case_advance, name="advance"),
    path("advances/<int:pk>/<str:action>/", fund_views.advance_action, name="advance-action"),
    path("funds/", fund_views.fund_list, name="funds"),
    path("funds/export.xlsx", fund_views.fund_export, name="fund-export"),
    path("funds/allocate/", fund_views.fund_allocate, name="fund-allocate"),
    path("funds/<str:code>/", fund_views.fund_detail, name="fund"),
]
public_urlpatterns = [
    path("deposit-notices/", views.public_notices, name="deposit-notices"),
]
