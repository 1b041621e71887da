from django.contrib import admin

from matching.models import Interest, Introduction, MatchingWeights, MatchProposal, MatchRun
from portal.companies.admin import COMPANY_NAME_SEARCH


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    """Weights are versioned: saving creates a new version (proposals keep the one that produced them)."""

    list_display = ["__str__", "industry", "complementarity", "certification", "text", "practical",
                    "missing_certification_penalty", "top_k", "note", "created_at"]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if change:
            obj.pk = None  # a new version; the old one stays for the proposals that used it
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "started_at",
        "finished_at",
        "companies",
        "proposals",
        "shards_done",
        "shards_total",
    ]
    list_filter = ["kind", "status"]
    readonly_fields = [field.name for field in MatchRun._meta.fields]


@admin.register(MatchProposal)
class MatchProposalAdmin(admin.ModelAdmin):
    list_display = ["company", "partner", "rank", "score", "computed_at"]
    list_filter = ["company__country"]
    search_fields = [*COMPANY_NAME_SEARCH, "partner__name_en"]
    list_select_related = ["company", "partner"]
    raw_id_fields = ["company", "partner"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["company", "partner", "interested", "reason", "created_at"]
    list_filter = ["interested"]
    list_select_related = ["company", "partner"]
    raw_id_fields = ["company", "partner", "actor"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = [
        "thai_company",
        "japanese_company",
        "stage",
        "created_at",
        "introduced_at",
        "stage_changed_at",
    ]
    list_filter = ["stage"]
    search_fields = [
        "thai_company__name_en",
        "thai_company__name_th",
        "japanese_company__name_en",
        "japanese_company__name_ja",
    ]
    list_select_related = ["thai_company", "japanese_company"]
    raw_id_fields = ["thai_company", "japanese_company", "requested_by", "requesting_company", "coordinator"]
