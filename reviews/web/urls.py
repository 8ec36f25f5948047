from django.urls import path

from . import public, views

urlpatterns = [
    path("", views.campaign_list, name="index"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/select/", views.campaign_select_page, name="select"),
    path("<int:pk>/add/", views.campaign_add_page, name="add"),
    path("<int:pk>/open/", views.campaign_open_page, name="open"),
    path("<int:pk>/missing/", views.campaign_missing, name="missing"),
    path("<int:pk>/remind/", views.campaign_remind_page, name="remind"),
    path("due/<int:pk>/letter/", views.due_letter, name="letter"),
    path("due/<int:pk>/paper/", views.paper_entry, name="paper"),
    path("report/<int:pk>/", views.report_detail, name="report"),
    path("report/<int:pk>/finding/", views.finding_page, name="finding"),
    path("report/<int:pk>/verify/", views.verify_page, name="verify"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment"),
]

public_urlpatterns = [
    path("wage-report/", public.report_form, name="report"),
    path("wage-report/receipt/", public.receipt, name="receipt"),
]
