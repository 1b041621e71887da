from django.contrib import admin

from portal.companies.admin import COMPANY_NAME_SEARCH
from shindan.models import (
    Action,
    Assignment,
    Checklist,
    ConsultantProfile,
    Diagnosis,
    FinancialStatement,
    Finding,
    Recommendation,
)


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "qualification", "registration_no", "valid_until"]
    search_fields = ["user__email", "registration_no"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["consultant", "company", "starts_on", "ends_on"]
    raw_id_fields = ["company"]
    list_select_related = ["consultant", "company"]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "published_at"]
    readonly_fields = ["code", "version", "title", "published_at", "created_by"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatementInline(ReadOnlyInline):
    model = FinancialStatement
    fields = ["fiscal_year", "currency", "unit", "sales", "ordinary_profit", "total_assets"]


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ["kind", "severity", "area", "text"]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ["area", "text"]


class ActionInline(ReadOnlyInline):
    model = Action
    fields = ["what", "owner", "due_on", "status"]


@admin.register(Diagnosis)
class DiagnosisAdmin(admin.ModelAdmin):
    """Read-only here: diagnoses change through the consultant's pages, which keep the history."""

    list_display = ["company", "stage", "requested_on", "reported_on", "overall_score", "revision"]
    list_filter = ["stage"]
    search_fields = COMPANY_NAME_SEARCH
    list_select_related = ["company"]
    inlines = [StatementInline, FindingInline, RecommendationInline, ActionInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
