from portal.companies.models import Company
from portal.core.seo import LocalizedSitemap


class CompanySitemap(LocalizedSitemap):
    """Verified companies only: pending and rejected profiles are never listed."""

    url_name = "public:company"
    priority = 0.8

    def objects(self):
        return Company.objects.verified().only("pk", "updated_at").order_by("pk")
