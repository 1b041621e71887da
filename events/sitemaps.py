from events.models import Event
from portal.core.seo import LocalizedSitemap


class EventSitemap(LocalizedSitemap):
    """Public events only."""

    url_name = "public:event"
    priority = 0.5

    def objects(self):
        return Event.objects.filter(is_public=True).order_by("pk")

    def url_kwargs(self, obj) -> dict:
        return {"slug": obj.slug}
