"""Sections of the staff site for the flows: tasks (inbox, queue) and complaints."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from cases.web import complaint_views, document_views

from . import urls


class TasksApp(Application):
    title = _("待办")
    icon = "assignment"
    app_name = "tasks"
    menu_template_name = None  # the site draws the one menu (workflows.menu)
    urlpatterns = urls.task_urls

    def has_view_permission(self, user, obj=None):
        return True  # each view asks cases.scope / the node; this only drives the menu


class ComplaintsApp(Application):
    title = _("投诉")
    icon = "record_voice_over"
    app_name = "complaints"
    menu_template_name = None  # the site draws the one menu (workflows.menu)
    urlpatterns = [
        path("", complaint_views.complaint_list, name="index"),
        *urls.complaint_staff_urls,
        path("<str:receipt_no>/", complaint_views.complaint_detail, name="detail"),
        path(
            "<str:receipt_no>/documents/<int:doc_id>/pdf/",
            document_views.complaint_document_pdf,
            name="document-pdf",
        ),
    ]

    def has_view_permission(self, user, obj=None):
        return True
