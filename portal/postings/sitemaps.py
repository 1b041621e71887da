from portal.core.seo import LocalizedSitemap
from portal.postings.models import Posting


class PostingSitemap(LocalizedSitemap):
    """Live postings only: no draft, closed, expired or hidden posting, none of an unverified company."""

    url_name = "public:posting"
    priority = 0.6

    def objects(self):
        return Posting.objects.live().only("pk", "updated_at").order_by("pk")
