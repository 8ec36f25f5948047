"""Public pages of the accountability app (credit list, published violations): mounted at /public/."""

app_name = "accountability"
urlpatterns: list = []
