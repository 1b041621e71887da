from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_http_methods

from matching.models import Interest, Introduction, MatchingWeights, MatchProposal, MatchRun
from matching.understanding.adoption import matching_weights_adopt, weights_comparison
from portal.companies.admin import COMPANY_NAME_SEARCH
from portal.core.service_calls import call_service_for_view

# Notes of the versions the portal creates: matching migrations 0002 and 0009, matching/services/runs.py.
SYSTEM_NOTES = (
    gettext_noop("Initial weights"),
    gettext_noop("Default weights"),
    gettext_noop("Fitted on the judged pairs (bench/bench_weights.py)"),
)


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    """Weights are versioned: saving creates a new version (proposals keep the one that produced them)."""

    list_display = ["__str__", "industry", "complementarity", "certification", "text", "practical",
                    "missing_certification_penalty", "top_k", "note_shown", "created_at"]  # fmt: skip

    @admin.display(description=gettext_lazy("note"), ordering="note")
    def note_shown(self, obj):
        """The notes the portal writes itself (SYSTEM_NOTES) in the reader's language; others as written."""
        return _(obj.note) if obj.note in SYSTEM_NOTES else obj.note

    def save_model(self, request, obj, form, change):
        if change:
            obj.pk = None  # a new version; the old one stays for the proposals that used it
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False

    # Learned weights (matching/understanding/adoption.py): the comparison, and adoption when it wins.
    change_list_template = "admin/matching/matchingweights/change_list.html"

    def get_urls(self):
        propose = self.admin_site.admin_view(require_http_methods(["GET", "POST"])(self.propose_view))
        return [path("propose/", propose, name="matching_matchingweights_propose"), *super().get_urls()]

    def propose_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            result = call_service_for_view(request, matching_weights_adopt, actor=request.user)
            if not result.ok:
                return redirect("admin:matching_matchingweights_propose")
            message = _("The proposed weights were adopted as version %(version)s.") % {
                "version": result.value
            }
            messages.success(request, message)
            return redirect("admin:matching_matchingweights_changelist")
        found = weights_comparison()
        labels = {field.name: field.verbose_name for field in MatchingWeights._meta.fields}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Weights learned from outcomes"),
            "found": found,
            "components": [(labels[name], now, new) for name, now, new in found.components] if found else [],
            "changelist_url": reverse("admin:matching_matchingweights_changelist"),
        }
        return TemplateResponse(request, "admin/matching/matchingweights/propose.html", context)


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
