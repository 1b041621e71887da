"""URLs of the events app (mounted at /events/ by portal.urls)."""

app_name = "events"
urlpatterns: list = []
