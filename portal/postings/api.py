"""REST API for postings: live ones for everybody; members create and edit their company's."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from portal.companies.selectors import company_get_for_editor
from portal.core.api import (
    TEXTAREA,
    PortalModelSerializer,
    PortalSerializer,
    RulesPermission,
    call_service,
    pk_or_404,
)
from portal.core.schema import NOT_FOUND
from portal.postings.models import Posting
from portal.postings.selectors import posting_get_for_user, posting_list_public
from portal.postings.services import posting_create, posting_set_status, posting_update
from portal.taxonomy.models import Capability, Certification, Industry


class PostingSerializer(PortalModelSerializer):
    company = serializers.PrimaryKeyRelatedField(read_only=True)
    industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    capabilities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    required_certifications = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    title = serializers.SerializerMethodField()

    class Meta:
        model = Posting
        fields = [
            "id", "company", "type", "title", "title_en", "title_th", "title_ja", "body_en", "body_th",
            "body_ja", "industries", "capabilities", "required_certifications", "expires_on", "status",
            "published_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_title(self, posting: Posting) -> str:
        return posting.title()


class PostingWriteSerializer(PortalSerializer):
    # A plain id, looked up for the user in the view: a company they may not edit is "not found", the
    # same answer as a company that does not exist (a related field would tell them apart).
    company = serializers.IntegerField(help_text="One of your companies (ignored when editing).")
    type = serializers.ChoiceField(choices=Posting._meta.get_field("type").choices)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_th = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_ja = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body_en = serializers.CharField(required=False, allow_blank=True, style=TEXTAREA)
    body_th = serializers.CharField(required=False, allow_blank=True, style=TEXTAREA)
    body_ja = serializers.CharField(required=False, allow_blank=True, style=TEXTAREA)
    industries = serializers.SlugRelatedField(
        slug_field="slug", queryset=Industry.objects.all(), many=True, required=False
    )
    capabilities = serializers.SlugRelatedField(
        slug_field="slug", queryset=Capability.objects.all(), many=True, required=False
    )
    required_certifications = serializers.SlugRelatedField(
        slug_field="slug", queryset=Certification.objects.all(), many=True, required=False
    )
    expires_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=["draft", "published", "closed"], required=False)


class PostingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    permission_classes = [RulesPermission]
    permission_map = {
        "list": None,
        "retrieve": None,
        "create": "authenticated:",
        "partial_update": "authenticated:postings.edit_posting",
    }
    serializer_class = PostingSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return posting_list_public(user=self.request.user)

    def retrieve(self, request, pk=None):
        return Response(PostingSerializer(posting_get_for_user(user=request.user, pk=pk_or_404(pk))).data)

    @extend_schema(request=PostingWriteSerializer, responses={201: PostingSerializer, 404: NOT_FOUND})
    def create(self, request):
        serializer = PostingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        company = company_get_for_editor(user=request.user, pk=data.pop("company"))
        status = data.pop("status", None)
        posting = call_service(posting_create, company=company, **data)
        if status and status != posting.status:
            posting = call_service(posting_set_status, posting=posting, status=status)
        return Response(PostingSerializer(posting).data, status=201)

    def partial_update(self, request, pk=None):
        posting = posting_get_for_user(
            user=request.user, pk=pk_or_404(pk), permission="postings.edit_posting"
        )
        serializer = PostingWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("company", None)
        status = data.pop("status", None)
        posting = call_service(posting_update, posting=posting, **data)
        if status and status != posting.status:
            posting = call_service(posting_set_status, posting=posting, status=status)
        return Response(PostingSerializer(posting).data)
