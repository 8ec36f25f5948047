from django.urls import path

from . import views

app_name = "arbitration"
urlpatterns = [
    path("", views.referral_list, name="index"),
    path("new/", views.referral_new, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/letter.pdf", views.referral_letter, name="letter"),
    path("<int:pk>/<str:action>/", views.referral_action, name="action"),
]
