"""REST API of the matching engine: a member's proposals and interest actions; introductions."""

import rules
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from matching import selectors, services
from matching.models import Introduction, IntroductionReport, ReportOutcome
from matching.reasons_text import render_proposal_reasons
from portal.companies.models import Company
from portal.companies.selectors import company_get_for_user, company_get_with_permission
from portal.core.api import TEXTAREA, PortalModelSerializer, PortalSerializer, call_service, pk_or_404
from portal.core.schema import NOT_FOUND


class ProposalSerializer(PortalSerializer):
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.SerializerMethodField()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    components = serializers.DictField(child=serializers.FloatField())
    reasons = serializers.SerializerMethodField()
    reason_codes = serializers.ListField(source="reasons", child=serializers.DictField())
    interest = serializers.BooleanField(allow_null=True)
    mutual = serializers.BooleanField()

    def get_partner_name(self, proposal) -> str:
        return proposal.partner.display_name()

    def get_reasons(self, proposal) -> list[str]:
        return render_proposal_reasons(proposal, viewer_id=proposal.company_id)


class InterestSerializer(PortalSerializer):
    partner = serializers.IntegerField()
    interested = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class IntroductionRequestSerializer(PortalSerializer):
    partner = serializers.IntegerField()
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, style=TEXTAREA)


class IntroductionSerializer(PortalModelSerializer):
    class Meta:
        model = Introduction
        fields = [
            "id",
            "thai_company",
            "japanese_company",
            "stage",
            "created_at",
            "introduced_at",
            "stage_changed_at",
        ]
        read_only_fields = fields


class IntroductionReportSerializer(PortalModelSerializer):
    """A side's own report on an introduction; the rating is private to that company and the coordinators."""

    # Blank only in the empty report a GET answers before the company reported; a PUT of "" is refused by
    # the service (invalid_outcome, 400).
    outcome = serializers.ChoiceField(choices=ReportOutcome.choices, allow_blank=True)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, style=TEXTAREA)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = IntroductionReport
        fields = ["introduction", "company", "outcome", "rating", "note", "updated_at"]
        read_only_fields = ["introduction", "company", "updated_at"]


def _company(user, pk) -> Company:
    return company_get_with_permission(user=user, pk=pk_or_404(pk), permission="matching.act_for_company")


class ProposalViewSet(viewsets.ViewSet):
    """``/api/companies/{company}/proposals/``: only the company's own members see its proposals."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=ProposalSerializer(many=True), parameters=[OpenApiParameter("company", int, "path")]
    )
    def list(self, request, company=None):
        target = _company(request.user, company)
        _company_obj, proposals = selectors.recommendations_for_member(
            user=request.user, company_id=target.pk
        )
        return Response(ProposalSerializer(proposals, many=True).data)

    @extend_schema(request=InterestSerializer, responses=InterestSerializer)
    @action(detail=False, methods=["post"])
    def interest(self, request, company=None):
        target = _company(request.user, company)
        serializer = InterestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = company_get_for_user(user=request.user, pk=serializer.validated_data["partner"])
        call_service(
            services.interest_set,
            company=target,
            partner=partner,
            actor=request.user,
            interested=serializer.validated_data["interested"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(serializer.validated_data)

    @extend_schema(request=IntroductionRequestSerializer, responses={201: IntroductionSerializer})
    @action(detail=False, methods=["post"])
    def introduction(self, request, company=None):
        target = _company(request.user, company)
        serializer = IntroductionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = company_get_for_user(user=request.user, pk=serializer.validated_data["partner"])
        introduction = call_service(
            services.introduction_request,
            company=target,
            partner=partner,
            actor=request.user,
            message=serializer.validated_data.get("message", ""),
        )
        return Response(IntroductionSerializer(introduction).data, status=201)


class IntroductionViewSet(viewsets.ReadOnlyModelViewSet):
    """Introductions: a member sees their companies'; coordinators see all."""

    serializer_class = IntroductionSerializer
    permission_classes = [IsAuthenticated]
    queryset = Introduction.objects.none()

    def get_queryset(self):
        if rules.has_perm("matching.manage_introductions", self.request.user):
            return selectors.introduction_list_for_coordinator(user=self.request.user)
        return selectors.introduction_list_for_member(user=self.request.user)

    @extend_schema(
        request=IntroductionReportSerializer,
        responses={200: IntroductionReportSerializer, 404: NOT_FOUND},
        parameters=[
            OpenApiParameter("company", int, description="The reporting side, for a member of both.")
        ],
    )
    @action(detail=True, methods=["get", "put"])
    def report(self, request, pk=None):
        """``GET``: the user's company's own report on the introduction (empty before there is one);
        ``PUT``: record or change it. Members of the introduction's two companies only; anyone else,
        coordinators included, gets 404. The other side's report is never shown."""
        company_pk = request.query_params.get("company", "")
        company, introduction = selectors.introduction_to_report_for_user(
            user=request.user, pk=pk_or_404(pk), company_pk=int(company_pk) if company_pk.isdigit() else None
        )
        if request.method == "GET":
            report = introduction.reports.filter(company=company).first()
            # Not reported yet: an empty report (outcome "", no date), not a 404, which means "not yours".
            empty = IntroductionReport(introduction=introduction, company=company)
            return Response(IntroductionReportSerializer(report or empty).data)
        serializer = IntroductionReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = call_service(
            services.introduction_report_save,
            actor=request.user,
            introduction=introduction,
            company=company,
            **serializer.validated_data,
        )
        return Response(IntroductionReportSerializer(saved).data)
