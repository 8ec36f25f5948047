from django.urls import path

from . import police_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.matter_list, name="matters"),
    path("matters/new/", views.matter_new, name="matter-new"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("matters/<int:pk>/<str:action>/", views.matter_action, name="matter-action"),
    path("referrals/", police_views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", police_views.referral_detail, name="referral"),
    path("referrals/<int:pk>/<str:action>/", police_views.referral_action, name="referral-action"),
    path("funding/", police_views.funding, name="funding"),
]
