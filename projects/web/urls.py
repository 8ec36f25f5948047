from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="index"),
    # a literal path: keep it before "<str:project_no>/"
    path("import/", views.projects_import_page, name="import"),
    path("<str:project_no>/", views.project_detail, name="detail"),
    path("<str:project_no>/import/", views.project_import_page, name="project-import"),
]
