"""REST API for companies: list/filter/search/detail for everybody, updates by owners."""

import rules
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.companies.models import Company, Country, SizeClass
from portal.companies.selectors import (
    DirectoryFilters,
    company_directory_list,
    company_get_for_user,
    company_list_for_member,
)
from portal.companies.services import company_update_profile
from portal.core.api import (
    TEXTAREA,
    PortalModelSerializer,
    PortalSerializer,
    RulesPermission,
    call_service,
    pk_or_404,
)
from portal.taxonomy.models import Capability, Industry, LookingFor, Region


class CertificateSerializer(PortalSerializer):
    certification = serializers.CharField(source="certification.slug")
    expires_on = serializers.DateField(allow_null=True)


class ContactSerializer(PortalSerializer):
    name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


class CompanySerializer(PortalModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    capabilities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    looking_for = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    certifications = CertificateSerializer(source="certificates", many=True, read_only=True)
    name = serializers.SerializerMethodField()
    in_eec = serializers.BooleanField(read_only=True)
    languages = serializers.ListField(source="language_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Company
        fields = [
            "id", "name", "name_en", "name_th", "name_ja", "country", "registration_no", "sector", "region",
            "in_eec", "employees", "founded_year", "size_class", "size_basis", "industries", "capabilities",
            "certifications", "looking_for", "languages", "description_en", "description_th",
            "description_ja", "website", "verification_status", "endorsed_by",
        ]  # fmt: skip
        read_only_fields = fields
        # Read-only fields lose allow_blank; these are blank when not given (not a URL, not a choice).
        extra_kwargs = {name: {"allow_blank": True} for name in ("website", "size_class", "endorsed_by")}

    def get_name(self, company: Company) -> str:
        return company.display_name()


class CompanyWithContactsSerializer(CompanySerializer):
    """For companies introduced to it: the public profile plus the contact persons."""

    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(CompanySerializer.Meta):
        fields = [*CompanySerializer.Meta.fields, "contacts"]
        read_only_fields = fields


class CompanyPrivateSerializer(CompanyWithContactsSerializer):
    """What the company's members and coordinators see: contacts, finances and review state too."""

    seeking = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    requires = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta(CompanySerializer.Meta):
        fields = [*CompanyWithContactsSerializer.Meta.fields, "seeking", "requires", "rejection_reason",
                  "annual_revenue", "capital", "currency"]  # fmt: skip
        read_only_fields = fields


class CompanyUpdateSerializer(PortalSerializer):
    """Fields an owner may change through the API (taxonomy by slug)."""

    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_th = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_ja = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=Company._meta.get_field("sector").choices, required=False)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    annual_revenue = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    capital = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    description_en = serializers.CharField(required=False, allow_blank=True, style=TEXTAREA)
    description_th = serializers.CharField(required=False, allow_blank=True, style=TEXTAREA)
    description_ja = serializers.CharField(required=False, allow_blank=True, style=TEXTAREA)
    website = serializers.URLField(required=False, allow_blank=True)
    industries = serializers.SlugRelatedField(
        slug_field="slug", queryset=Industry.objects.all(), many=True, required=False
    )
    capabilities = serializers.SlugRelatedField(
        slug_field="slug", queryset=Capability.objects.all(), many=True, required=False
    )
    seeking = serializers.SlugRelatedField(
        slug_field="slug", queryset=Capability.objects.all(), many=True, required=False
    )
    looking_for = serializers.SlugRelatedField(
        slug_field="slug", queryset=LookingFor.objects.all(), many=True, required=False
    )

    def validate_region(self, region):
        company = self.context["company"]
        if region is not None and region.country != company.country:
            raise serializers.ValidationError("This region is not in the company's country.")
        return region


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Search in names, descriptions and postings (any language)."),
    OpenApiParameter("country", str, enum=Country.values),
    OpenApiParameter("industry", str, description="Industry slug."),
    OpenApiParameter("capability", str, description="Capability slug."),
    OpenApiParameter(
        "certification", str, description="Certification slug (valid certificates; AS9100 ≡ JIS Q 9100)."
    ),
    OpenApiParameter("region", str, description="ISO 3166-2 code."),
    OpenApiParameter("eec", bool, description="Only the Eastern Economic Corridor."),
    OpenApiParameter("size_class", str, enum=SizeClass.values),
    OpenApiParameter("looking_for", str, description="Looking-for slug."),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class CompanyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RulesPermission]
    permission_map = {
        "list": None,
        "retrieve": None,
        "partial_update": "authenticated:companies.edit_company",
        "mine": "authenticated:",
    }
    serializer_class = CompanySerializer
    queryset = Company.objects.none()  # every read goes through a selector

    def get_queryset(self):
        params = self.request.query_params
        filters = DirectoryFilters(
            q=params.get("q", "")[:200],
            country=params.get("country", ""),
            industry=params.get("industry", ""),
            capability=params.get("capability", ""),
            certification=params.get("certification", ""),
            region=params.get("region", ""),
            eec=params.get("eec", "").lower() in {"1", "true"},
            size_class=params.get("size_class", ""),
            looking_for=params.get("looking_for", ""),
        )
        return company_directory_list(user=self.request.user, filters=filters)

    def retrieve(self, request, pk=None):
        company = company_get_for_user(user=request.user, pk=pk_or_404(pk))
        return Response(self._serialize(company))

    @extend_schema(request=CompanyUpdateSerializer, responses=CompanyPrivateSerializer)
    def partial_update(self, request, pk=None):
        company = company_get_for_user(
            user=request.user, pk=pk_or_404(pk), permission="companies.edit_company"
        )
        serializer = CompanyUpdateSerializer(data=request.data, partial=True, context={"company": company})
        serializer.is_valid(raise_exception=True)
        company = call_service(company_update_profile, company=company, **serializer.validated_data)
        return Response(CompanyPrivateSerializer(company_get_for_user(user=request.user, pk=company.pk)).data)

    @extend_schema(responses=CompanyPrivateSerializer(many=True))
    @action(detail=False, pagination_class=None)
    def mine(self, request):
        companies = company_list_for_member(user=request.user).prefetch_related(
            "industries",
            "capabilities",
            "looking_for",
            "seeking",
            "requires",
            "contacts",
            "certificates__certification",
        )
        return Response(CompanyPrivateSerializer(companies, many=True).data)

    def _serialize(self, company: Company) -> dict:
        user = self.request.user
        if rules.has_perm("companies.view_company_private", user, company):
            return CompanyPrivateSerializer(company).data
        if rules.has_perm("companies.view_contacts", user, company):
            return CompanyWithContactsSerializer(company).data
        return CompanySerializer(company).data
