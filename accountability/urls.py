"""Pages of the accountability app (app_name "accountability").

`urlpatterns`: public pages (no login), mounted at /public/: the credit list, a listing, the
defence and removal forms, the violations. `staff_urlpatterns`: the staff pages (leaders and
auditors), mounted at /accountability/ in the same namespace.
"""

from django.urls import path

from . import employer_views, views

app_name = "accountability"
urlpatterns = [
    path("credit-list/", views.credit_list, name="credit-list"),
    path("credit-list/<int:pk>/", views.credit_listing_detail, name="credit-listing"),
    path("credit-list/defence/", views.listing_defence, name="listing-defence"),
    path("credit-list/removal/", views.listing_removal, name="listing-removal"),
    path("violations/", views.violations, name="violations"),
    path("violations/<int:pk>/", views.violation_publication, name="violation-publication"),
]
staff_urlpatterns = [
    path("register/", views.accountability_register, name="register"),
    path("publications/", views.publication_list, name="publication-list"),
    path("publications/approve/", views.publication_approve, name="publication-approve"),
    path("employers/<int:pk>/", employer_views.employer_detail, name="employer"),
    path("credit-list/", views.credit_list_staff, name="credit-list"),
]
