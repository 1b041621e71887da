"""REST API of the deals app, scoped exactly like the pages: conversations and their messages (members of
the two companies; coordinators where they may read, each read recorded), proposals (both sides of a
proposal; coordinators). A message may carry attachments when sent as multipart/form-data (``files``,
repeated), checked by the same service as the page's form (type by content, size and count limits, HTML and
SVG refused: ``deals/files.py``); the API lists them with their download URL (the same permission check)."""

import rules
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from deals import selectors, services
from deals.models import Conversation, PriceBasis, Proposal
from deals.rules import member_company_ids
from portal.companies.models import Company
from portal.core.api import TEXTAREA, LinkHeaderPagination, PortalSerializer, call_service, pk_or_404
from portal.taxonomy.models import Capability


class ConversationSerializer(PortalSerializer):
    id = serializers.IntegerField()
    thai_company = serializers.IntegerField(source="thai_company_id")
    japanese_company = serializers.IntegerField(source="japanese_company_id")
    thai_company_name = serializers.SerializerMethodField()
    japanese_company_name = serializers.SerializerMethodField()
    status = serializers.CharField()
    origin = serializers.CharField()
    last_message_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.SerializerMethodField()

    def get_thai_company_name(self, conversation) -> str:
        return conversation.thai_company.display_name()

    def get_japanese_company_name(self, conversation) -> str:
        return conversation.japanese_company.display_name()

    def get_unread(self, conversation) -> int | None:
        return getattr(conversation, "unread", None)


class AttachmentSerializer(PortalSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return reverse("deals:attachment", kwargs={"pk": attachment.pk})


class TranslationSerializer(PortalSerializer):
    language = serializers.CharField()
    text = serializers.CharField()


class MessageSerializer(PortalSerializer):
    id = serializers.IntegerField(read_only=True)
    company = serializers.IntegerField(source="company_id", read_only=True)
    author_name = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True)
    step = serializers.CharField(read_only=True)
    text = serializers.CharField(
        max_length=services.MAX_MESSAGE_CHARS, style=TEXTAREA, required=False, allow_blank=True
    )
    language = serializers.ChoiceField(choices=["", "th", "ja", "en"], required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    deleted = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True, source="attachment_list")
    translations = TranslationSerializer(many=True, read_only=True, source="translation_list")

    def get_author_name(self, message) -> str:
        """The person's name only: never an e-mail or phone."""
        return message.author.get_full_name() if message.author else ""

    def get_deleted(self, message) -> bool:
        return message.is_deleted


class MessageUploadSerializer(MessageSerializer):
    """A new message sent as multipart/form-data: its text (may be empty when files come) and up to
    ``DEALS_ATTACHMENTS_PER_MESSAGE`` files, each checked by the service like the page's form."""

    files = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)


class DealProposalSerializer(PortalSerializer):
    id = serializers.IntegerField(read_only=True)
    posting = serializers.IntegerField(source="posting_id")
    company = serializers.IntegerField(source="company_id", read_only=True)
    offer = serializers.CharField(max_length=services.MAX_MESSAGE_CHARS, style=TEXTAREA)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=3650)
    capabilities = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    certificates = serializers.ListField(child=serializers.IntegerField(), required=False)
    price_min = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    price_max = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    price_basis = serializers.ChoiceField(choices=PriceBasis.choices, required=False, allow_blank=True)
    status = serializers.CharField(read_only=True)
    decline_reason = serializers.CharField(read_only=True)
    conversation = serializers.IntegerField(source="conversation_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, proposal):
        data = super().to_representation(
            {
                **{
                    f: getattr(proposal, f)
                    for f in ("id", "offer", "lead_time_days", "price_min", "price_max")
                },
                **{
                    f: getattr(proposal, f)
                    for f in ("currency", "price_basis", "status", "decline_reason", "created_at")
                },
                "posting_id": proposal.posting_id,
                "company_id": proposal.company_id,
                "conversation_id": proposal.conversation_id,
                "capabilities": [c.slug for c in proposal.capabilities.all()],
                "certificates": [c.pk for c in proposal.certificates.all()],
            }
        )
        return data


class DecisionSerializer(PortalSerializer):
    status = serializers.ChoiceField(choices=["shortlisted", "declined", "accepted"])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, style=TEXTAREA)


def _page(view, request, rows, serializer_class) -> Response:
    """One page of a list (``LinkHeaderPagination``: a plain array, the other pages in the headers)."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class ConversationViewSet(viewsets.ViewSet):
    """``/api/deals/conversations/``: the user's companies' conversations, latest activity first, 200 a
    page (``?page=n``; ``Link`` and ``X-Total-Count`` headers); one conversation for a member or a
    coordinator who may read it (the read is recorded, as on the page)."""

    permission_classes = [IsAuthenticated]
    pagination_class = LinkHeaderPagination
    queryset = Conversation.objects.none()  # for the schema's path parameter type only

    @extend_schema(responses=ConversationSerializer(many=True))
    def list(self, request):
        return _page(
            self, request, selectors.conversation_list_for_user(user=request.user), ConversationSerializer
        )

    def _get(self, request, pk) -> Conversation:
        """The conversation; a coordinator's read of it is recorded (a write by one is refused first)."""
        conversation = selectors.conversation_get_for_user(user=request.user, pk=pk_or_404(pk))
        if request.method != "GET" and not rules.has_perm("deals.write_message", request.user, conversation):
            raise Http404
        reason = selectors.coordinator_reason(user=request.user, conversation=conversation)
        if reason:
            services.coordinator_read_record(
                conversation=conversation, coordinator=request.user, reason=reason
            )
        return conversation

    @extend_schema(responses=ConversationSerializer)
    def retrieve(self, request, pk=None):
        return Response(ConversationSerializer(self._get(request, pk)).data)

    @extend_schema(
        methods=["GET"],
        responses=MessageSerializer(many=True),
        parameters=[
            OpenApiParameter("before", int, required=False),
            OpenApiParameter("after", int, required=False),
        ],
    )
    @extend_schema(
        methods=["POST"],
        request={"application/json": MessageSerializer, "multipart/form-data": MessageUploadSerializer},
        responses={201: MessageSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[JSONParser, MultiPartParser],
        pagination_class=None,  # its own pages: ?before= / ?after= a message id
    )
    def messages(self, request, pk=None):
        conversation = self._get(request, pk)
        if request.method == "POST":
            serializer = MessageUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            message = call_service(
                services.message_send,
                conversation=conversation,
                actor=request.user,
                text=serializer.validated_data.get("text", ""),
                language=serializer.validated_data.get("language", ""),
                files=serializer.validated_data.get("files", []),
            )
            message = selectors.message_with_related(message=message)
            return Response(MessageSerializer(message).data, status=201)
        before, after = request.query_params.get("before"), request.query_params.get("after")
        page = selectors.message_list(
            conversation=conversation,
            before=pk_or_404(before) if before else None,
            after=pk_or_404(after) if after else None,
        )
        if rules.has_perm("deals.act_on_conversation", request.user, conversation) and page:
            services.conversation_mark_read(
                conversation=conversation, user=request.user, up_to_id=page[-1].pk
            )
        return Response(MessageSerializer(page, many=True).data)


class ProposalViewSet(viewsets.ViewSet):
    """``/api/deals/proposals/``: proposals the user's companies sent or received (coordinators: all), the
    newest first, 200 a page (``?page=n``; ``Link`` and ``X-Total-Count`` headers)."""

    permission_classes = [IsAuthenticated]
    pagination_class = LinkHeaderPagination
    queryset = Proposal.objects.none()  # for the schema's path parameter type only

    def _rows(self, request):
        return selectors.proposal_list_for_user(user=request.user).prefetch_related(
            "capabilities", "certificates"
        )

    @extend_schema(responses=DealProposalSerializer(many=True))
    def list(self, request):
        return _page(self, request, self._rows(request), DealProposalSerializer)

    @extend_schema(responses=DealProposalSerializer)
    def retrieve(self, request, pk=None):
        proposal = selectors.proposal_get_for_user(user=request.user, pk=pk_or_404(pk))
        return Response(DealProposalSerializer(proposal).data)

    @extend_schema(request=DealProposalSerializer, responses={201: DealProposalSerializer})
    def create(self, request):
        serializer = DealProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The posting comes in the body: one the user may not answer is a field error (400), not a 404.
        try:
            posting = selectors.need_get_for_proposer(user=request.user, pk=data["posting_id"])
        except Http404:
            posting = None
        company = (
            Company.objects.filter(pk__in=member_company_ids(request.user))
            .exclude(country=posting.company.country)
            .order_by("pk")
            .first()
            if posting is not None
            else None
        )
        if company is None:
            raise serializers.ValidationError(
                {"posting": [_("Choose a published need of a company of the other country.")]}
            )
        proposal = call_service(
            services.proposal_submit,
            posting=posting,
            company=company,
            actor=request.user,
            offer=data["offer"],
            lead_time_days=data["lead_time_days"],
            capabilities=list(Capability.objects.filter(slug__in=data.get("capabilities", []))),
            certificates=list(company.certificates.filter(pk__in=data.get("certificates", []))),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            currency=data.get("currency", ""),
            price_basis=data.get("price_basis", ""),
        )
        return Response(DealProposalSerializer(proposal).data, status=201)

    @extend_schema(request=DecisionSerializer, responses=DealProposalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        proposal = selectors.proposal_get_for_user(user=request.user, pk=pk_or_404(pk))
        if not rules.has_perm("deals.decide_proposal", request.user, proposal):
            raise Http404
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = call_service(
            services.proposal_decide,
            proposal=proposal,
            actor=request.user,
            status=serializer.validated_data["status"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(DealProposalSerializer(proposal).data)
