"""Permission-matrix entries: the region dashboard (every case reader at its own region; the
administrator reads no case data: 403). A region outside the scope (404) is in tests/test_dashboard.py."""

from django.urls import reverse

from tests.matrix import Entry, reader_list

ENTRIES = {
    "cases:dashboard": Entry(lambda t: reverse("cases:dashboard"), reader_list, scoped=False),
    "api-dashboard": Entry(lambda t: reverse("api-dashboard"), reader_list, scoped=False, anonymous=(401, 403)),
}
