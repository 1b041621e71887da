"""URLs of the matching app (mounted at /matching/ by portal.urls)."""

app_name = "matching"
urlpatterns: list = []
