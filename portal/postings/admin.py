from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.postings.models import Posting
from portal.postings.services import posting_moderate


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "company", "type", "status", "is_hidden", "expires_on", "published_at"]
    list_filter = ["status", "type", "is_hidden", "industries"]
    search_fields = [
        "title_en",
        "title_th",
        "title_ja",
        "company__name_en",
        "company__name_th",
        "company__name_ja",
    ]
    autocomplete_fields = ["company"]
    filter_horizontal = ["industries", "capabilities", "required_certifications"]
    list_select_related = ["company"]
    actions = ["hide", "show"]

    @admin.action(description=_("Hide the selected postings"))
    def hide(self, request, queryset):
        for posting in queryset:
            posting_moderate(posting=posting, hidden=True, note=posting.moderation_note)

    @admin.action(description=_("Show the selected postings again"))
    def show(self, request, queryset):
        for posting in queryset:
            posting_moderate(posting=posting, hidden=False, note=posting.moderation_note)
