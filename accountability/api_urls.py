"""Public and staff API of the accountability app: mounted at /api/v1/."""

urlpatterns: list = []
