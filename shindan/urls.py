"""URLs of the shindan app (mounted at /shindan/ by portal.urls)."""

app_name = "shindan"
urlpatterns: list = []
